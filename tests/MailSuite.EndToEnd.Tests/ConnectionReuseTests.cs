// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace MailSuite.EndToEnd.Tests;

// qmail-rspawn's connection reuse through the whole queue (qmail-send, qmail-rspawn and
// `qmail-remote -s` as qmailr) against real receivers on loopback: aiosmtpd, which records the
// client port of each message's connection, and Postfix's smtp-sink, told to hang up on RSET.
public sealed class ConnectionReuseTests : IDisposable
{
    private const int Messages = 100;
    private readonly TempInstall install = new();
    private readonly string dump = Directory.CreateTempSubdirectory("reuse").FullName;
    private readonly List<IDisposable> peers = [];

    public ConnectionReuseTests()
    {
        File.WriteAllText(Control("smtproutes"), "reuse.test:[127.0.0.16]\n");
        File.WriteAllText(Control("concurrencyremote"), "4\n");
    }

    public void Dispose()
    {
        foreach (IDisposable p in peers) p.Dispose();
        install.Dispose();
        Directory.Delete(dump, true);
    }

    private string Control(string name) => Path.Combine(install.Prefix, "control", name);

    // All queued before qmail-send starts, so deliveries overlap as much as the concurrency allows.
    private void QueueMessages()
    {
        for (int i = 0; i < Messages; i++)
            Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["-f", "joe@sender.test", $"u{i}@reuse.test"], stdin: $"Subject: reuse {i}\n\nbody {i}\n").Exit);
    }

    private static void WaitForQueueEmpty(TempInstall install) => MailService.WaitUntil(
        () => Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories).Length == 0, "the queue to empty", seconds: 300);

    // qmail-send's log reaches the test through a pipe read in the background: wait for its lines.
    private static void WaitForSuccessLines(MailService service, string pattern) => MailService.WaitUntil(
        () => System.Text.RegularExpressions.Regex.Count(service.Log, pattern) >= Messages, $"{Messages} log lines matching {pattern}");

    [Fact]
    public void A_hundred_messages_to_one_receiver_go_over_fewer_than_ten_connections_each_intact()
    {
        peers.Add(new Peer("/usr/bin/python3", [Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/aiosmtpd_peer.py"),
            "127.0.0.16", "25", dump, Control("servercert.pem")], waitForLine: "ready"));
        QueueMessages();
        using var service = new MailService(install);
        WaitForQueueEmpty(install);

        List<JsonElement> got = Directory.GetFiles(dump, "*.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"u{i}@reuse.test").Order(),
            got.Select(g => g.GetProperty("rcpts")[0].GetString()!).Order());
        foreach (JsonElement g in got)
        {
            string to = g.GetProperty("rcpts")[0].GetString()!;
            string n = to[1..to.IndexOf('@')];
            Assert.Contains($"Subject: reuse {n}\r\n", g.GetProperty("data").GetString());   // each message its own text, none mixed up
            Assert.True(g.GetProperty("tls").GetBoolean());                                  // RSET and the next message inside TLS
        }
        int connections = got.Select(g => g.GetProperty("port").GetInt32()).Distinct().Count();
        Assert.InRange(connections, 1, 9);
        WaitForSuccessLines(service, "delivery \\d+: success: 127.0.0.16_accepted_message_over_TLS");
    }

    [Fact]
    public void A_receiver_that_hangs_up_on_the_next_message_loses_none_of_them()
    {
        peers.Add(Peer.Sink("127.0.0.16", dump, "-q", "RSET"));   // every reused connection dies at its RSET
        QueueMessages();
        using var service = new MailService(install);
        WaitForQueueEmpty(install);

        List<string> recipients = Directory.GetFiles(dump)
            .SelectMany(File.ReadLines).Where(l => l.StartsWith("X-Rcpt-Args: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"X-Rcpt-Args: <u{i}@reuse.test>").Order(), recipients.Order());
        WaitForSuccessLines(service, "delivery \\d+: success: 127.0.0.16_accepted_message");
        Assert.DoesNotContain("deferral:", service.Log);   // a connection that will not take the next message is replaced, not failed
        Assert.DoesNotContain("failure:", service.Log);
    }

    [Fact]
    public void With_remotereuse_1_every_message_has_a_connection_of_its_own_as_in_qmail()
    {
        File.WriteAllText(Control("remotereuse"), "1\n");
        peers.Add(new Peer("/usr/bin/python3", [Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/aiosmtpd_peer.py"),
            "127.0.0.16", "25", dump, Control("servercert.pem")], waitForLine: "ready"));
        QueueMessages();
        using var service = new MailService(install);
        WaitForQueueEmpty(install);

        List<int> ports = Directory.GetFiles(dump, "*.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("port").GetInt32()).ToList();
        Assert.Equal(Messages, ports.Count);
        Assert.Equal(Messages, ports.Distinct().Count());
    }
}
