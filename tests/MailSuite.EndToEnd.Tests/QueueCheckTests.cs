// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// qmail-qcheck: what a careless administrator leaves in the queue, reported, repaired, and the
// queue delivering again afterwards.
public sealed class QueueCheckTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");

    public QueueCheckTests() => Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));

    public void Dispose() => install.Dispose();

    private string Q(string relative) => Path.Combine(install.Prefix, "queue", relative);

    [Fact]
    public void Misplaced_dangling_and_mis_moded_files_are_reported_then_repaired_and_the_message_still_arrives()
    {
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), [ann.Name], stdin: "Subject: kept\n\nx\n").Exit);   // qmail-send is not running
        string mess = Assert.Single(Directory.GetFiles(Q("mess"), "*", SearchOption.AllDirectories));
        ulong n = ulong.Parse(Path.GetFileName(mess));
        Assert.Equal(0, Harness.Run(install.Bin("qmail-qcheck"), []).Exit);   // a queued message is consistent

        string wrongSplit = Q($"mess/{(n + 1) % 23}/{n}");
        File.Move(mess, wrongSplit);
        Harness.Ok("chmod", "0666", wrongSplit);
        File.WriteAllText(Q("info/10/999"), "Fnobody@example.com\0");   // 999 % 23 == 10, and no mess/10/999
        File.WriteAllText(Q("todo/junk"), "");

        Ran report = Harness.Run(install.Bin("qmail-qcheck"), []);
        Assert.Equal(1, report.Exit);
        Assert.Equal(string.Join("\n",
            $"queue/mess/{(n + 1) % 23}/{n}: in the wrong split directory, belongs in queue/mess/{n % 23}/{n}",
            $"queue/mess/{(n + 1) % 23}/{n}: owner qmailq mode 666, expected qmailq 644",
            "queue/info/10/999: its message is gone",
            "queue/todo/junk: not a queue file (left alone)") + "\n", report.Stdout);

        Ran repaired = Harness.Run(install.Bin("qmail-qcheck"), ["--repair"]);
        Assert.Equal(0, repaired.Exit);
        Assert.Contains("repaired: queue/info/10/999: its message is gone", repaired.Stdout);
        Assert.Equal("queue/todo/junk: not a queue file (left alone)\n", Harness.Run(install.Bin("qmail-qcheck"), []).Stdout);
        File.Delete(Q("todo/junk"));

        using var service = new MailService(install);
        MailService.WaitUntil(() => Directory.GetFiles(ann.Path("Maildir/new")).Length == 1, "the repaired message");
        Assert.Equal(111, Harness.Run(install.Bin("qmail-qcheck"), ["--repair"]).Exit);   // never behind a running qmail-send
    }
}
