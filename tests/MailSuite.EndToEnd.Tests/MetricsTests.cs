// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// qmail-metrics under tcpserver, started by rc/mailsuite with METRICS_PORT, scraped with curl
// and checked with Prometheus's promtool; its numbers against qmail-qstat and the logs after
// real traffic: a message over SMTP with one recipient refused by rcpthosts, a failed POP3 login,
// a remote message deferred.
public sealed class MetricsTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");
    private readonly Dictionary<string, string> env;

    public MetricsTests()
    {
        Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));
        bob.SetPassword(Pop3Tests.Password);
        File.WriteAllText(Path.Combine(install.Prefix, "control/smtp.tcp"), ":allow\n");   // no relaying, even from loopback
        env = new Dictionary<string, string>
        {
            ["PREFIX"] = install.Prefix, ["SMTP_PORT"] = RcTests.FreePort(), ["POP3_PORT"] = RcTests.FreePort(),
            ["SMTPS_PORT"] = RcTests.FreePort(), ["POP3S_PORT"] = RcTests.FreePort(), ["SUBMISSION_PORT"] = RcTests.FreePort(),
            ["METRICS_PORT"] = RcTests.FreePort(),
            ["PIDDIR"] = Path.Combine(install.Prefix, "run"), ["LOGDIR"] = Path.Combine(install.Prefix, "log"),
        };
    }

    public void Dispose()
    {
        Rc("stop");
        install.Dispose();
    }

    private Ran Rc(params string[] command) => Harness.Run(Path.Combine(Harness.RepoRoot, "rc", "mailsuite"), command, env: env);

    private Ran Curl(params string[] args) => Harness.Run("curl", ["-s", "-S", .. args, $"http://127.0.0.1:{env["METRICS_PORT"]}/metrics"]);

    private string Log(string service) => File.ReadAllText(Path.Combine(env["LOGDIR"], service + ".log"));

    private string Check(string ports) =>
        Harness.Run(install.Bin("mailsuite-check"), ["--prefix", install.Prefix, "--user", bob.Name, "--ports", ports]).Stdout;

    private static double Value(string page, string sample)
    {
        Match m = Regex.Match(page, "^" + Regex.Escape(sample) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(m.Success, $"no sample {sample} in:\n{page}");
        return double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_page_passes_promtool_and_agrees_with_qstat_and_the_logs()
    {
        Ran started = Rc("start");
        Assert.True(started.Exit == 0, started.Stderr);
        Ran smtp = Harness.Run("/usr/bin/python3", ["-c",
            "import smtplib,sys\ns=smtplib.SMTP('127.0.0.1', int(sys.argv[1]))\n" +
            "print(s.sendmail('joe@example.com', [sys.argv[2], 'x@elsewhere.example'], 'Subject: m\\r\\n\\r\\nbody\\r\\n'))\ns.quit()",
            env["SMTP_PORT"], $"{bob.Name}@mail.example.test"]);
        Assert.True(smtp.Exit == 0, smtp.Stderr);
        Assert.Contains("x@elsewhere.example", smtp.Stdout);   // refused, the other accepted
        Ran pop = Harness.Run("/usr/bin/python3", ["-c",
            "import poplib,sys\np=poplib.POP3('127.0.0.1', int(sys.argv[1]))\np.user(sys.argv[2])\ntry:\n p.pass_('wrong')\nexcept poplib.error_proto as e:\n print(e)",
            env["POP3_PORT"], bob.Name]);
        Assert.Contains("-ERR", pop.Stdout);
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["far@remote.example"], stdin: "Subject: out\n\nx\n").Exit);
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length == 1 && Log("send").Contains("deferral:"), "the local delivery and the remote deferral");
        MailService.WaitUntil(() => Log("pop3d").Contains("login failed for"), "the failed login in the log");

        Ran scrape = Curl("-D", "-");
        Assert.True(scrape.Exit == 0, scrape.Stderr);
        Assert.StartsWith("HTTP/1.0 200 OK\r\n", scrape.Stdout);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", scrape.Stdout);
        string page = scrape.Stdout[(scrape.Stdout.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Ran lint = Harness.Run("promtool", ["check", "metrics"], stdin: page);
        Assert.True(lint.Exit == 0, lint.Stdout + lint.Stderr);

        string[] qstat = Harness.Ok(install.Bin("qmail-qstat")).Stdout.Split('\n');
        Assert.Equal(double.Parse(qstat[0].Split(": ")[1]), Value(page, "mailsuite_queue_messages"));
        Assert.Equal(double.Parse(qstat[1].Split(": ")[1]), Value(page, "mailsuite_queue_unpreprocessed_messages"));
        Assert.Equal(1, Value(page, "mailsuite_queue_readable"));
        Assert.Equal(1, Value(page, "mailsuite_queue_messages"));   // the deferred one
        Assert.Equal(Regex.Count(Log("send"), "delivery \\d+: deferral"), Value(page, "mailsuite_deliveries_total{channel=\"remote\",result=\"deferral\"}"));
        Assert.Equal(1, Value(page, "mailsuite_deliveries_total{channel=\"local\",result=\"success\"}"));
        Assert.Equal(1, Value(page, "mailsuite_smtp_transactions_total{service=\"smtpd\",result=\"accepted\"}"));
        Assert.Equal(1, Value(page, "mailsuite_smtp_refused_recipients_total{service=\"smtpd\",reason=\"rcpthosts\"}"));
        Assert.Equal(1, Value(page, "mailsuite_logins_total{service=\"pop3d\",result=\"failure\"}"));
        Assert.Equal(Regex.Count(Log("smtpd"), "tcpserver: ok "), Value(page, "mailsuite_connections_total{service=\"smtpd\",event=\"accepted\"}"));
        Assert.Equal(1, Value(page, "mailsuite_up{service=\"smtpd\"}"));
        Assert.Equal(1, Value(page, "mailsuite_up{service=\"metrics\"}"));
        Assert.InRange(Value(page, "mailsuite_queue_oldest_message_age_seconds"), 0, 3600);

        // mailsuite-check knows the metrics listener when told its port, and names it otherwise.
        string ports = $"smtp={env["SMTP_PORT"]},smtps={env["SMTPS_PORT"]},submission={env["SUBMISSION_PORT"]},pop3={env["POP3_PORT"]},pop3s={env["POP3S_PORT"]}";
        Assert.Contains("ok    listening ports are exactly the configured ones\n", Check(ports + $",metrics={env["METRICS_PORT"]}"));
        Assert.Contains($"unexpected listener 127.0.0.1:{env["METRICS_PORT"]} (tcpserver,", Check(ports));

        // It runs as qmails, not root: a log without qmails's ACL is one it cannot read.
        Harness.Ok("setfacl", "-b", Path.Combine(env["LOGDIR"], "pop3s.log"));
        Assert.Equal(0, Rc("stop", "pop3d").Exit);
        string after = Curl().Stdout;
        Assert.Equal(0, Value(after, "mailsuite_log_readable{service=\"pop3s\"}"));
        Assert.Equal(1, Value(after, "mailsuite_log_readable{service=\"smtpd\"}"));
        Assert.Equal(0, Value(after, "mailsuite_up{service=\"pop3d\"}"));
        Assert.Contains("HTTP/1.0 405 ", Curl("-D", "-", "-X", "POST").Stdout);
        // Hostile requests: a NUL, 8-bit bytes, a header past 8 KiB each get 400 (or a reset, the
        // server having stopped reading), never the page.
        string[] hostile = [@"b'GET /metrics\x00 HTTP/1.0\r\n\r\n'", @"b'GET /m\xe9trics HTTP/1.0\r\n\r\n'",
            @"b'GET /metrics HTTP/1.0\r\nX: ' + b'y' * 100000 + b'\r\n\r\n'"];
        const string client = "import socket,sys\ns=socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n" +
            "try:\n s.sendall(eval(sys.argv[2])); print(s.recv(100).split(b'\\r\\n')[0].decode())\nexcept OSError:\n print('reset')";
        foreach (string request in hostile)
        {
            Ran raw = Harness.Run("/usr/bin/python3", ["-c", client, env["METRICS_PORT"], request]);
            Assert.Contains(raw.Stdout.Trim(), (string[])["HTTP/1.0 400 Bad Request", "reset"]);
        }
        Assert.Contains("HTTP/1.0 404 ", Harness.Run("curl", ["-s", "-D", "-", $"http://127.0.0.1:{env["METRICS_PORT"]}/other"]).Stdout);
    }
}
