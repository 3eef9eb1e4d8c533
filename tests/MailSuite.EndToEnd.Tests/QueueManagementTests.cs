// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// qmail-qctl on a live queue: qmail-send does each request between its deliveries while 200
// messages arrive, and the queue is as qmail-qcheck wants it afterwards. Remote mail goes to a
// closed port (deferred) unless routed to Postfix's smtp-sink.
public sealed partial class QueueManagementTests : IDisposable
{
    private const int Arriving = 200;
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly string dump = Directory.CreateTempSubdirectory("qctl").FullName;
    private readonly MailService service;

    public QueueManagementTests()
    {
        Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));
        service = new MailService(install);
        MailService.WaitUntil(() => File.Exists(Path.Combine(install.Prefix, "qmgr/socket")), "qmail-send's management socket");
    }

    public void Dispose()
    {
        service.Dispose();
        install.Dispose();
        Directory.Delete(dump, true);
    }

    private Ran Qctl(params string[] args) => Harness.Run(install.Bin("qmail-qctl"), args);

    private void Queue(string from, string to) =>
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["-f", from, to], stdin: $"Subject: for {to}\n\nbody\n").Exit);

    // list's message lines, by their first recipient: (number, state).
    private Dictionary<string, (string Id, string State)> Listed()
    {
        Ran list = Qctl("list");
        Assert.True(list.Exit == 0, list.Stderr);
        var byRecipient = new Dictionary<string, (string, string)>();
        foreach (Match m in ListEntry().Matches(list.Stdout)) byRecipient[m.Groups["rcpt"].Value] = (m.Groups["id"].Value, m.Groups["state"].Value);
        return byRecipient;
    }

    private int Count(string text) => Regex.Count(service.Log, Regex.Escape(text));

    private string Delivered() => string.Concat(Directory.GetFiles(dump).Select(File.ReadAllText));

    [Fact]
    public void Delete_bounce_resend_hold_and_release_do_what_they_say_while_mail_arrives()
    {
        string[] remote = ["a@del.test", "b@bounce.test", "c@hold.test", "d@resend.test"];
        foreach (string to in remote) Queue(ann.Name, to);
        Queue("spammer@spam.example", "x1@far.test");
        Queue("other@SPAM.example", "x2@far.test");
        MailService.WaitUntil(() => Count("deferral:") >= 6, "six deferrals");
        int refused = 0;
        var arriving = new Thread(() =>
        {
            for (int i = 0; i < Arriving; i++)
                if (Harness.Run(install.Bin("qmail-inject"), ["-f", "feed@example.com", ann.Name], stdin: $"Subject: feed {i}\n\nbody\n").Exit != 0) refused++;
        });
        arriving.Start();
        try
        {
            ManageWhileArriving(remote);
        }
        finally
        {
            arriving.Join();   // before Dispose removes the programs it runs
        }
        Assert.Equal(0, refused);
        AllArrivedAndTheQueueIsClean();
    }

    private void ManageWhileArriving(string[] remote)
    {
        var ids = Listed();
        Assert.All(remote, to => Assert.Equal("queued", ids[to].State));
        Assert.Equal("ok " + ids["c@hold.test"].Id + ": held\n", Qctl("hold", ids["c@hold.test"].Id).Stdout);
        Assert.Equal("held", Listed()["c@hold.test"].State);
        Assert.Contains("\tremote\tc@hold.test\n", Qctl("list", "--held").Stdout);
        Assert.DoesNotContain("d@resend.test", Qctl("list", "--held").Stdout);

        using (var sink = Peer.Sink("127.0.0.16", dump))
        {
            File.WriteAllText(Path.Combine(install.Prefix, "control/smtproutes"), "resend.test:[127.0.0.16]\nhold.test:[127.0.0.16]\n" + TempInstall.Unreachable + "\n");
            Assert.Equal(0, Qctl("resend", ids["d@resend.test"].Id).Exit);
            MailService.WaitUntil(() => Delivered().Contains("d@resend.test"), "the resent message at the sink");

            // ALRM retries everything but the held message; so does a restart of qmail-send.
            MailService.Signal("ALRM", service.Pid);
            MailService.WaitUntil(() => Count("to remote a@del.test") == 2, "a second try of a@del.test");
            Assert.Equal(1, Count("to remote c@hold.test"));
            Assert.Equal(0, service.Stop());
            service.Start();
            MailService.WaitUntil(() => File.Exists(Path.Combine(install.Prefix, "qmgr/socket")), "the management socket again");
            Assert.Equal("held", Listed()["c@hold.test"].State);
            MailService.Signal("ALRM", Harness.Pids(exe => exe == install.Bin("qmail-send")).Single());
            MailService.WaitUntil(() => Count("to remote a@del.test") == 3, "a third try of a@del.test");
            Assert.Equal(1, Count("to remote c@hold.test"));
            Assert.DoesNotContain("c@hold.test", Delivered());

            Assert.Equal("ok " + ids["c@hold.test"].Id + ": released, due now\n", Qctl("release", ids["c@hold.test"].Id).Stdout);
            MailService.WaitUntil(() => Delivered().Contains("c@hold.test"), "the released message at the sink");
        }

        Ran bounce = Qctl("bounce", ids["b@bounce.test"].Id);
        Assert.Equal($"ok {ids["b@bounce.test"].Id}: bounced, 1 recipient(s) not delivered\n", bounce.Stdout);
        Ran delete = Qctl("delete", ids["a@del.test"].Id);
        Assert.Equal($"ok {ids["a@del.test"].Id}: deleted\n", delete.Stdout);
        Ran spam = Qctl("delete", "--from", "*@spam.EXAMPLE");
        Assert.Equal(2, Regex.Count(spam.Stdout, "^ok \\d+: deleted$", RegexOptions.Multiline));
        Assert.DoesNotContain("a@del.test", Qctl("list").Stdout);
        // The number itself may name a new arrival by now: qmail numbers messages by inode.
    }

    private void AllArrivedAndTheQueueIsClean()
    {
        string maildir = ann.Path("Maildir/new");
        MailService.WaitUntil(() => Directory.GetFiles(maildir).Length == Arriving + 1, $"{Arriving} arrivals and one bounce");
        string[] bounces = Directory.GetFiles(maildir).Select(File.ReadAllText).Where(t => t.Contains("Subject: failure notice")).ToArray();
        string only = Assert.Single(bounces);
        Assert.Contains("<b@bounce.test>:\nThe postmaster returned this message before it could be delivered. (#5.0.0)", only);
        MailService.WaitUntil(() => Listed().Count == 0 && Qctl("list").Stdout == "0 message(s)\n", "an empty queue");
        Assert.Equal("no 1: not in the queue\n", Qctl("resend", "1").Stdout);
        Ran check = Harness.Run(install.Bin("qmail-qcheck"), []);
        Assert.True(check.Exit == 0, check.Stdout + check.Stderr);
        Assert.Equal(7, Count("asked by the postmaster"));   // hold, resend, release, bounce and three deletes
    }

    [Fact]
    public void Only_root_is_answered()
    {
        Queue(ann.Name, "z@far.test");
        string id = Listed()["z@far.test"].Id;
        // qmails reaches the socket (its directory is qmails's) but is not root: refused by SO_PEERCRED.
        Ran asQmails = Harness.Run(install.Bin("setuidgid"), ["qmails", "/usr/bin/python3", "-c",
            "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'delete ' + sys.argv[2].encode() + b'\\n'); print(s.recv(200).decode(), end='')",
            Path.Combine(install.Prefix, "qmgr/socket"), id]);
        Assert.Equal("no: only root may manage the queue\n", asQmails.Stdout);
        // Anyone else does not even reach it (PREFIX/qmgr is qmails's, 0700).
        Ran asAnn = Harness.Run(install.Bin("setuidgid"), [ann.Name, "/usr/bin/python3", "-c",
            "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])", Path.Combine(install.Prefix, "qmgr/socket")]);
        Assert.Contains("PermissionError", asAnn.Stderr);
        Assert.Equal("queued", Listed()["z@far.test"].State);

        // Garbage and an overlong line get an answer or nothing, and change nothing.
        Ran garbage = Harness.Run("/usr/bin/python3", ["-c",
            "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'delete 1\\x00 2\\n'); print(s.recv(200).decode(), end='')",
            Path.Combine(install.Prefix, "qmgr/socket")]);
        Assert.StartsWith("no: not a request: delete 1_ 2", garbage.Stdout);
        Ran overlong = Harness.Run("/usr/bin/python3", ["-c",
            "import socket,sys\ns=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])\ntry:\n s.sendall(b'x' * 100000); r=s.recv(200)\nexcept OSError:\n r=b''\nprint(len(r))",
            Path.Combine(install.Prefix, "qmgr/socket")]);
        Assert.Equal("0\n", overlong.Stdout);
        Assert.Equal("queued", Listed()["z@far.test"].State);
        Assert.Equal(100, Qctl("delete").Exit);   // nothing named: usage
    }

    [GeneratedRegex(@"^(?<id>\d+)  \S+  \d+  (?<state>\w+)  <[^>]*>\n(  done)?\t\w+\t(?<rcpt>\S+)\n", RegexOptions.Multiline)]
    private static partial Regex ListEntry();
}
