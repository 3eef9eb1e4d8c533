// SPDX-License-Identifier: MIT
using System.Text;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailSuite.EndToEnd.Tests;

// The SMTP edge: our tcpserver + qmail-smtpd as qmaild, real clients, real queue and delivery.
public sealed class SmtpTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");
    private readonly MailService service;
    private readonly SmtpServer smtp;
    private readonly string rules;

    public SmtpTests()
    {
        Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));
        service = new MailService(install);
        rules = Path.Combine(install.Prefix, "control/smtp.cdb");
        Assert.Equal(0, Harness.Run(install.Bin("tcprules"), [rules, rules + ".tmp"],
            stdin: "127.0.0.1:allow\n127.0.0.3:allow,RELAYCLIENT=\"\"\n:deny\n").Exit);
        smtp = Start(install.Bin("tcpserver"));
    }

    private SmtpServer Start(string tcpserver, string? rulesFile = null) => new(tcpserver, "-1", "-v", "-R", "-H", "-l", "0",
        "-x", rulesFile ?? rules, "-u", Id("-u"), "-g", Id("-g"), "127.0.0.1", "0", install.Bin("qmail-smtpd"));

    private static string Id(string flag) => Harness.Ok("id", flag, "qmaild").Stdout.Trim();

    public void Dispose()
    {
        smtp.Dispose();
        service.Dispose();
        install.Dispose();
    }

    private string[] Delivered(int atLeast = 1)
    {
        string dir = bob.Path("Maildir/new");
        MailService.WaitUntil(() => Directory.GetFiles(dir).Length >= atLeast, $"{atLeast} message(s) in {dir}");
        return Directory.GetFiles(dir).Order().ToArray();
    }

    private string[] Queued(string sub) => Directory.GetFiles(Path.Combine(install.Prefix, "queue", sub), "*", SearchOption.AllDirectories);

    private string Rcpt => $"{bob.Name}@mail.example.test";

    // A fresh install limits a message to 10240000 bytes (control/databytes, as the guide asks,
    // Postfix's default size): EHLO says so, and a bigger message is refused whole, declared with
    // SIZE or not, and nothing of it is queued or delivered.
    [Fact]
    public void A_fresh_install_refuses_a_message_over_ten_megabytes_and_keeps_none_of_it()
    {
        Assert.Equal("10240000\n", File.ReadAllText(Path.Combine(install.Prefix, "control/databytes")));
        Ran r = Harness.Run("/usr/bin/python3", ["-c", """
            import smtplib, sys
            s = smtplib.SMTP('127.0.0.1', int(sys.argv[1])); s.ehlo()
            print('size', s.esmtp_features.get('size'))
            big = b'Subject: big\r\n\r\n' + (b'x' * 998 + b'\r\n') * 11000
            try: s.sendmail('joe@example.com', [sys.argv[2]], big)
            except smtplib.SMTPSenderRefused as e: print('declared', e.smtp_code)
            s.rset(); s.mail('joe@example.com'); s.rcpt(sys.argv[2])
            print('undeclared', s.data(big)[0])
            s.quit()
            """, smtp.Port.ToString(), Rcpt]);
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("size 10240000\ndeclared 552\nundeclared 552\n", r.Stdout);
        Assert.Empty(Queued("mess"));
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/new")));
    }

    [Fact]
    public void A_utf8_local_part_sent_with_smtputf8_reaches_the_right_user_byte_for_byte()
    {
        // bob's extension "jörg", governed by ~bob/.qmail-jörg (a UTF-8 file name), and the same
        // address through qmail-inject; Python's smtplib sends SMTPUTF8 only to a server that offers it.
        File.WriteAllText(bob.Path(".qmail-jörg"), "./Maildir/\n");
        Harness.Ok("chown", bob.Name, bob.Path(".qmail-jörg"));
        string to = $"{bob.Name}-jörg@mail.example.test";
        Ran sent = Harness.Run("/usr/bin/python3", ["-c", "import smtplib,sys\ns=smtplib.SMTP('127.0.0.1',int(sys.argv[1]))\n" +
            "print(s.ehlo()[1].decode().split('\\n'))\n" +
            "s.sendmail('jöe@example.com',[sys.argv[2]],'Subject: utf8\\r\\n\\r\\nHallo J\\u00f6rg.\\r\\n'.encode(),mail_options=['SMTPUTF8'])\ns.quit()",
            smtp.Port.ToString(), to]);
        Assert.True(sent.Exit == 0, sent.Stdout + sent.Stderr);
        Assert.Contains("'SMTPUTF8'", sent.Stdout);
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), [to], stdin: "Subject: injected\n\nHallo.\n").Exit);
        string[] files = Delivered(2);
        byte[] expected = System.Text.Encoding.UTF8.GetBytes($"Delivered-To: {to}\n");
        foreach (string f in files)
            Assert.True(File.ReadAllBytes(f).AsSpan().IndexOf(expected) >= 0, File.ReadAllText(f));
        Assert.Contains("Return-Path: <jöe@example.com>\n", File.ReadAllText(files.Single(f => File.ReadAllText(f).Contains("Subject: utf8", StringComparison.Ordinal))));
    }

    [Fact]
    public void Swaks_delivers_byte_exact_through_tcpserver_and_qmail_smtpd()
    {
        Ran r = Harness.Run("swaks", ["--server", "127.0.0.1", "--port", smtp.Port.ToString(), "--from", "joe@example.com", "--to", Rcpt,
            "--header", "Subject: via swaks", "--body", "line one\n.leading dot\nlast line"]);
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        string text = File.ReadAllText(Assert.Single(Delivered()));
        Assert.Contains("\nReceived: from unknown (HELO ", text);
        Assert.Contains("(127.0.0.1)\n  by 0 with SMTP; ", text);
        Assert.Contains("\nSubject: via swaks\n", text);
        Assert.Contains("\n\nline one\n.leading dot\nlast line\n", text);   // swaks sent "..leading dot"; we unstuff
        Assert.Contains("tcpserver: ok ", smtp.Log);
        Assert.Matches(@"qmail-smtpd: ip=127\.0\.0\.1 helo=\S+ from=<joe@example.com> to=<mstestbob@mail.example.test> spf=\w+ size=\d+ result=250 ok \d+ qp \d+", smtp.Log);
    }

    [Fact]
    public void Python_smtplib_and_mailkit_deliver_too()
    {
        string script = "import smtplib,sys\ns=smtplib.SMTP('127.0.0.1', int(sys.argv[1]))\n" +
            "s.sendmail('py@example.com', [sys.argv[2]], 'Subject: from python\\r\\n\\r\\n\\xe9t\\xe9 8-bit body\\r\\n'.encode('latin-1'))\ns.quit()\n";
        Assert.Equal(0, Harness.Run("python3", ["-c", script, smtp.Port.ToString(), Rcpt]).Exit);

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("mk@example.com"));
        message.To.Add(MailboxAddress.Parse(Rcpt));
        message.Subject = "from mailkit";
        message.Body = new TextPart("plain") { Text = "Hello from MailKit.\n" };
        using (var client = new SmtpClient())
        {
            client.Connect("127.0.0.1", smtp.Port, MailKit.Security.SecureSocketOptions.None);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.EightBitMime));
            client.Send(message);
            client.Disconnect(true);
        }
        string[] files = Delivered(2);
        string all = string.Concat(files.Select(f => File.ReadAllText(f, Encoding.Latin1)));
        Assert.Contains("Subject: from python\n\n\u00e9t\u00e9 8-bit body\n", all);
        Assert.Contains("Subject: from mailkit\n", all);
        Assert.Contains("Hello from MailKit.\n", all);
    }

    [Fact]
    public void Rules_deny_other_addresses_and_relayclient_lets_a_client_relay()
    {
        string denied = smtp.Converse("QUIT\r\n", from: "127.0.0.2");
        Assert.Equal("", denied);
        string served = smtp.Converse("QUIT\r\n", from: "127.0.0.1");
        Assert.StartsWith("220 mail.example.test ESMTP\r\n221 ", served);

        string relay = $"HELO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<someone@remote.example>\r\nQUIT\r\n";
        Assert.Contains("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", smtp.Converse(relay, from: "127.0.0.1"));
        string relayed = smtp.Converse($"HELO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<someone@remote.example>\r\nDATA\r\nSubject: relayed\r\n\r\nx\r\n.\r\nQUIT\r\n", from: "127.0.0.3");
        Assert.Contains("354 go ahead", relayed);
        Assert.Matches(@"250 ok \d+ qp \d+", relayed);
        MailService.WaitUntil(() => Queued("remote").Length == 1, "the relayed message in remote/");
    }

    [Theory]
    [InlineData("someone%remote.example@mail.example.test")]
    [InlineData("remote.example!someone@mail.example.test")]
    [InlineData("@mail.example.test:someone@remote.example")]
    [InlineData("\"someone@remote.example\"@mail.example.test")]
    [InlineData("someone@remote.example@mail.example.test")]
    [InlineData("someone@REMOTE.EXAMPLE")]
    [InlineData("someone@remote.example.")]
    [InlineData("someone@mail.example.test.")]
    public void Classic_relay_tricks_never_relay(string address)
    {
        // The sender is local, so any bounce stays here too: nothing may ever reach remote/.
        string reply = smtp.Converse($"HELO x\r\nMAIL FROM:<{Rcpt}>\r\nRCPT TO:<{address}>\r\nDATA\r\nSubject: trick\r\n\r\nx\r\n.\r\nQUIT\r\n");
        bool refused = reply.Contains("553 sorry, that domain isn't in my list of allowed rcpthosts");
        bool accepted = System.Text.RegularExpressions.Regex.IsMatch(reply, @"250 ok \d+ qp \d+");
        Assert.True(refused ^ accepted, reply);
        if (accepted) MailService.WaitUntil(() => service.Log.Contains("end msg") && Queued("mess").Length == 0, "local handling of the message");
        Assert.Empty(Queued("remote"));
        Assert.DoesNotContain("to remote ", service.Log);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r.\r")]
    [InlineData("\r\n.\r")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\n.\r")]
    public void Smuggling_payloads_never_make_a_second_message(string endOfData)
    {
        string smuggled = $"HELO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<{Rcpt}>\r\nDATA\r\nSubject: first\r\n\r\nx{endOfData}" +
            $"MAIL FROM:<evil@example.com>\r\nRCPT TO:<{Rcpt}>\r\nDATA\r\nSubject: smuggled\r\n\r\ny\r\n.\r\nQUIT\r\n";
        string reply = smtp.Converse(smuggled);
        Assert.DoesNotContain("Subject: smuggled", string.Concat(Directory.GetFiles(bob.Path("Maildir/new")).Select(File.ReadAllText)));
        Assert.Contains("451 See https://cr.yp.to/docs/smtplf.html", reply);
        Assert.DoesNotMatch(@"250 ok \d+ qp", reply);
        Assert.Empty(Queued("mess"));
    }

    [Fact]
    public void Pipelined_commands_are_answered_in_order_and_bad_input_is_survived()
    {
        string reply = smtp.Converse(
            $"EHLO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<{Rcpt}>\r\nRCPT TO:<nobody@remote.example>\r\nNOOP\r\n" +
            $"{new string('A', 5000)}\r\nBDAT 10\r\nVRFY x\r\nRSET\r\nDATA\r\nMAIL FROM:<a\0b@example.com>\r\nQUIT\r\n");
        string[] codes = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l[..3]).ToArray();
        // 220 greeting; EHLO (6 lines, STARTTLS among them); MAIL; RCPT; RCPT refused; NOOP; overlong line; BDAT; VRFY;
        // RSET; DATA without MAIL; MAIL with a NUL in the address (refused); QUIT.
        Assert.Equal(["220", "250", "250", "250", "250", "250", "250", "250", "250", "553", "250", "500", "502", "252", "250", "503", "501", "221"], codes);
    }

    [Theory]
    [InlineData("victim@elsewhere.test\0T{0}")]        // a second T record smuggled into qmail-queue's envelope
    [InlineData("{0}\0Tvictim@elsewhere.test")]
    [InlineData("victim@elsewhere.test\rRCPT TO:<{0}")]
    [InlineData("victim@elsewhere.test\x7f@{1}")]
    public void Control_characters_in_an_address_are_refused_and_never_relay(string template)
    {
        string address = string.Format(template, Rcpt, "mail.example.test");
        string reply = smtp.Converse($"HELO x\r\nMAIL FROM:<{Rcpt}>\r\nRCPT TO:<{address}>\r\nDATA\r\nSubject: nul\r\n\r\nx\r\n.\r\nQUIT\r\n");
        Assert.Contains("501 sorry, an address may not hold control characters (#5.5.4)", reply);
        Assert.DoesNotMatch(@"250 ok \d+ qp \d+", reply);
        Assert.Contains("503 RCPT first", reply);
        Assert.Contains("501 sorry", smtp.Converse($"HELO x\r\nMAIL FROM:<{address}>\r\nQUIT\r\n"));
        Assert.Empty(Queued("mess"));
        Assert.Empty(Queued("remote"));
    }

    [Fact]
    public void A_hundred_thousand_refused_recipients_cost_bounded_memory_and_one_short_log_line()
    {
        using var client = new System.Net.Sockets.TcpClient("127.0.0.1", smtp.Port);
        using var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        Assert.StartsWith("220 ", reader.ReadLine());
        const int Count = 100_000;
        var batch = new StringBuilder("HELO x\r\nMAIL FROM:<a@example.com>\r\n");
        for (int i = 0; i < Count; i++) batch.Append("RCPT TO:<victim").Append(i).Append("@elsewhere.example>\r\n");
        var send = new Thread(() =>
        {
            try
            {
                stream.Write(Encoding.ASCII.GetBytes(batch.ToString()));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The reading side fails the test; an exception here would crash the test host instead.
            }
        });
        send.Start();
        int refused = 0;
        for (int i = 0; i < Count + 2; i++) if (reader.ReadLine()!.StartsWith("553 ", StringComparison.Ordinal)) refused++;
        send.Join();
        Assert.Equal(Count, refused);
        int pid = Assert.Single(Harness.Pids(exe => exe.EndsWith("/qmail-smtpd", StringComparison.Ordinal)));
        long peakKiB = long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.True(peakKiB < 64 * 1024, $"qmail-smtpd's peak RSS was {peakKiB} KiB after {Count} refused recipients");
        stream.Write("QUIT\r\n"u8);
        Assert.StartsWith("221 ", reader.ReadLine());
        MailService.WaitUntil(() => smtp.Log.Contains("result=no DATA: quit"), "the transaction's log line");
        string line = smtp.Log.Split('\n').Single(l => l.Contains("result=no DATA: quit"));
        Assert.True(line.Length < 8192, $"a log line of {line.Length} bytes");
        Assert.Contains($",+{Count - 20} ", line);
    }

    // The log says which rule refused what: a sender in badmailfrom, a recipient outside
    // rcpthosts, a SIZE over databytes, and a transaction the client cancelled with RSET.
    [Fact]
    public void Each_refusal_is_logged_with_its_own_reason()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/badmailfrom"), "@spam.example\n");
        File.WriteAllText(Path.Combine(install.Prefix, "control/databytes"), "1000\n");
        string answer = smtp.Converse("HELO c\r\n" +
            $"MAIL FROM:<x@spam.example>\r\nRCPT TO:<{Rcpt}>\r\nRSET\r\n" +
            $"MAIL FROM:<joe@example.com>\r\nRCPT TO:<victim@elsewhere.example>\r\nRCPT TO:<{Rcpt}>\r\nRSET\r\n" +
            "MAIL FROM:<joe@example.com> SIZE=5000\r\nQUIT\r\n");
        Assert.Contains("552 ", answer);
        string[] expected =
        [
            $"from=<x@spam.example> to= refused=<{Rcpt}>:badmailfrom spf=",
            $"from=<joe@example.com> to=<{Rcpt}> refused=<victim@elsewhere.example>:rcpthosts spf=",
            "from=<joe@example.com> size=5000 result=refused: SIZE over databytes 1000",
        ];
        foreach (string e in expected) MailService.WaitUntil(() => smtp.Log.Contains(e, StringComparison.Ordinal), e);
        Assert.Equal(2, smtp.Log.Split('\n').Count(l => l.Contains("result=no DATA: RSET", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_client_that_keeps_a_session_busy_is_closed_at_the_session_deadline()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/timeoutsmtpdsession"), "2\n");
        using var client = new System.Net.Sockets.TcpClient("127.0.0.1", smtp.Port);
        using var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        Assert.StartsWith("220 ", reader.ReadLine());
        string? last = null;
        for (int i = 0; i < 600 && last is null or "250 ok"; i++)   // a NOOP every 100 ms, well inside the idle timeout
        {
            Thread.Sleep(100);
            try
            {
                stream.Write("NOOP\r\n"u8);
                last = reader.ReadLine();
            }
            catch (IOException)
            {
                break;
            }
        }
        Assert.Equal("421 session time limit reached, closing (#4.4.2)", last);
        Assert.Null(reader.ReadLine());
        MailService.WaitUntil(() => smtp.Log.Contains("session time limit of 2 s reached"), "the log line");
    }

    [Fact]
    public void Client_that_stops_mid_data_queues_nothing()
    {
        string reply = smtp.Converse($"HELO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<{Rcpt}>\r\nDATA\r\nSubject: cut\r\n\r\nhalf a mess", hangUp: true);
        Assert.Contains("354 go ahead", reply);
        MailService.WaitUntil(() => smtp.Log.Contains("client vanished during DATA"), "the abandoned transaction in the log");
        Assert.Empty(Queued("mess"));
        Assert.Empty(Queued("todo"));
    }

    [Fact]
    public void Our_qmail_smtpd_runs_under_debians_tcpserver_with_debians_rules()
    {
        string debianRules = Path.Combine(install.Prefix, "control/debian.cdb");
        Assert.Equal(0, Harness.Run("/usr/bin/tcprules", [debianRules, debianRules + ".tmp"], stdin: "127.0.0.1:allow\n:deny\n").Exit);
        using SmtpServer debian = Start("/usr/bin/tcpserver", debianRules);
        string reply = debian.Converse($"HELO x\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<{Rcpt}>\r\nDATA\r\nSubject: ucspi\r\n\r\nx\r\n.\r\nQUIT\r\n");
        Assert.Matches(@"250 ok \d+ qp \d+", reply);
        Assert.Equal("", debian.Converse("QUIT\r\n", from: "127.0.0.2"));
        Assert.Contains("Subject: ucspi\n", File.ReadAllText(Assert.Single(Delivered())));

        using SmtpServer ours = Start(install.Bin("tcpserver"), debianRules);
        Assert.Equal("", ours.Converse("QUIT\r\n", from: "127.0.0.2"));
        Assert.StartsWith("220 ", ours.Converse("QUIT\r\n", from: "127.0.0.1"));
    }

    [Fact]
    public void Sendmail_bs_speaks_smtp_on_stdio_for_a_local_user()
    {
        Ran r = Harness.Run(install.Bin("setuidgid"), [bob.Name, install.Bin("sendmail"), "-bs"],
            stdin: $"HELO me\r\nMAIL FROM:<{Rcpt}>\r\nRCPT TO:<{Rcpt}>\r\nDATA\r\nSubject: bs\r\n\r\nx\r\n.\r\nQUIT\r\n");
        Assert.Matches(@"^220 .*\r\n250 .*\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n250 ok \d+ qp \d+\r\n221 ", r.Stdout);
        string text = File.ReadAllText(Assert.Single(Delivered()));
        Assert.Contains($"invoked by uid {bob.Uid}); ", text);
        Assert.Contains("(HELO me) (sendmail-bs@127.0.0.1)\n", text);
    }
}
