// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.EndToEnd.Tests;

// qmail's and ucspi-tcp's helpers with their interfaces: maildir2mbox (read back by Python's
// mailbox module), qmail-newmrh (read by tinycdb and by qmail-smtpd), qmail-pw2u (its output
// compiled by qmail-newu and obeyed by a delivery), tcpclient (against Debian's ucspi-tcp, and
// compared with Debian's own tcpclient).
public sealed class HelperToolTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");

    public HelperToolTests() => Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));

    public void Dispose() => install.Dispose();

    private Ran AsBob(string program, Dictionary<string, string> env, params string[] args) =>
        Harness.Run(install.Bin("setuidgid"), [bob.Name, "env", .. env.Select(kv => $"{kv.Key}={kv.Value}"), install.Bin(program), .. args]);

    [Fact]
    public void Maildir2mbox_appends_oldest_first_quoted_and_empties_the_maildir()
    {
        bob.Write("Maildir/new/1700000100.1.host", "Return-Path: <ann@example.com>\nSubject: second\n\nFrom here\n>From there\nno newline at the end");
        bob.Write("Maildir/cur/1700000000.2.host:2,S", "Return-Path: <>\nSubject: first\n\nbody\n");
        bob.Write("Maildir/new/1700000200.3.host", "Subject: third\n\nx\n");
        bob.Write("mbox", "From old@example.com Mon Jan  1 00:00:00 2024\nSubject: old\n\nkept\n\n");
        var env = new Dictionary<string, string> { ["MAILDIR"] = bob.Path("Maildir"), ["MAIL"] = bob.Path("mbox"), ["MAILTMP"] = bob.Path(".mbox.tmp") };

        Ran moved = AsBob("maildir2mbox", env);
        Assert.True(moved.Exit == 0, moved.Stderr);
        Assert.Equal(
            "From old@example.com Mon Jan  1 00:00:00 2024\nSubject: old\n\nkept\n\n" +
            "From MAILER-DAEMON Tue Nov 14 22:13:20 2023\nReturn-Path: <>\nSubject: first\n\nbody\n\n" +
            "From ann@example.com Tue Nov 14 22:15:00 2023\nReturn-Path: <ann@example.com>\nSubject: second\n\n>From here\n>>From there\nno newline at the end\n\n" +
            "From XXX Tue Nov 14 22:16:40 2023\nSubject: third\n\nx\n\n", File.ReadAllText(bob.Path("mbox"), Encoding.Latin1));
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/new")));
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/cur")));
        Ran parsed = Harness.Run("/usr/bin/python3", ["-c", "import mailbox,sys; print([m['Subject'] for m in mailbox.mbox(sys.argv[1])])", bob.Path("mbox")]);
        Assert.Equal("['old', 'first', 'second', 'third']\n", parsed.Stdout);

        // Nothing to move: the mbox is not touched. A MAILTMP it cannot write: nothing leaves the Maildir.
        DateTime before = File.GetLastWriteTimeUtc(bob.Path("mbox"));
        Assert.Equal(0, AsBob("maildir2mbox", env).Exit);
        Assert.Equal(before, File.GetLastWriteTimeUtc(bob.Path("mbox")));
        bob.Write("Maildir/new/1700000300.4.host", "Subject: stays\n\nx\n");
        Ran refused = AsBob("maildir2mbox", new(env) { ["MAILTMP"] = "/root/mbox.tmp" });
        Assert.Equal(111, refused.Exit);
        Assert.Contains("maildir2mbox: fatal: unable to create /root/mbox.tmp", refused.Stderr);
        Assert.Single(Directory.GetFiles(bob.Path("Maildir/new")));
        Assert.Equal(before, File.GetLastWriteTimeUtc(bob.Path("mbox")));
        Ran unset = AsBob("maildir2mbox", new(env) { ["MAIL"] = "" });
        Assert.Equal(111, unset.Exit);
        Assert.Contains("MAIL not set", unset.Stderr);
    }

    [Fact]
    public void Qmail_newmrh_compiles_morercpthosts_for_qmail_smtpd()
    {
        string control = Path.Combine(install.Prefix, "control");
        File.WriteAllText(Path.Combine(control, "morercpthosts"), "Example.NET\nother.example\n");
        Ran made = Harness.Run(install.Bin("qmail-newmrh"), []);
        Assert.True(made.Exit == 0, made.Stderr);
        string cdb = Path.Combine(control, "morercpthosts.cdb");
        Assert.Equal(0, Harness.Run("cdb", ["-q", cdb, "example.net"]).Exit);   // tinycdb reads it
        Assert.NotEqual(0, Harness.Run("cdb", ["-q", cdb, "Example.NET"]).Exit);
        using var smtp = new SmtpServer(install.Bin("tcpserver"), "-1", "-R", "-H", "-l", "0", "-u", Id("-u"), "-g", Id("-g"), "127.0.0.1", "0", install.Bin("qmail-smtpd"));
        string reply = smtp.Converse("HELO x\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<u@example.net>\r\nRCPT TO:<u@third.example>\r\nQUIT\r\n");
        Assert.Contains("250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts", reply);

        File.Delete(Path.Combine(control, "morercpthosts"));
        Assert.Equal(111, Harness.Run(install.Bin("qmail-newmrh"), []).Exit);
        Assert.Equal(0, Harness.Run("cdb", ["-q", cdb, "example.net"]).Exit);   // the old cdb stays
    }

    private static string Id(string flag) => Harness.Ok("id", flag, "qmaild").Stdout.Trim();

    [Fact]
    public void Qmail_pw2u_follows_qmail_getpws_rules_and_qmail_newu_obeys_its_output()
    {
        string alias = Path.Combine(install.Prefix, "alias");
        string aliasIds = $"{Harness.Ok("id", "-u", "alias").Stdout.Trim()}:{Harness.Ok("id", "-g", "alias").Stdout.Trim()}";
        string bobIds = $"{bob.Uid}:{Harness.Ok("id", "-g", bob.Name).Stdout.Trim()}";
        string passwd = $"root:x:0:0:root:/root:/bin/sh\nalias:x:{aliasIds}::{alias}:/usr/sbin/nologin\n{bob.Name}:x:{bobIds}:Bob:{bob.Home}:/bin/sh\n" +
            $"Upper:x:4001:4001::{bob.Home}:/bin/sh\nghost:x:4002:4002::/nonexistent:/bin/sh\nnotmine:x:4003:4003::/tmp:/bin/sh\nnul:x:4004:4004::\0/tmp:/bin/sh\n";
        Ran plain = Harness.Run(install.Bin("qmail-pw2u"), [], stdin: passwd);
        Assert.True(plain.Exit == 0, plain.Stderr);
        Assert.Equal($"+:alias:{aliasIds}:{alias}:-::\n=alias:alias:{aliasIds}:{alias}:::\n+alias-:alias:{aliasIds}:{alias}:-::\n" +
            $"={bob.Name}:{bob.Name}:{bobIds}:{bob.Home}:::\n+{bob.Name}-:{bob.Name}:{bobIds}:{bob.Home}:-::\n.\n", plain.Stdout);
        Assert.Equal(111, Harness.Run(install.Bin("qmail-pw2u"), ["-h"], stdin: passwd).Exit);   // ghost's home is missing
        Assert.Equal(111, Harness.Run(install.Bin("qmail-pw2u"), [], stdin: $"{bob.Name}:x:{bobIds}::{bob.Home}:/bin/sh\n").Exit);   // no alias

        string users = Path.Combine(install.Prefix, "users");
        File.WriteAllText(Path.Combine(users, "mailnames"), $"{bob.Name}:robert:bobby\n");
        File.WriteAllText(Path.Combine(users, "subusers"), $"sales:{bob.Name}:sales:\n");
        Ran named = Harness.Run(install.Bin("qmail-pw2u"), [], stdin: passwd);
        Assert.Contains($"=robert:{bob.Name}:{bobIds}:{bob.Home}:::\n+robert-:", named.Stdout);
        Assert.Contains($"=sales:{bob.Name}:{bobIds}:{bob.Home}:-:sales:\n+sales-:{bob.Name}:{bobIds}:{bob.Home}:-:sales-:\n", named.Stdout);
        Assert.DoesNotContain($"={bob.Name}:", named.Stdout);

        File.WriteAllText(Path.Combine(users, "assign"), named.Stdout);
        Assert.Equal(0, Harness.Run(install.Bin("qmail-newu"), []).Exit);
        bob.Write(".qmail-sales", "./Maildir/\n");
        using var service = new MailService(install);
        foreach (string to in (string[])["robert", "sales"])
            Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), [to], stdin: $"Subject: to {to}\n\nx\n").Exit);
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length == 2, "both messages in bob's Maildir");
    }

    [Fact]
    public void Tcpclient_talks_to_ucspi_tcps_server_and_sets_what_debians_tcpclient_sets()
    {
        string port = RcTests.FreePort();
        using var server = new Peer("/usr/bin/tcpserver", ["-RHl0", "127.0.0.1", port, "sh", "-c", "echo hello from $TCPLOCALPORT; head -1"], waitForLine: null);
        MailService.WaitUntil(() => Harness.Run("sh", ["-c", $"ss -Hltn 'sport = :{port}' | grep -q ."]).Exit == 0, "ucspi-tcp's tcpserver to listen", 20);
        Ran talk = Harness.Run(install.Bin("tcpclient"), ["-RHl0", "127.0.0.1", port, "sh", "-c",
            "read greeting <&6; echo \"$greeting|$PROTO|$TCPREMOTEIP|$TCPREMOTEPORT|$TCPLOCALIP\"; echo bye >&7; exit 7"]);
        Assert.Equal(7, talk.Exit);
        Assert.Equal($"hello from {port}|TCP|127.0.0.1|{port}|127.0.0.1\n", talk.Stdout);

        const string show = "env | grep -E '^(PROTO|TCP)' | grep -v PORT= | sort";
        Ran ours = Harness.Run(install.Bin("tcpclient"), ["-RHl0", "127.0.0.1", port, "sh", "-c", show]);
        Ran debians = Harness.Run("/usr/bin/tcpclient", ["-RHl0", "127.0.0.1", port, "sh", "-c", show]);
        Assert.Equal(debians.Stdout, ours.Stdout);
        Assert.Contains("TCPLOCALHOST=0\n", ours.Stdout);

        Ran refused = Harness.Run(install.Bin("tcpclient"), ["-RHl0", "127.0.0.1", "1", "true"]);
        Assert.Equal(111, refused.Exit);
        Assert.Contains("unable to connect to 127.0.0.1 port 1: connection refused", refused.Stderr, StringComparison.OrdinalIgnoreCase);   // ucspi-tcp's words
        Assert.Equal(100, Harness.Run(install.Bin("tcpclient"), ["127.0.0.1", "nope", "true"]).Exit);
    }
}
