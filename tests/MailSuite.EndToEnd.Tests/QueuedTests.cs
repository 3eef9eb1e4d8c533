// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// qmail-queued, the resident qmail-queue: the same queue files as qmail-queue, the caller's uid
// from the kernel only, nothing queued for a client that misbehaves, and qmail-queue taking
// over whenever it is stopped or busy. Clients: our qmail-inject, and Peers/queue_client.py
// (written from the README) for what qmail-inject would never send.
public sealed partial class QueuedTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly string work = Directory.CreateTempSubdirectory("queued").FullName;
    private Process? queued;

    public QueuedTests()
    {
        File.SetUnixFileMode(work, (UnixFileMode)Convert.ToInt32("755", 8));   // the clients run as nobody
        StartQueued();
    }

    public void Dispose()
    {
        StopQueued();
        install.Dispose();
        Directory.Delete(work, true);
    }

    private string Socket => Path.Combine(install.Prefix, "queued/socket");

    private string Queue(string sub) => Path.Combine(install.Prefix, "queue", sub);

    private void StartQueued()
    {
        queued = Process.Start(new ProcessStartInfo(install.Bin("qmail-queued")) { RedirectStandardError = true })!;
        MailService.WaitUntil(() => File.Exists(Socket) && (queued.HasExited || Harness.Run("ss", ["-Hlx", "src", Socket]).Stdout.Length > 0),
            "qmail-queued's socket");
        if (queued.HasExited) Assert.Fail($"qmail-queued exited: {queued.StandardError.ReadToEnd()}");
    }

    private void StopQueued()
    {
        if (queued is null) return;
        if (!queued.HasExited) queued.Kill();
        queued.WaitForExit();
        queued.Dispose();
        queued = null;
    }

    private JsonElement Client(string user, string mode, string? message = null, params string[] extra)
    {
        Ran r = Harness.Run(install.Bin("setuidgid"), [user, "/usr/bin/python3",
            Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/queue_client.py"), Socket, mode, .. extra], stdin: message);
        Assert.True(r.Exit == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement;
    }

    private string Envelope(string content)
    {
        string file = Path.Combine(work, "envelope" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, content, Encoding.Latin1);
        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("644", 8));
        return file;
    }

    private string[] Todo() => Directory.GetFiles(Queue("todo"));

    private string[] Leftovers() =>
        [.. Directory.GetFiles(Queue("pid")), .. Directory.GetFiles(Queue("intd")), .. Directory.GetFiles(Queue("mess"), "*", SearchOption.AllDirectories)];

    // The queue files of message n with the queuing process's pid and the time taken out.
    private (string Mess, string Intd) Files(string todo)
    {
        string mess = MessOf(todo);
        string intd = File.ReadAllText(Path.Combine(Queue("intd"), Path.GetFileName(todo)), Encoding.Latin1);
        return (ReceivedPid().Replace(mess, "Received: (qmail PID invoked by uid $1); DATE\n", 1), IntdPid().Replace(intd, "p\0"));
    }

    private static int QueuingPid(string mess) => int.Parse(ReceivedAny().Match(mess).Groups[1].Value);

    [GeneratedRegex(@"^Received: \(qmail \d+ invoked by uid (\d+)\); [^\n]*\n")]
    private static partial Regex ReceivedPid();

    [GeneratedRegex(@"^Received: \(qmail (\d+) ")]
    private static partial Regex ReceivedAny();

    [GeneratedRegex("p\\d+\0")]
    private static partial Regex IntdPid();

    [Fact]
    public void Qmail_queued_and_qmail_queue_write_the_same_queue_files_for_the_same_input()
    {
        const string Message = "From: a@example.test\nSubject: same\n\nbody\n.\n\u00e9 8-bit\n";
        const string EnvelopeText = "Fa@example.test\0Tb@example.test\0Tc@example.test\0\0";
        string envelope = Envelope(EnvelopeText);

        JsonElement answer = Client("nobody", "send", Message, envelope);
        Assert.Equal("ok", answer.GetProperty("greeting").GetString());
        Assert.Equal($"0 {queued!.Id}", answer.GetProperty("verdict").GetString());
        Ran viaProgram = Harness.Run(install.Bin("setuidgid"), ["nobody", "/bin/sh", "-c", $"exec \"$0\" 1<'{envelope}'", install.Bin("qmail-queue")], stdin: Message);
        Assert.Equal(0, viaProgram.Exit);

        string[] todo = Todo();
        Assert.Equal(2, todo.Length);
        var byQueuer = todo.ToDictionary(t => QueuingPid(MessOf(t)), Files);
        Assert.Contains(queued.Id, byQueuer.Keys);   // one went through qmail-queued, the other through qmail-queue
        (string mess, string intd)[] both = [.. byQueuer.Values];
        Assert.Equal(both[0], both[1]);
        string nobody = Harness.Ok("id", "-u", "nobody").Stdout.Trim();
        string messageAsQueued = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(Message));   // the bytes, one char each
        Assert.Equal($"Received: (qmail PID invoked by uid {nobody}); DATE\n{messageAsQueued}", both[0].mess);
        Assert.Equal($"u{nobody}\0p\0{EnvelopeText[..^1]}", both[0].intd);
    }

    [Fact]
    public void A_uid_claimed_by_the_client_in_any_field_is_ignored()
    {
        string envelope = Envelope("Fu0\0Tb@example.test\0\0");
        JsonElement answer = Client("nobody", "send", "Subject: forged\n\nx\n", envelope, "UID=0", "USER=root", "QMAILUSER=alias", "u0=");
        Assert.StartsWith("0 ", answer.GetProperty("verdict").GetString());
        (string mess, string intd) = Files(Assert.Single(Todo()));
        string nobody = Harness.Ok("id", "-u", "nobody").Stdout.Trim();
        Assert.StartsWith($"Received: (qmail PID invoked by uid {nobody}); DATE\n", mess);
        Assert.StartsWith($"u{nobody}\0p\0Fu0\0", intd);
    }

    [Theory]
    [InlineData("garbage", "54 ")]
    [InlineData("cut", null)]
    public void A_client_that_is_not_the_protocol_or_stops_early_queues_nothing(string mode, string? verdict)
    {
        JsonElement answer = Client("nobody", mode);
        Assert.Equal("ok", answer.GetProperty("greeting").GetString());
        if (verdict is not null) Assert.StartsWith(verdict, answer.GetProperty("verdict").GetString());
        MailService.WaitUntil(() => Leftovers().Length == 0, "qmail-queued to remove what it started");
        Assert.Empty(Todo());
    }

    [Theory]
    [InlineData("Tb@example.test\0\0", "91 ")]            // a recipient before the sender
    [InlineData("Fa@example.test\0Tb@example.test\0", "54 ")]   // the envelope ends early
    public void A_bad_envelope_gets_qmail_queues_exit_code_and_queues_nothing(string envelope, string verdict)
    {
        JsonElement answer = Client("nobody", "send", "Subject: x\n\nx\n", Envelope(envelope));
        Assert.StartsWith(verdict, answer.GetProperty("verdict").GetString());
        Assert.Empty(Todo());
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void When_every_slot_is_held_or_qmail_queued_is_stopped_qmail_inject_queues_through_qmail_queue()
    {
        int queuedPid = queued!.Id;
        var psi = new ProcessStartInfo(install.Bin("setuidgid")) { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["nobody", "/usr/bin/python3", Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/queue_client.py"), Socket, "hold", "33"])
            psi.ArgumentList.Add(a);
        using (Process holder = Process.Start(psi)!)
        {
            string[] greetings = JsonDocument.Parse(holder.StandardOutput.ReadLine()!).RootElement.GetProperty("greetings").EnumerateArray().Select(g => g.GetString()!).ToArray();
            Assert.Equal([.. Enumerable.Repeat("ok", 32), "busy"], greetings);
            Inject("while busy");
            holder.StandardInput.Close();
            holder.WaitForExit();
        }
        MailService.WaitUntil(() => Client("nobody", "garbage").GetProperty("greeting").GetString() == "ok", "the held slots to be free again");
        Inject("after the holder left");
        StopQueued();   // its socket stays behind, with nobody listening
        Inject("while stopped");

        Dictionary<string, int> queuer = Todo().Select(MessOf).ToDictionary(m => Regex.Match(m, "\nSubject: (.*)\n").Groups[1].Value, QueuingPid);
        Assert.Equal(queuedPid, queuer["after the holder left"]);
        Assert.NotEqual(queuedPid, queuer["while busy"]);
        Assert.NotEqual(queuedPid, queuer["while stopped"]);
    }

    private string MessOf(string todo)
    {
        string n = Path.GetFileName(todo);
        return File.ReadAllText(Path.Combine(Queue("mess"), (ulong.Parse(n) % 23).ToString(), n), Encoding.Latin1);
    }

    private void Inject(string subject)
    {
        Ran r = Harness.Run(install.Bin("setuidgid"), ["nobody", install.Bin("qmail-inject"), "b@example.test"], stdin: $"Subject: {subject}\n\nx\n");
        Assert.True(r.Exit == 0, r.Stderr);
    }
}

// kill -9 of qmail-queued while SMTP clients send: every message that got 250 is delivered,
// the messages in flight at the kill get 451 (and may or may not be queued), and from then on
// qmail-smtpd queues through qmail-queue.
public sealed partial class QueuedCrashTests : IDisposable
{
    private const int Messages = 500;
    private const int Sessions = 4;
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");
    private readonly MailService service;
    private readonly Peer queued;
    private readonly SmtpServer smtp;

    public QueuedCrashTests()
    {
        Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));
        queued = new Peer(install.Bin("qmail-queued"), []);
        MailService.WaitUntil(() => File.Exists(Path.Combine(install.Prefix, "queued/socket")), "qmail-queued's socket", 20);
        service = new MailService(install);
        string qmaild(string flag) => Harness.Ok("id", flag, "qmaild").Stdout.Trim();
        smtp = new SmtpServer(install.Bin("tcpserver"), "-1", "-R", "-H", "-l", "0", "-c", "20", "-u", qmaild("-u"), "-g", qmaild("-g"),
            "127.0.0.1", "0", install.Bin("qmail-smtpd"));
    }

    public void Dispose()
    {
        smtp.Dispose();
        service.Dispose();
        queued.Dispose();
        install.Dispose();
    }

    [Fact]
    public void Killing_qmail_queued_mid_burst_loses_no_accepted_message_and_smtp_goes_on_through_qmail_queue()
    {
        const string Script = """
            import json, smtplib, sys, threading
            port, rcpt, total, sessions = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
            accepted, failed, lock = [], [], threading.Lock()
            def run(k):
                s = None
                for i in range(k, total, sessions):
                    for attempt in range(3):
                        try:
                            if s is None:
                                s = smtplib.SMTP("127.0.0.1", port, timeout=60)
                            s.sendmail("joe@example.com", [rcpt], ("Subject: msg %d\r\n\r\nx\r\n" % i).encode())
                            with lock: accepted.append(i)
                            break
                        except smtplib.SMTPResponseException as e:
                            with lock: failed.append([i, e.smtp_code])
                            s.rset()
                            break
                        except (smtplib.SMTPServerDisconnected, OSError):
                            s = None
                if s is not None:
                    s.quit()
            threads = [threading.Thread(target=run, args=(k,)) for k in range(sessions)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(json.dumps({"accepted": accepted, "failed": failed}))
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        foreach (string a in (string[])["-c", Script, smtp.Port.ToString(), $"{bob.Name}@{Harness.Ok("cat", Path.Combine(install.Prefix, "control/me")).Stdout.Trim()}", Messages.ToString(), Sessions.ToString()])
            psi.ArgumentList.Add(a);
        using Process client = Process.Start(psi)!;
        MailService.WaitUntil(() => Delivered().Count >= 30, "30 deliveries");
        int queuedPid = queued.Pid;
        Harness.Ok("kill", "-9", queuedPid.ToString());
        string output = client.StandardOutput.ReadToEnd();   // one line, at the end: the pipe never fills before
        client.WaitForExit();
        JsonElement result = JsonDocument.Parse(output).RootElement;
        int[] accepted = result.GetProperty("accepted").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        JsonElement[] failed = result.GetProperty("failed").EnumerateArray().ToArray();

        MailService.WaitUntil(() => accepted.All(Delivered().Select(d => d.Subject).ToHashSet().Contains), "every accepted message", 300);
        List<(int Subject, int QueuedBy)> delivered = Delivered();
        Assert.InRange(failed.Length, 0, Sessions);   // at most the messages in flight at the kill
        Assert.All(failed, f => Assert.Equal(451, f[1].GetInt32()));
        Assert.Equal(Messages, accepted.Length + failed.Length);
        Assert.InRange(delivered.Count - accepted.Length, 0, failed.Length);
        Assert.Equal(delivered.Count, delivered.Select(d => d.Subject).Distinct().Count());
        Assert.Contains(delivered, d => d.QueuedBy == queuedPid);   // before the kill, through qmail-queued
        Assert.Contains(delivered, d => d.QueuedBy != queuedPid);   // after it, through qmail-queue
    }

    private List<(int Subject, int QueuedBy)> Delivered() =>
        Directory.GetFiles(bob.Path("Maildir/new")).Select(f => Fields().Match(File.ReadAllText(f)))
            .Where(m => m.Success).Select(m => (int.Parse(m.Groups[2].Value), int.Parse(m.Groups[1].Value))).ToList();

    [GeneratedRegex(@"\nReceived: \(qmail (\d+) invoked from network\);[\s\S]*?\nSubject: msg (\d+)\r?\n")]
    private static partial Regex Fields();
}
