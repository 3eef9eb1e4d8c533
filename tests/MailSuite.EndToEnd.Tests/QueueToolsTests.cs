// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// qmail-qread and qmail-qstat on a live queue: one message delivered locally, deferred remotely.
public sealed class QueueToolsTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");

    public QueueToolsTests() =>
        Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));

    public void Dispose() => install.Dispose();

    [Fact]
    public void Qread_lists_sender_and_recipients_with_their_state_and_qstat_counts()
    {
        using var service = new MailService(install);
        Ran injected = Harness.Run(install.Bin("qmail-inject"), ["-f", "joe@example.com", ann.Name, "far@remote.example"], stdin: "Subject: q\n\nx\n");
        Assert.Equal(0, injected.Exit);
        MailService.WaitUntil(() => Directory.GetFiles(ann.Path("Maildir/new")).Length == 1 && service.Log.Contains("deferral:"), "local delivery and remote deferral");

        Ran qread = Harness.Run(install.Bin("qmail-qread"), []);
        Assert.Equal(0, qread.Exit);
        Assert.Matches(new Regex(@"^\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT  #\d+  \d+  <joe@example\.com>\n" +
            $"  done\tlocal\t{ann.Name}@mail\\.example\\.test\n\tremote\tfar@remote\\.example\n$"), qread.Stdout);

        Assert.Equal(qread.Stdout, Harness.Run(install.Bin("sendmail"), ["-bp"]).Stdout);   // sendmail -bp is qmail-qread

        Ran qstat = Harness.Run(install.Bin("qmail-qstat"), []);
        Assert.Equal("messages in queue: 1\nmessages in queue but not yet preprocessed: 0\n", qstat.Stdout);
    }
}
