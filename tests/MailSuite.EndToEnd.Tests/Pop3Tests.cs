// SPDX-License-Identifier: MIT
using MailKit.Net.Pop3;

namespace MailSuite.EndToEnd.Tests;

// POP3 as the guide runs it on port 110: tcpserver (root) + qmail-popup + checkpassword + qmail-pop3d
// as the user, driven by Python's poplib and MailKit against a real account and Maildir.
public sealed class Pop3Tests : IDisposable
{
    internal const string Password = "c0rrect-Horse";
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly SmtpServer pop3;

    public Pop3Tests()
    {
        ann.SetPassword(Password);
        Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));
        string rules = Path.Combine(install.Prefix, "control/pop3.cdb");
        Assert.Equal(0, Harness.Run(install.Bin("tcprules"), [rules, rules + ".tmp"], stdin: "127.0.0.1:allow\n127.0.0.3:allow,LOGINSECONDS=\"2\"\n:deny\n").Exit);
        pop3 = new SmtpServer(install.Bin("tcpserver"), "-1", "-v", "-R", "-H", "-x", rules, "127.0.0.1", "0",
            install.Bin("qmail-popup"), "mail.example.test", install.Bin("checkpassword"), install.Bin("qmail-pop3d"), "Maildir");
    }

    public void Dispose()
    {
        pop3.Dispose();
        install.Dispose();
    }

    private void LogSays(string text) => MailService.WaitUntil(() => pop3.Log.Contains(text, StringComparison.Ordinal), $"log line {text}");

    private Ran Poplib(string body) => Harness.Run("python3", ["-c",
        "import poplib,sys\np=poplib.POP3('127.0.0.1', int(sys.argv[1]))\np.user(sys.argv[2]); p.pass_(sys.argv[3])\n" + body,
        pop3.Port.ToString(), ann.Name, Password]);

    [Fact]
    public void Poplib_retrieves_every_message_byte_for_byte_and_quit_deletes()
    {
        string[] bodies = ["Subject: one\n\nfirst\n", "Subject: two\n\n.leading dot\n..two dots\nlast line without end", "Subject: three\r\n\r\ncrlf on disk\r\n"];
        foreach (string b in bodies) ann.Deliver(b);
        Ran r = Poplib("n,_=p.stat()\nfor i in range(1,n+1):\n  sys.stdout.buffer.write(b'\\n'.join(p.retr(i)[1]) + b'\\n====\\n')\np.dele(2)\np.quit()\n");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal(string.Concat(bodies.Select(b => b.Replace("\r\n", "\n").TrimEnd('\n') + "\n====\n")), r.Stdout);
        string[] left = Directory.GetFiles(ann.Path("Maildir/cur")).Select(Path.GetFileName).ToArray()!;
        Assert.Equal(2, left.Length);
        Assert.All(left, f => Assert.EndsWith(":2,", f));
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/new")));
        Assert.DoesNotContain(left, f => File.ReadAllText(ann.Path("Maildir/cur/" + f)).Contains("Subject: two"));
        LogSays($"checkpassword: login {ann.Name} from 127.0.0.1");
    }

    [Fact]
    public void List_and_stat_give_the_octets_retr_sends_whoever_wrote_the_message()
    {
        foreach (string b in (string[])["Subject: lf\n\n.dot line\nend\n", "Subject: crlf\r\n\r\nx\r\n", "Subject: no end\n\nlast line"])
            ann.Deliver(b);   // as another program would write it: no size in the name
        string msg = Path.Combine(install.Prefix, "message");
        File.WriteAllText(msg, "Subject: via qmail-local\n\n..two dots\nbare\rcr\n");
        Harness.Ok("chmod", "0644", msg);
        Harness.Ok(install.Bin("setuidgid"), ann.Name, "/bin/sh", "-c",
            $"exec {install.Bin("qmail-local")} -- {ann.Name} {ann.Home} {ann.Name} '' '' mail.example.test joe@example.com ./Maildir/ <{msg}");
        Assert.Matches(@",S=\d+,W=\d+$", Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")), f => f.Contains(",W=", StringComparison.Ordinal)));
        Ran r = Poplib("n,total=p.stat()\nsizes=[int(x.split()[1]) for x in p.list()[1]]\n" +
            "sent=[sum(len(l)+2 for l in p.retr(i)[1]) for i in range(1,n+1)]\nprint(n, sizes==sent, total==sum(sent))\np.quit()\n");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("4 True True\n", r.Stdout);
    }

    [Fact]
    public void A_password_with_non_ascii_characters_logs_in()
    {
        const string Utf8Password = "p\u00e4ssw\u00f6rd-\u20ac";   // poplib sends it as UTF-8, as the account has it
        ann.SetPassword(Utf8Password);
        ann.Deliver("Subject: umlaut\n\nx\n");
        Ran r = Harness.Run("python3", ["-c", "import poplib,sys\np=poplib.POP3('127.0.0.1', int(sys.argv[1]))\np.user(sys.argv[2]); p.pass_(sys.argv[3])\nprint(p.stat()[0])\np.quit()",
            pop3.Port.ToString(), ann.Name, Utf8Password]);
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("1\n", r.Stdout);
    }

    [Fact]
    public void A_dropped_connection_deletes_nothing_and_mail_arriving_during_a_session_waits()
    {
        ann.Deliver("Subject: a\n\na\n");
        ann.Deliver("Subject: b\n\nb\n");
        Ran r = Poplib("p.dele(1)\np.dele(2)\np.sock.close()\n");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal(2, Directory.GetFiles(ann.Path("Maildir/cur")).Length);   // DELE without QUIT

        r = Poplib($"import os,shutil\nn=p.stat()[0]\nopen('{ann.Path("Maildir/tmp/late")}','w').write('Subject: late\\n\\nlate\\n')\n" +
            $"os.link('{ann.Path("Maildir/tmp/late")}','{ann.Path("Maildir/new/late")}')\nprint(n, p.stat()[0])\nfor i in range(1,n+1): p.dele(i)\np.quit()\n");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("2 2\n", r.Stdout);
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/cur")));
        Assert.True(File.Exists(ann.Path("Maildir/new/late")), "mail that arrived during the session was touched");
    }

    [Fact]
    public void Top_uidl_last_and_rset_follow_qmail()
    {
        ann.Deliver("Subject: top\nX-Two: 2\n\nbody 1\nbody 2\nbody 3\n");
        ann.Deliver("Subject: second\n\nx\n");
        Ran r = Poplib("print(p.top(1,2)[1])\nu=p.uidl()[1]\nprint(len(u), len(set(x.split()[1] for x in u)))\np.dele(2)\n" +
            "print(p._shortcmd('LAST'))\nprint(p.stat()[0])\np.rset()\nprint(p.stat()[0], p._shortcmd('LAST'))\n" +
            "for c in ['RETR 0','RETR 3','DELE x','BOGUS']:\n  try: p._shortcmd(c)\n  except poplib.error_proto as e: print(e)\np.quit()\n");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("[b'Subject: top', b'X-Two: 2', b'', b'body 1', b'body 2']\n2 2\nb'+OK 2'\n1\n2 b'+OK 0'\n" +
            "b'-ERR messages are counted from 1'\nb'-ERR not that many messages'\nb'-ERR syntax error'\nb'-ERR unimplemented'\n", r.Stdout);
    }

    [Fact]
    public void Ten_thousand_messages_are_listed_and_retrieved()
    {
        for (int i = 0; i < 10000; i++)
            File.WriteAllText(ann.Path($"Maildir/new/{1700000000 + i}.M{i}P1.test"), $"Subject: n{i}\n\nmessage {i}\n");
        Harness.Ok("chown", "-R", $"{ann.Name}:", ann.Path("Maildir"));
        Ran r = Poplib("print(p.stat()[0], len(p.list()[1]), len(set(x.split()[1] for x in p.uidl()[1])))\n" +
            "print(p.retr(10000)[1][-1])\np.dele(5000)\np.quit()\n");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("10000 10000 10000\nb'message 9999'\n", r.Stdout);
        Assert.Equal(9999, Directory.GetFiles(ann.Path("Maildir/cur")).Length);
    }

    [Fact]
    public void Mailkit_logs_in_and_reads()
    {
        ann.Deliver("Subject: for mailkit\n\nhello mailkit\n");
        using var client = new Pop3Client();
        client.Connect("127.0.0.1", pop3.Port, MailKit.Security.SecureSocketOptions.None);
        client.Authenticate(ann.Name, Password);
        Assert.Equal(1, client.Count);
        Assert.Equal("for mailkit", client.GetMessage(0).Subject);
        client.Disconnect(true);
    }

    [Fact]
    public void Wrong_password_unknown_user_and_locked_account_get_the_same_answer_and_the_log_says_which()
    {
        string wrong = pop3.Converse($"USER {ann.Name}\r\nPASS not-it\r\n");
        string unknown = pop3.Converse("USER nosuchuser\r\nPASS not-it\r\n");
        Harness.Ok("usermod", "-L", ann.Name);
        string locked;
        try
        {
            locked = pop3.Converse($"USER {ann.Name}\r\nPASS {Password}\r\n");
        }
        finally
        {
            Harness.Ok("usermod", "-U", ann.Name);
        }
        Assert.Equal("+OK mail.example.test POP3 ready\r\n+OK \r\n-ERR authorization failed\r\n", wrong);
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, locked);
        LogSays($"checkpassword: login failed for {ann.Name} from 127.0.0.1: wrong password");
        LogSays("checkpassword: login failed for nosuchuser from 127.0.0.1: unknown user");
        LogSays($"checkpassword: login failed for {ann.Name} from 127.0.0.1: account locked, expired or without a password");
    }

    // qmail-popup reads no further than PASS: the commands a client sent with it are qmail-pop3d's.
    [Fact]
    public void Commands_sent_together_with_the_login_are_answered_by_the_mailbox()
    {
        ann.Deliver("Subject: one\n\nx\n");
        string reply = pop3.Converse($"USER {ann.Name}\r\nPASS {Password}\r\nSTAT\r\nQUIT\r\n");
        string[] lines = reply.Split("\r\n");
        Assert.True(lines.Length == 6, reply);   // greeting, USER, PASS, STAT, QUIT, then the close
        Assert.Matches(@"^\+OK 1 \d+$", lines[3]);
        Assert.StartsWith("+OK", lines[4]);
        Assert.Equal("", lines[5]);
    }

    [Fact]
    public void A_client_that_keeps_getting_errors_before_logging_in_is_closed()
    {
        string reply = pop3.Converse(string.Concat(Enumerable.Repeat("XYZZY\r\n", 20)) + "QUIT\r\n");
        string[] lines = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length);   // the greeting, ten errors, the last word; QUIT is never read
        Assert.All(lines[1..11], l => Assert.Equal("-ERR authorization first", l));
        Assert.Equal("-ERR too many errors, closing", lines[11]);
    }

    // qmail-popup runs as root: a line it would have to read without end closes the connection at
    // the limit, as Dovecot's login process does (the old one read the whole line, then answered).
    [Fact]
    public void A_line_longer_than_4096_bytes_before_logging_in_is_refused_and_closed_without_its_end()
    {
        string reply = pop3.Converse("USER " + new string('a', 6000), readSeconds: 10);   // no end of line
        Assert.Equal("+OK mail.example.test POP3 ready\r\n-ERR line too long, closing\r\n", reply);
    }

    [Fact]
    public void A_client_that_sends_a_hundred_commands_without_logging_in_is_closed()
    {
        string reply = pop3.Converse(string.Concat(Enumerable.Repeat("NOOP\r\n", 120)), readSeconds: 10);
        string[] lines = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(102, lines.Length);   // the greeting, a hundred answers, the last word
        Assert.All(lines[1..101], l => Assert.Equal("+OK ", l));
        Assert.Equal("-ERR too many commands without logging in, closing", lines[101]);
    }

    // LOGINSECONDS from the rules (2 s for 127.0.0.3; 180 s by default) bounds the time before the
    // login, however often the client speaks: NOOPs inside the idle timeout do not hold it open.
    [Fact]
    public void A_client_that_does_not_log_in_within_the_login_time_is_closed()
    {
        string reply = pop3.Converse("NOOP\r\n", from: "127.0.0.3", readSeconds: 20);
        Assert.Equal("+OK mail.example.test POP3 ready\r\n+OK \r\n-ERR too long without logging in, closing\r\n", reply);
        LogSays("qmail-popup: 127.0.0.3 did not log in within 2 s, closing");
    }

    [Fact]
    public void Apop_is_refused_with_a_reason_and_the_greeting_offers_no_timestamp()
    {
        string reply = pop3.Converse("APOP ann 0123456789abcdef0123456789abcdef\r\nQUIT\r\n");
        Assert.DoesNotContain("<", reply);
        Assert.Contains("-ERR APOP is not offered", reply);
    }

    [Fact]
    public void The_rules_refuse_127_0_0_2_while_127_0_0_1_is_served()
    {
        Assert.Equal("", pop3.Converse("QUIT\r\n", from: "127.0.0.2"));
        Assert.StartsWith("+OK mail.example.test POP3 ready\r\n", pop3.Converse("QUIT\r\n"));
        LogSays("tcpserver: deny ");
    }
}
