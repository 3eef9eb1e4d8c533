// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// Recipient validation at RCPT: qmail-smtpd (qmaild) asks qmail-rcptd, whose root half only
// stats .qmail paths in homes qmaild cannot enter; every kind of address delivery accepts is
// accepted, and what it would bounce is refused with 550 before any message is queued.
public sealed class RecipientCheckTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly TestUser bob = new("mstestbob");
    private readonly MailService service;
    private readonly Peer rcptd;
    private readonly SmtpServer smtp;

    private static readonly string[] Valid =
    [
        "mstestann@mail.example.test",          // an account, no extension
        "MsTestAnn@mail.example.test",          // user names compare in lower case
        "mstestbob-lists@mail.example.test",    // ~bob/.qmail-lists
        "mstestbob-news-sports@mail.example.test",   // ~bob/.qmail-news-default
        "sales@mail.example.test",              // users/assign =sales
        "team-red@mail.example.test",           // users/assign +team- with ~bob/.qmail-team-default
        "anyone@virt.test",                     // virtualdomains virt.test:mstestbob-virt, ~bob/.qmail-virt-default
        "info@strict.test",                     // virtualdomains strict.test:mstestann-strict, ~ann/.qmail-strict-info
        "postmaster@mail.example.test",         // ~alias/.qmail-postmaster
    ];

    private static readonly string[] Unknown =
    [
        "nosuchuser@mail.example.test", "mstestbob-nolist@mail.example.test", "mstestbob-news@mail.example.test",
        "other@strict.test", "webmaster@mail.example.test",
    ];

    public RecipientCheckTests()
    {
        foreach (TestUser u in (TestUser[])[ann, bob]) Harness.Ok(install.Bin("setuidgid"), u.Name, install.Bin("maildirmake"), u.Path("Maildir"));
        foreach (string f in (string[])[".qmail-lists", ".qmail-news-default", ".qmail-team-default", ".qmail-virt-default"]) bob.Write(f, "./Maildir/\n");
        ann.Write(".qmail-strict-info", "./Maildir/\n");
        Harness.Ok("chmod", "0700", bob.Home);   // only root can look inside
        string gid = Harness.Ok("id", "-g", bob.Name).Stdout.Trim();
        File.WriteAllText(Path.Combine(install.Prefix, "users/assign"),
            $"=sales:{bob.Name}:{bob.Uid}:{gid}:{bob.Home}:::\n+team-:{bob.Name}:{bob.Uid}:{gid}:{bob.Home}:-:team-:\n.\n");
        Harness.Ok(install.Bin("qmail-newu"));
        File.WriteAllText(Control("rcpthosts"), "mail.example.test\nvirt.test\nstrict.test\n");
        File.WriteAllText(Control("virtualdomains"), "virt.test:mstestbob-virt\nstrict.test:mstestann-strict\n");
        File.WriteAllText(Control("rcptcheck"), "1\n");
        File.WriteAllText(Control("badrcptlimit"), "3\n");
        rcptd = new Peer(install.Bin("qmail-rcptd"), []);
        MailService.WaitUntil(() => File.Exists(Path.Combine(install.Prefix, "rcptd/socket")), "qmail-rcptd's socket", 20);
        service = new MailService(install);
        string qmaild(string flag) => Harness.Ok("id", flag, "qmaild").Stdout.Trim();
        smtp = new SmtpServer(install.Bin("tcpserver"), "-1", "-R", "-H", "-l", "0", "-u", qmaild("-u"), "-g", qmaild("-g"),
            "127.0.0.1", "0", install.Bin("qmail-smtpd"));
    }

    public void Dispose()
    {
        smtp.Dispose();
        service.Dispose();
        rcptd.Dispose();
        install.Dispose();
    }

    private string Control(string name) => Path.Combine(install.Prefix, "control", name);

    // The reply to each RCPT of one transaction, in order.
    private string[] RcptReplies(IEnumerable<string> recipients, string tail = "QUIT\r\n")
    {
        string[] rcpts = [.. recipients];
        string dialogue = "EHLO client.test\r\nMAIL FROM:<joe@example.com>\r\n" + string.Concat(rcpts.Select(r => $"RCPT TO:<{r}>\r\n")) + tail;
        string[] lines = smtp.Converse(dialogue).Split("\r\n");
        int mail = Array.FindIndex(lines, l => l.StartsWith("250 ok", StringComparison.Ordinal));
        return lines[(mail + 1)..(mail + 1 + rcpts.Length)];
    }

    [Fact]
    public void Every_kind_of_deliverable_address_is_accepted_and_unknown_ones_refused_at_rcpt()
    {
        File.WriteAllText(Control("badrcptlimit"), "0\n");
        Assert.All(RcptReplies(Valid), r => Assert.Equal("250 ok", r));
        Assert.All(RcptReplies(Unknown), r => Assert.Equal("550 sorry, no mailbox here by that name (#5.1.1)", r));
    }

    [Fact]
    public void What_rcpt_accepts_is_delivered_not_bounced_and_nothing_is_queued_for_refused_ones()
    {
        string[] replies = RcptReplies([.. Valid.Where(v => !v.StartsWith("MsTest", StringComparison.Ordinal)), Unknown[0]],
            "DATA\r\nSubject: everyone\r\n\r\nhello\r\n.\r\nQUIT\r\n");
        Assert.Equal("550 sorry, no mailbox here by that name (#5.1.1)", replies[^1]);
        MailService.WaitUntil(() => Count(bob.Path("Maildir/new")) == 5 && Count(ann.Path("Maildir/new")) == 2
            && Count(Path.Combine(install.Prefix, "alias/Maildir/new")) == 1, "8 deliveries");
        Assert.DoesNotContain("failure", service.Log);

        string refusedOnly = smtp.Converse("HELO c\r\nMAIL FROM:<joe@example.com>\r\nRCPT TO:<nosuchuser@mail.example.test>\r\nDATA\r\nQUIT\r\n");
        Assert.Contains("\r\n503 RCPT first (#5.5.1)\r\n", refusedOnly);
        MailService.WaitUntil(() => Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories).Length == 0, "an empty queue");
    }

    private static int Count(string dir) => Directory.GetFiles(dir).Length;

    [Fact]
    public void A_client_guessing_addresses_is_cut_off_after_the_limit()
    {
        string answer = smtp.Converse("HELO c\r\nMAIL FROM:<joe@example.com>\r\n" +
            string.Concat(Enumerable.Range(1, 6).Select(i => $"RCPT TO:<guess{i}@mail.example.test>\r\n")) + "RSET\r\n");
        string[] lines = answer.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Count(l => l.StartsWith("550 sorry, no mailbox", StringComparison.Ordinal)));
        Assert.Equal("421 too many unknown recipients, closing (#4.7.1)", lines[^1]);
        const string Logged = "refused=<guess1@mail.example.test>:no-mailbox,<guess2@mail.example.test>:no-mailbox," +
            "<guess3@mail.example.test>:no-mailbox,<guess4@mail.example.test>:too-many-unknown ";
        MailService.WaitUntil(() => smtp.Log.Contains(Logged, StringComparison.Ordinal), "the refused guesses in the log", 20);   // tcpserver's log arrives on its own
    }

    [Fact]
    public void A_new_dot_qmail_file_counts_at_once_and_without_qmail_rcptd_everything_is_taken_as_before()
    {
        Assert.Equal(["550 sorry, no mailbox here by that name (#5.1.1)"], RcptReplies(["nosuchuser@mail.example.test"]));
        File.WriteAllText(Path.Combine(install.Prefix, "alias/.qmail-default"), "./Maildir/\n");   // a catch-all
        Assert.Equal(["250 ok"], RcptReplies(["nosuchuser@mail.example.test"]));
        File.Delete(Path.Combine(install.Prefix, "alias/.qmail-default"));
        foreach (int pid in Harness.Pids(exe => exe == install.Bin("qmail-rcptd"))) MailService.Signal("KILL", pid);
        MailService.WaitUntil(() => Harness.Pids(exe => exe == install.Bin("qmail-rcptd")).Length == 0, "qmail-rcptd to end");
        Assert.Equal(["250 ok"], RcptReplies(["webmaster@mail.example.test"]));
    }
}
