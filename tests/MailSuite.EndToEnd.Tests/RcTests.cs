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
            ["SMTPS_PORT"] = FreePort(), ["POP3S_PORT"] = FreePort(), ["SUBMISSION_PORT"] = FreePort(),
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

    private Ran Rc(params string[] command) => Harness.Run(Path.Combine(Harness.RepoRoot, "rc", "mailsuite"), command, env: env);

    private int[] SuiteProcesses() => Harness.Pids(exe => exe.StartsWith(install.Prefix + "/", StringComparison.Ordinal));

    [Fact]
    public void Logs_are_root_adm_0640_with_a_utc_stamp_on_every_line_and_qmail_send_writes_send_log()
    {
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        string send = Path.Combine(env["LOGDIR"], "send.log");
        MailService.WaitUntil(() => File.Exists(send) && File.ReadAllText(send).Contains("status: local 0/10"), "qmail-send's status line in send.log");
        Assert.Equal("root adm 750", Harness.Ok("stat", "-c", "%U %G %a", env["LOGDIR"]).Stdout.Trim());
        foreach (string log in Directory.GetFiles(env["LOGDIR"], "*.log"))
        {
            Assert.Equal("root adm 640", Harness.Ok("stat", "-c", "%U %G %a", log).Stdout.Trim());
            foreach (string line in File.ReadAllLines(log).Where(l => l.Length > 0))
                Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \S", line);
        }
    }

    [Fact]
    public void A_flood_from_one_address_leaves_a_slot_and_a_greeting_for_everyone_else()
    {
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        int port = int.Parse(env["SMTP_PORT"]);
        var flood = new List<Socket>();
        try
        {
            for (int i = 0; i < 100; i++)   // connections that say nothing and hold on
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.9"), 0));
                s.Connect(IPAddress.Loopback, port);
                flood.Add(s);
            }
            using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 60_000 };
            other.Connect(IPAddress.Loopback, port);
            byte[] greeting = new byte[512];
            int n = other.Receive(greeting);
            Assert.StartsWith("220 ", System.Text.Encoding.ASCII.GetString(greeting, 0, n));
            Assert.Contains("dropping connection from 127.0.0.9: per-address limit 10 reached",
                File.ReadAllText(Path.Combine(env["LOGDIR"], "smtpd.log")));
        }
        finally
        {
            flood.ForEach(s => s.Dispose());
        }
    }

    // A reload with a broken configuration is refused with each problem named, and the resident
    // daemons run on, on the configuration they had: qmail-send delivers with the locals it read
    // at start. (qmail-smtpd starts afresh for each connection and has no old configuration: while
    // it cannot read locals it answers 421, and the mail waits at the client.)
    [Fact]
    public void A_reload_with_a_broken_configuration_is_refused_and_mail_goes_on()
    {
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        string control = Path.Combine(install.Prefix, "control");
        File.SetUnixFileMode(Path.Combine(control, "locals"), UnixFileMode.UserRead | UnixFileMode.UserWrite);   // root's alone
        File.WriteAllText(Path.Combine(control, "databytes"), "ten megabytes\n");
        File.AppendAllText(Path.Combine(control, "smtp.tcp"), "127.0.0.2:maybe\n");
        int lines = File.ReadAllLines(Path.Combine(control, "smtp.tcp")).Length;

        Ran reload = Rc("reload");
        Assert.Equal(1, reload.Exit);
        Assert.Contains("control/locals: the mail accounts cannot read it (owner root, mode 600)", reload.Stderr);
        Assert.Contains("control/databytes:1: \"ten megabytes\" is not a number: the programs use the default (0)", reload.Stderr);
        Assert.Contains($"control/smtp.tcp:{lines}: tcprules cannot parse \"127.0.0.2:maybe\"", reload.Stderr);
        Assert.Contains("mailsuite: not reloaded", reload.Stderr);
        Assert.Equal(0, Rc("status").Exit);

        Ran injected = Harness.Run(install.Bin("setuidgid"), [bob.Name, install.Bin("qmail-inject"), bob.Name], stdin: "Subject: injected\n\nx\n");
        Assert.True(injected.Exit == 0, injected.Stderr);
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length == 1, "the injected message");
        Assert.Equal(421, SmtpGreetingCode());
        Assert.Equal('Y', AskRcptd($"{bob.Name}@mail.example.test"));   // qmail-rcptd answers with the locals it read last
        Assert.Equal('N', AskRcptd("nosuchuser@mail.example.test"));
        File.SetUnixFileMode(Path.Combine(control, "locals"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Ran sent = Harness.Run("swaks", ["--server", "127.0.0.1", "--port", env["SMTP_PORT"], "--to", $"{bob.Name}@mail.example.test",
            "--from", "joe@example.com", "--header", "Subject: over the old rules"]);   // tcpserver keeps the cdb it had
        Assert.True(sent.Exit == 0, sent.Stdout);
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length == 2, "the message sent over SMTP");

        File.SetUnixFileMode(Path.Combine(control, "rcpthosts"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains("control/rcpthosts: the mail accounts cannot read it", Harness.Run(install.Bin("mailsuite-check"), ["--config"]).Stdout);

        foreach (string f in (string[])["locals", "rcpthosts"])
            File.SetUnixFileMode(Path.Combine(control, f), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.WriteAllText(Path.Combine(control, "databytes"), "10000000\n");
        File.WriteAllLines(Path.Combine(control, "smtp.tcp"), File.ReadAllLines(Path.Combine(control, "smtp.tcp"))[..^1]);
        Ran check = Harness.Run(install.Bin("mailsuite-check"), ["--config"]);
        Assert.Equal((0, "configuration ok\n"), (check.Exit, check.Stdout));
        Assert.Equal(0, Rc("reload").Exit);
    }

    // One service at a time: stop, status, start, restart act on the one named; the rest run on.
    // A process that has exited is stopped even before anybody reaps it: under an init that reaps
    // late (a container's), kill -0 still finds the zombie, and stop used to wait until it went.
    [Fact]
    public void A_service_whose_process_has_exited_but_is_not_yet_reaped_is_stopped()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        foreach (string a in (string[])["-c", "import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(600)"])
            psi.ArgumentList.Add(a);
        using var neverWaits = System.Diagnostics.Process.Start(psi)!;
        try
        {
            string zombie = neverWaits.StandardOutput.ReadLine()!.Trim();
            MailService.WaitUntil(() => File.ReadAllText($"/proc/{zombie}/stat").Split(") ")[1].StartsWith('Z'), "the child to exit unreaped");
            Directory.CreateDirectory(env["PIDDIR"]);
            string pidFile = Path.Combine(env["PIDDIR"], "authd.pid");
            File.WriteAllText(pidFile, zombie + "\n");

            Ran status = Rc("status", "authd");
            Assert.Equal(3, status.Exit);
            Assert.Equal("authd: stopped\n", status.Stdout);
            Assert.Equal(0, Rc("stop", "authd").Exit);
            Assert.False(File.Exists(pidFile));
        }
        finally
        {
            neverWaits.Kill();
            neverWaits.WaitForExit();
        }
    }

    [Fact]
    public void A_service_named_is_stopped_restarted_and_reported_alone()
    {
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        string pidDir = Path.Combine(install.Prefix, "run");
        string pop3sBefore = File.ReadAllText(Path.Combine(pidDir, "pop3s.pid"));
        Assert.Equal(0, Rc("stop", "smtpd").Exit);
        Ran smtpd = Rc("status", "smtpd");
        Assert.Equal((3, "smtpd: stopped\n"), (smtpd.Exit, smtpd.Stdout));
        Assert.Equal(0, Rc("status", "send").Exit);
        Assert.Contains("smtps: running", Rc("status").Stdout);
        Assert.Throws<SocketException>(() => new TcpClient("127.0.0.1", int.Parse(env["SMTP_PORT"])).Dispose());

        Assert.Equal(0, Rc("start", "smtpd").Exit);
        Assert.Equal(0, Rc("status").Exit);
        MailService.WaitUntil(() => Greeting(env["SMTP_PORT"]).StartsWith("220 ", StringComparison.Ordinal), "smtpd's greeting");
        Assert.Equal(0, Rc("restart", "pop3s").Exit);
        Assert.NotEqual(pop3sBefore, File.ReadAllText(Path.Combine(pidDir, "pop3s.pid")));
        Assert.Equal(0, Rc("status").Exit);

        Ran unknown = Rc("stop", "nosuch");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("mailsuite: no service named nosuch (there are: send queued authd rcptd authres smtpd smtps submission pop3d pop3s)", unknown.Stderr);
        Assert.Equal(0, Rc("status").Exit);   // nothing was stopped
    }

    // qmail-rcptd's question as qmail-smtpd asks it: the address, end of input, one byte back.
    private char AskRcptd(string address)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(Path.Combine(install.Prefix, "rcptd/socket")));
        s.Send(System.Text.Encoding.ASCII.GetBytes(address));
        s.Shutdown(SocketShutdown.Send);
        byte[] answer = new byte[1];
        return s.Receive(answer) == 1 ? (char)answer[0] : '?';
    }

    private int SmtpGreetingCode() => Greeting(env["SMTP_PORT"]) is { Length: >= 3 } g ? int.Parse(g[..3]) : 0;

    private static string Greeting(string port)
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", int.Parse(port)) { ReceiveTimeout = 30_000 };
            byte[] buffer = new byte[512];
            int n = client.GetStream().Read(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return "";
        }
    }

    [Fact]
    public void Start_status_mail_stop_status()
    {
        Assert.Equal(3, Rc("status").Exit);
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        Ran status = Rc("status");
        Assert.Equal(0, status.Exit);
        Assert.Matches(string.Concat(new[] { "send", "queued", "authd", "rcptd", "authres", "smtpd", "smtps", "submission", "pop3d", "pop3s" }.Select(s => $@"{s}: running \(pid \d+\)\n")), status.Stdout);
        // start again: everything running is left alone; a service that died is started alone.
        string pidDir = Path.Combine(install.Prefix, "run");
        Dictionary<string, string> pids = Directory.GetFiles(pidDir, "*.pid").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
        Harness.Ok("kill", pids["queued.pid"].Trim());
        MailService.WaitUntil(() => Rc("status").Stdout.Contains("queued: stopped\n", StringComparison.Ordinal), "queued to stop");
        Ran again = Rc("start");
        Assert.True(again.Exit == 0, again.Stderr);
        Assert.Contains("mailsuite: send is already running", again.Stderr);
        Assert.Equal(0, Rc("status").Exit);
        Dictionary<string, string> after = Directory.GetFiles(pidDir, "*.pid").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
        Assert.All(pids.Keys.Where(k => k != "queued.pid"), k => Assert.Equal(pids[k], after[k]));
        Assert.NotEqual(pids["queued.pid"], after["queued.pid"]);

        MailService.WaitUntil(() => SuiteProcesses().Length >= 10, "the daemons and the servers");
        Ran sent = Harness.Run("swaks", ["--server", "127.0.0.1", "--port", env["SMTP_PORT"], "--to", $"{bob.Name}@mail.example.test",
            "--from", "joe@example.com", "--header", "Subject: via rc"]);
        Assert.True(sent.Exit == 0, sent.Stdout);
        sent = Harness.Run("swaks", ["--server", "127.0.0.1", "--port", env["SMTPS_PORT"], "--tls-on-connect", "--to", $"{bob.Name}@mail.example.test",
            "--from", "joe@example.com", "--header", "Subject: via smtps"]);
        Assert.True(sent.Exit == 0, sent.Stdout);
        sent = Harness.Run("swaks", ["--server", "127.0.0.1", "--port", env["SUBMISSION_PORT"], "--tls", "--to", $"{bob.Name}@mail.example.test",
            "--from", $"{bob.Name}@mail.example.test", "--header", "Subject: via submission", "--auth", "LOGIN", "--auth-user", bob.Name, "--auth-password", Pop3Tests.Password]);
        Assert.True(sent.Exit == 0, sent.Stdout);
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length == 3, "the messages");
        Ran read = Harness.Run("python3", ["-c", "import poplib,ssl,sys\nc=ssl.create_default_context(cafile=sys.argv[4])\n" +
            "p=poplib.POP3_SSL('127.0.0.1',int(sys.argv[1]),context=c)\np.user(sys.argv[2])\np.pass_(sys.argv[3])\n" +
            "print(sorted(l for i in (1,2,3) for l in p.retr(i)[1] if l.startswith(b'Subject')))\nfor i in (1,2,3): p.dele(i)\np.quit()",
            env["POP3S_PORT"], bob.Name, Pop3Tests.Password, Path.Combine(install.Prefix, "control/servercert.pem")]);
        Assert.Equal("[b'Subject: via rc', b'Subject: via smtps', b'Subject: via submission']\n", read.Stdout);
        Ran plain = Harness.Run("python3", ["-c", "import poplib,sys\np=poplib.POP3('127.0.0.1',int(sys.argv[1]))\nprint(p.getwelcome())", env["POP3_PORT"]]);
        Assert.StartsWith("b'+OK ", plain.Stdout);

        // reload: new rules for the next connection, HUP to qmail-send; nothing restarts.
        File.WriteAllText(Path.Combine(install.Prefix, "control/pop3.tcp"), ":deny\n");
        Assert.Equal(0, Rc("reload").Exit);
        Ran denied = Harness.Run("python3", ["-c", "import poplib,sys\ntry: poplib.POP3('127.0.0.1',int(sys.argv[1]))\nexcept Exception as e: print('refused')", env["POP3_PORT"]]);
        Assert.Equal("refused\n", denied.Stdout);
        Assert.Equal(0, Rc("status").Exit);
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/cur")));

        Assert.Equal(0, Rc("stop").Exit);
        Assert.Equal(3, Rc("status").Exit);
        Assert.Empty(SuiteProcesses());
        Assert.Empty(Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_restart_while_200_messages_arrive_loses_none()
    {
        Assert.Equal(0, Rc("start").Exit);
        // smtplib, one connection a message, retrying a message whose connection the restart cut.
        string script = "import smtplib,sys,time\nport=int(sys.argv[1])\nfor i in range(200):\n  while True:\n    try:\n" +
            "      s=smtplib.SMTP('127.0.0.1',port,timeout=30); s.sendmail('joe@example.com',[sys.argv[2]],f'Subject: n{i}\\r\\n\\r\\nx\\r\\n'.encode()); s.quit(); break\n" +
            "    except Exception: time.sleep(0.2)\nprint('sent')\n";
        var psi = new System.Diagnostics.ProcessStartInfo("python3", ["-c", script, env["SMTP_PORT"], $"{bob.Name}@mail.example.test"]) { RedirectStandardOutput = true };
        using var sender = System.Diagnostics.Process.Start(psi)!;
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length >= 40, "the first messages");
        Ran restarted = Rc("restart");
        Assert.True(restarted.Exit == 0, restarted.Stderr);
        Assert.Equal("sent", sender.StandardOutput.ReadToEnd().Trim());
        sender.WaitForExit();
        MailService.WaitUntil(() => Subjects().Distinct().Count() == 200, "every message");
        Assert.InRange(Subjects().Count, 200, 202);   // a message whose 250 the restart cut may come twice, never less
    }

    // A renewed certificate reaches POP3S and SMTPS with a reload, no restart; one sslserver cannot
    // use leaves the old one in force (sent HUP directly: reload itself refuses a broken file).
    [Fact]
    public void Reload_gives_sslserver_a_new_certificate_and_a_broken_one_keeps_the_old()
    {
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        string cert = Path.Combine(install.Prefix, "control/servercert.pem");
        string first = Fingerprint(env["POP3S_PORT"]);
        int pop3s = int.Parse(File.ReadAllText(Path.Combine(env["PIDDIR"], "pop3s.pid")).Trim());
        Harness.Ok("sh", "-c", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=renewed.example " +
            $"-keyout {cert}.key -out {cert}.crt 2>/dev/null && cat {cert}.crt {cert}.key > {cert} && rm {cert}.crt {cert}.key");
        Ran reload = Rc("reload");
        Assert.True(reload.Exit == 0, reload.Stderr);
        MailService.WaitUntil(() => Fingerprint(env["POP3S_PORT"]) != first, "POP3S to present the renewed certificate");
        string renewed = Fingerprint(env["POP3S_PORT"]);
        Assert.Equal(renewed, Fingerprint(env["SMTPS_PORT"]));
        Assert.Equal(pop3s, int.Parse(File.ReadAllText(Path.Combine(env["PIDDIR"], "pop3s.pid")).Trim()));   // the same sslserver

        File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        MailService.Signal("HUP", pop3s);
        MailService.WaitUntil(() => File.ReadAllText(Path.Combine(env["LOGDIR"], "pop3s.log")).Contains("alert: unable to reload the certificate, keeping the old one:"), "the alert");
        Assert.Equal(renewed, Fingerprint(env["POP3S_PORT"]));
        Assert.Equal(1, Rc("reload").Exit);   // the check names the broken file and nothing is reloaded
    }

    private static string Fingerprint(string port) => Harness.Run("sh", ["-c",
        $"openssl s_client -connect 127.0.0.1:{port} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256"]).Stdout.Trim();

    private List<string> Subjects() => Directory.GetFiles(bob.Path("Maildir/new"))
        .Select(f => File.ReadLines(f).FirstOrDefault(l => l.StartsWith("Subject: ", StringComparison.Ordinal)) ?? "").ToList();
}
