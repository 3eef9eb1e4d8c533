// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace MailSuite.EndToEnd.Tests;

// STARTTLS, SMTPS, SMTP AUTH and submission as rc runs them: qmail-smtpd as qmaild with
// "hostname checkpassword /bin/true", checkpassword (as qmaild) asking qmail-authd.
public sealed class SmtpTlsAuthTests : IDisposable
{
    private const string Remote = "friend@remote.example";
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly Process authd;
    private readonly SmtpServer smtp;
    private readonly SmtpServer smtps;
    private readonly SmtpServer submission;

    public SmtpTlsAuthTests()
    {
        ann.SetPassword(Pop3Tests.Password);
        authd = Process.Start(new ProcessStartInfo(install.Bin("qmail-authd")) { RedirectStandardError = true })!;
        MailService.WaitUntil(() => File.Exists(Path.Combine(install.Prefix, "authd/socket")), "qmail-authd's socket");
        string rules = Path.Combine(install.Prefix, "control/smtp.cdb");
        Assert.Equal(0, Harness.Run(install.Bin("tcprules"), [rules, rules + ".tmp"], stdin: "127.0.0.1:allow\n:deny\n").Exit);
        string[] qmaild = ["-u", Harness.Ok("id", "-u", "qmaild").Stdout.Trim(), "-g", Harness.Ok("id", "-g", "qmaild").Stdout.Trim()];
        string[] program = [install.Bin("qmail-smtpd"), "mail.example.test", install.Bin("checkpassword"), "/bin/true"];
        var cert = new Dictionary<string, string> { ["CERTFILE"] = Path.Combine(install.Prefix, "control/servercert.pem") };
        smtp = new SmtpServer(install.Bin("tcpserver"), ["-1", "-v", "-R", "-H", "-x", rules, .. qmaild, "127.0.0.1", "0", .. program]);
        smtps = new SmtpServer(cert, install.Bin("sslserver"), ["-1", "-v", "-R", "-H", "-x", rules, .. qmaild, "127.0.0.1", "0", .. program]);
        submission = new SmtpServer(new Dictionary<string, string> { ["SMTPAUTH"] = "!", ["QMAILQUEUE"] = install.Bin("qmail-submit") }, install.Bin("tcpserver"),
            ["-1", "-v", "-R", "-H", .. qmaild, "127.0.0.1", "0", .. program]);
    }

    public void Dispose()
    {
        submission.Dispose();
        smtps.Dispose();
        smtp.Dispose();
        authd.Kill();
        authd.WaitForExit();
        authd.Dispose();
        install.Dispose();
    }

    private static Ran Swaks(int port, params string[] more) => Harness.Run("swaks", ["--server", "127.0.0.1", "--port", port.ToString(),
        "--from", "mstestann@mail.example.test", "--to", Remote, "--header", "Subject: relayed", .. more]);

    private string[] AuthAs(string mechanism, string password = Pop3Tests.Password) =>
        ["--auth", mechanism, "--auth-user", ann.Name, "--auth-password", password];

