// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace MailSuite.EndToEnd.Tests;

// qmail-authd's per-address limits as a client meets them through POP3 (tcpserver, qmail-popup,
// checkpassword as root asking qmail-authd): the guesser is delayed and locked out, everybody
// else logs in as usual. And over SMTPS, what a locked-out address that keeps trying gets.
public sealed class AuthLimitTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly Process authd;
    private readonly SmtpServer pop3;

    public AuthLimitTests()
    {
        ann.SetPassword(Pop3Tests.Password);
        Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));
        File.WriteAllText(Path.Combine(install.Prefix, "control/authlimits"), "5:600\n");
        authd = Process.Start(new ProcessStartInfo(install.Bin("qmail-authd")) { RedirectStandardError = true })!;
        // Its log is read as it comes: a pipe nobody reads fills up, and then qmail-authd waits
        // for its reader, as it would for a stalled logger, and answers nobody.
        authd.ErrorDataReceived += (_, _) => { };
        authd.BeginErrorReadLine();
        MailService.WaitUntil(() => File.Exists(Path.Combine(install.Prefix, "authd/socket")), "qmail-authd's socket");
        string rules = Path.Combine(install.Prefix, "control/pop3.cdb");
        Assert.Equal(0, Harness.Run(install.Bin("tcprules"), [rules, rules + ".tmp"], stdin: "127.:allow\n:deny\n").Exit);
        pop3 = new SmtpServer(install.Bin("tcpserver"), "-1", "-v", "-R", "-H", "-c", "200", "-x", rules, "127.0.0.1", "0",
            install.Bin("qmail-popup"), "mail.example.test", install.Bin("checkpassword"), install.Bin("qmail-pop3d"), "Maildir");
    }

    public void Dispose()
    {
        pop3.Dispose();
        authd.Kill();
        authd.WaitForExit();
        authd.Dispose();
        install.Dispose();
    }

    private string Login(string password, string from) => pop3.Converse($"USER {ann.Name}\r\nPASS {password}\r\nQUIT\r\n", from, readSeconds: 60);

    [Fact]
    public void Five_failures_lock_that_address_out_even_for_the_right_password_and_no_other()
    {
        string[] guesses = new string[5];
        Parallel.For(0, 5, i => guesses[i] = Login("wrong" + i, "127.0.0.5"));
        Assert.All(guesses, g => Assert.Contains("-ERR authorization failed", g));

        string locked = Login(Pop3Tests.Password, "127.0.0.5");
        Assert.Contains("-ERR temporary problem, try again later", locked);
        Assert.DoesNotContain("+OK 0 messages", locked);
        MailService.WaitUntil(() => pop3.Log.Contains($"checkpassword: login refused for {ann.Name} from 127.0.0.5: too many failed logins"), "the refusal in the log");

        Assert.Contains("+OK", Login(Pop3Tests.Password, "127.0.0.1").Split("\r\n")[2]);   // greeting, USER, then PASS's answer
    }

    // qmail-authd checks; checkpassword's log line names its reason, the client gets one answer.
    [Fact]
    public void The_log_names_the_reason_qmail_authd_found_and_the_client_sees_one_answer()
    {
        string unknown = pop3.Converse("USER nosuchuser\r\nPASS guess\r\nQUIT\r\n", "127.0.0.7", readSeconds: 60);
        string wrong = Login("guess", "127.0.0.8");
        Assert.Equal(unknown, wrong);
        MailService.WaitUntil(() => pop3.Log.Contains("checkpassword: login failed for nosuchuser from 127.0.0.7: unknown user\n"), "the unknown user in the log");
        MailService.WaitUntil(() => pop3.Log.Contains($"checkpassword: login failed for {ann.Name} from 127.0.0.8: wrong password\n"), "the wrong password in the log");
    }

    [Fact]
    public void A_right_password_from_elsewhere_logs_in_while_fifty_guessers_run()
    {
        using var stop = new CancellationTokenSource();
        var guessers = Enumerable.Range(0, 50).Select(i => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)   // delayed at first, then locked out: refused at once
            {
                Login("guess" + i, "127.0.0.6");
                Thread.Sleep(100);
            }
        })).ToList();
        guessers.ForEach(t => t.Start());
        try
        {
            MailService.WaitUntil(() => pop3.Log.Contains("from 127.0.0.6: wrong password"), "the guessers to be at it");
            for (int i = 0; i < 3; i++)
                Assert.Contains("+OK", Login(Pop3Tests.Password, "127.0.0.1").Split("\r\n")[2]);
        }
        finally
        {
            stop.Cancel();
            guessers.ForEach(t => t.Join());
        }
    }

    // A locked-out address gets 454 at once for every AUTH, but each still runs checkpassword:
    // qmail-smtpd closes the connection at its twentieth error instead of answering for ever.
    [Fact]
    public void A_locked_out_address_that_keeps_trying_auth_over_smtps_is_closed_at_twenty_errors()
    {
        Parallel.For(0, 5, i => Login("wrong" + i, "127.0.0.9"));
        var cert = new Dictionary<string, string> { ["CERTFILE"] = Path.Combine(install.Prefix, "control/servercert.pem") };
        string[] qmaild = ["-u", Harness.Ok("id", "-u", "qmaild").Stdout.Trim(), "-g", Harness.Ok("id", "-g", "qmaild").Stdout.Trim()];
        using var smtps = new SmtpServer(cert, install.Bin("sslserver"), ["-1", "-v", "-R", "-H", .. qmaild, "127.0.0.1", "0",
            install.Bin("qmail-smtpd"), "mail.example.test", install.Bin("checkpassword"), "/bin/true"]);
        Ran r = Harness.Run("python3", ["-c", AuthAgainAndAgain, smtps.Port.ToString(), ann.Name, Pop3Tests.Password]);
        string[] replies = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(replies.Length == 23, r.Stdout + r.Stderr);   // greeting, 20 AUTHs, the last word, the close
        Assert.All(replies[1..21], l => Assert.Equal("454 temporary authentication failure (#4.3.0)", l));
        Assert.Equal("421 too many errors, closing (#4.7.0)", replies[21]);
        Assert.Equal("closed", replies[22]);
        MailService.WaitUntil(() => smtps.Log.Contains("qmail-smtpd: ip=127.0.0.9 too many errors, closing"), "the close in the log");
    }

    // Over TLS from 127.0.0.9: EHLO, then AUTH PLAIN up to 30 times, printing each reply's last line.
    private const string AuthAgainAndAgain = """
        import base64, socket, ssl, sys
        ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
        t = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])), source_address=('127.0.0.9', 0)))
        f = t.makefile('rb')
        def reply():
            while (line := f.readline()) and line[3:4] == b'-': pass
            return line.decode().rstrip() if line else 'closed'
        print(reply())
        t.sendall(b'EHLO client.example\r\n'); reply()
        auth = b'AUTH PLAIN ' + base64.b64encode(b'\0' + sys.argv[2].encode() + b'\0' + sys.argv[3].encode()) + b'\r\n'
        for _ in range(30):
            try:
                t.sendall(auth); answer = reply()
            except OSError:
                answer = 'closed'
            print(answer)
            if answer == 'closed': break
        """;
}
