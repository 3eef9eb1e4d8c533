// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;

namespace MailSuite.EndToEnd.Tests;

// rc/mailsuite on a temporary install: start, status, a message over SMTP, stop, status.
public sealed class RcTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");
    private readonly Dictionary<string, string> env;

    public RcTests()
    {
        Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));
        bob.SetPassword(Pop3Tests.Password);
        env = new Dictionary<string, string>
        {
            ["PREFIX"] = install.Prefix, ["SMTP_PORT"] = FreePort(), ["POP3_PORT"] = FreePort(),
            ["PIDDIR"] = Path.Combine(install.Prefix, "run"), ["LOGDIR"] = Path.Combine(install.Prefix, "log"),
        };
    }

    public void Dispose()
    {
        Rc("stop");
        install.Dispose();
    }

    internal static string FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port.ToString();
    }

    private Ran Rc(string command) => Harness.Run(Path.Combine(Harness.RepoRoot, "rc", "mailsuite"), [command], env: env);

    private int[] SuiteProcesses() => Harness.Pids(exe => exe.StartsWith(install.Prefix + "/", StringComparison.Ordinal));

    [Fact]
    public void Start_status_mail_stop_status()
    {
        Assert.Equal(3, Rc("status").Exit);
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        Ran status = Rc("status");
        Assert.Equal(0, status.Exit);
        Assert.Matches(@"send: running \(pid \d+\)\nsmtpd: running \(pid \d+\)\npop3d: running \(pid \d+\)\n", status.Stdout);
        Ran again = Rc("start");
        Assert.Equal(1, again.Exit);
        Assert.Contains("already running", again.Stderr);

        MailService.WaitUntil(() => SuiteProcesses().Length >= 6, "the daemons and the tcpservers");
        Ran sent = Harness.Run("swaks", ["--server", "127.0.0.1", "--port", env["SMTP_PORT"], "--to", $"{bob.Name}@mail.example.test",
            "--from", "joe@example.com", "--header", "Subject: via rc"]);
        Assert.True(sent.Exit == 0, sent.Stdout);
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length == 1, "the message");
        Ran read = Harness.Run("python3", ["-c", "import poplib,sys\np=poplib.POP3('127.0.0.1',int(sys.argv[1]))\np.user(sys.argv[2])\n" +
            "p.pass_(sys.argv[3])\nprint([l for l in p.retr(1)[1] if l.startswith(b'Subject')])\np.dele(1)\np.quit()", env["POP3_PORT"], bob.Name, Pop3Tests.Password]);
        Assert.Equal("[b'Subject: via rc']\n", read.Stdout);
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/cur")));

        Assert.Equal(0, Rc("stop").Exit);
        Assert.Equal(3, Rc("status").Exit);
        Assert.Empty(SuiteProcesses());
        Assert.Empty(Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories));
    }
}