    private string QueuedMessage() => File.ReadAllText(Assert.Single(
        Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories)));

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public void Starttls_then_auth_lets_a_user_relay_and_the_received_line_names_them(string mechanism)
    {
        Ran r = Swaks(smtp.Port, ["--tls", .. AuthAs(mechanism)]);
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Contains("<~  235 ok, go ahead", r.Stdout);
        Assert.Matches(@"<~  250 ok \d+ qp \d+", r.Stdout);
        string message = QueuedMessage();
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(message, @"Received: from unknown \(HELO \S+\) \(mstestann@127\.0\.0\.1\)\n  by \S+ with ESMTPSA \(TLSv1\.3 TLS_\w+\); "), message);
        Assert.Matches($"qmail-smtpd: ip=127.0.0.1 helo=\\S+ from=<mstestann@mail.example.test> to=<{Remote}> auth=mstestann tls=TLSv1.3/TLS_\\w+ size=\\d+ result=250 ok", smtp.Log);
    }

    [Fact]
    public void Without_auth_relaying_is_refused_and_auth_is_not_offered_in_clear()
    {
        Ran r = Swaks(smtp.Port, "--tls");
        Assert.NotEqual(0, r.Exit);
        Assert.True(r.Stdout.Contains("<~* 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", StringComparison.Ordinal), r.Stdout);
        Assert.Empty(Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories));

        Ran py = Harness.Run("python3", ["-c", "import smtplib,ssl,sys\ns=smtplib.SMTP('127.0.0.1',int(sys.argv[1]))\ns.ehlo()\n" +
            "print('clear', sorted(s.esmtp_features))\ns.starttls(context=ssl._create_unverified_context())\ns.ehlo()\nprint('tls', sorted(s.esmtp_features))\n" +
            "try: s.login('mstestann','wrong')\nexcept smtplib.SMTPAuthenticationError as e: print(e.smtp_code, e.smtp_error.decode())\n", smtp.Port.ToString()]);
        Assert.Equal("clear ['8bitmime', 'pipelining', 'size', 'smtputf8', 'starttls']\ntls ['8bitmime', 'auth', 'pipelining', 'size', 'smtputf8']\n" +
            "535 authentication failed (#5.7.8)\n", py.Stdout);
        string inClear = smtp.Converse("EHLO x\r\nAUTH PLAIN AG1zdGVzdGFubgB4\r\nQUIT\r\n");
        Assert.Contains("530 must issue a STARTTLS command first (#5.7.0)", inClear);
        MailService.WaitUntil(() => smtp.Log.Contains("checkpassword: login failed for mstestann from 127.0.0.1", StringComparison.Ordinal), "the failure in the log");
    }

    [Fact]
    public void Smtps_on_connect_with_auth_relays()
    {
        Ran r = Swaks(smtps.Port, ["--tls-on-connect", .. AuthAs("LOGIN")]);
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Contains("(mstestann@127.0.0.1)", QueuedMessage());   // the real client address behind sslserver
        Ran wrong = Swaks(smtps.Port, ["--tls-on-connect", .. AuthAs("PLAIN", "nope")]);
        Assert.True(wrong.Stdout.Contains("<~* 535 authentication failed (#5.7.8)", StringComparison.Ordinal), wrong.Stdout);
    }

    [Fact]
    public void Submission_requires_auth_after_starttls()
    {
        string clear = submission.Converse("EHLO x\r\nMAIL FROM:<mstestann@mail.example.test>\r\nQUIT\r\n");
        Assert.Contains("530 must issue a STARTTLS command first (#5.7.0)", clear);
        Ran noAuth = Swaks(submission.Port, "--tls");
        Assert.True(noAuth.Stdout.Contains("<~* 530 authentication required (#5.7.0)", StringComparison.Ordinal), noAuth.Stdout);
        Ran r = Swaks(submission.Port, ["--tls", .. AuthAs("PLAIN")]);
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Contains("with ESMTPSA", QueuedMessage());
    }

    // swaks on 587 with AUTH PLAIN; its own message (Date, Message-Id and a From: of the sender) unless data names a file.
    private Ran Submit(string from, TestUser? user = null, string? data = null) => Harness.Run("swaks", ["--server", "127.0.0.1", "--port", submission.Port.ToString(),
        "--tls", "--from", from, "--to", Remote, "--auth", "PLAIN", "--auth-user", (user ?? ann).Name, "--auth-password", Pop3Tests.Password,
        .. data is null ? (string[])["--header", "Subject: submitted"] : ["--data", data]]);

    private int Queued() => Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories).Length;

    [Fact]
    public void An_authenticated_user_sends_only_as_themselves_unless_control_sendas_grants_more()
    {
        foreach (string forged in (string[])["ceo@bigbank.test", "root@mail.example.test", "mstestannx@mail.example.test"])
        {
            Ran refused = Submit(forged);
            Assert.True(refused.Stdout.Contains("553 sorry, that sender address is not one of yours (#5.7.1)", StringComparison.Ordinal), forged + "\n" + refused.Stdout);
        }
        Assert.Equal(0, Queued());
        Assert.True(Submit("MsTestAnn@Mail.Example.Test").Exit == 0);
        Assert.True(Submit("mstestann-lists@mail.example.test").Exit == 0);   // qmail's extension addresses are the user's
        Assert.Equal(2, Queued());

        File.WriteAllText(Path.Combine(install.Prefix, "control/sendas"), "mstestann:ceo@bigbank.test,@ann.example\nother:*\n");
        Assert.True(Submit("ceo@bigbank.test").Exit == 0);
        Assert.True(Submit("anything@ann.example").Exit == 0);
        Assert.Contains("553 sorry", Submit("cfo@bigbank.test").Stdout);
        Assert.Equal(4, Queued());
        MailService.WaitUntil(() => submission.Log.Contains("auth=mstestann from=<cfo@bigbank.test> result=553", StringComparison.Ordinal), "the refusal's log line");
    }

    [Fact]
    public void A_submitted_message_gets_a_missing_date_and_message_id_and_a_from_of_someone_else_is_refused()
    {
        string data = Path.Combine(install.Prefix, "bare.eml");
        File.WriteAllText(data, $"From: Ann <mstestann@mail.example.test>\nTo: {Remote}\nSubject: bare\n\nHello.\n");
        Ran bare = Submit("mstestann@mail.example.test", data: data);
        Assert.True(bare.Exit == 0, bare.Stdout);
        string queued = QueuedMessage();
        Assert.Matches(@"\nSubject: bare\nDate: [A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\nMessage-ID: <[^>\n]+@mail\.example\.test>\n\nHello\.\n", queued);

        File.WriteAllText(data, $"From: The CEO <ceo@bigbank.test>\nTo: {Remote}\nSubject: forged\n\nPay this.\n");
        Ran forged = Submit("mstestann@mail.example.test", data: data);
        Assert.True(forged.Stdout.Contains("554 mail server permanently rejected message (#5.3.0)", StringComparison.Ordinal), forged.Stdout);
        Assert.Equal(1, Queued());

        Assert.True(Submit("mstestann@mail.example.test").Exit == 0);   // swaks writes Date and Message-Id itself: kept, not doubled
        string withDate = Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories)
            .Select(File.ReadAllText).Single(m => m.Contains("Subject: submitted", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(withDate, "^Date:", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(withDate, "^Message-I[Dd]:", System.Text.RegularExpressions.RegexOptions.Multiline));
    }

    [Fact]
    public void Past_control_sendlimit_a_user_gets_451_while_others_still_send()
    {
        var bob = new TestUser("msteststbob");
        bob.SetPassword(Pop3Tests.Password);
        File.WriteAllText(Path.Combine(install.Prefix, "control/sendlimit"), "2:3600\n");
        Assert.True(Submit("mstestann@mail.example.test").Exit == 0);
        Assert.True(Submit("mstestann@mail.example.test").Exit == 0);
        Ran third = Submit("mstestann@mail.example.test");
        Assert.True(third.Stdout.Contains("451 sorry, you have sent too many messages lately; try again later (#4.7.1)", StringComparison.Ordinal), third.Stdout);
        Ran other = Submit($"{bob.Name}@mail.example.test", bob);
        Assert.True(other.Exit == 0, other.Stdout);
        Assert.Equal(3, Queued());
    }

    [Fact]
    public void Commands_injected_before_the_tls_handshake_are_discarded()
    {
        using var tcp = new TcpClient("127.0.0.1", smtp.Port);
        NetworkStream net = tcp.GetStream();
        var reader = new StreamReader(net, Encoding.ASCII);
        Assert.StartsWith("220 ", reader.ReadLine());
        net.Write("EHLO x\r\n"u8);
        while (reader.ReadLine() is string l && !l.StartsWith("250 ", StringComparison.Ordinal)) { }
        net.Write("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n"u8);   // one packet: the classic injection
        Assert.Equal("220 ready to start TLS", reader.ReadLine());
        string ours = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            File.ReadAllText(Path.Combine(install.Prefix, "control/servercert.pem"))).Thumbprint;
        using var tls = new SslStream(net, false, (_, presented, _, _) => presented is not null && presented.GetCertHashString() == ours);
        tls.AuthenticateAsClient("mail.example.test");
        var secure = new StreamReader(tls, Encoding.ASCII);
        tls.Write("EHLO x\r\n"u8);
        while (secure.ReadLine() is string l && !l.StartsWith("250 ", StringComparison.Ordinal)) { }
        tls.Write("RCPT TO:<mstestann@mail.example.test>\r\n"u8);
        Assert.Equal("503 MAIL first (#5.5.1)", secure.ReadLine());
    }
}
