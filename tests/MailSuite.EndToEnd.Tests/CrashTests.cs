// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// Crash safety: kill -9 a daemon in the middle of a burst; after a restart every message is
// delivered, none twice beyond those in flight at the kill, and the queue is left empty.
public sealed partial class CrashTests : IDisposable
{
    private const int Messages = 500;
    private const int Concurrency = 10;   // concurrencylocal: at most this many were in flight
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");
    private readonly MailService service;

    public CrashTests()
    {
        Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));
        service = new MailService(install);
    }

    public void Dispose()
    {
        service.Dispose();
        install.Dispose();
    }

    [Theory]
    [InlineData("qmail-send")]
    [InlineData("qmail-lspawn")]
    public void Killing_a_daemon_mid_burst_loses_nothing(string victim)
    {
        string script = $"for i in $(seq 0 {Messages - 1}); do printf 'To: {bob.Name}\\nSubject: msg %d\\n\\nx\\n' $i | {install.Bin("qmail-inject")} || exit 1; done";
        using Process injector = Process.Start(new ProcessStartInfo(install.Bin("setuidgid"), ["nobody", "/bin/sh", "-c", script]))!;
        MailService.WaitUntil(() => Directory.GetFiles(bob.Path("Maildir/new")).Length >= 50, "50 deliveries");
        Harness.Ok("kill", "-9", Daemon(victim).ToString());
        service.WaitForExit();
        injector.WaitForExit();
        Assert.Equal(0, injector.ExitCode);

        service.Start();
        MailService.WaitUntil(() => QueueFiles().Length == 0 && Subjects().Distinct().Count() == Messages, "every message and an empty queue", 300);

        List<int> subjects = Subjects();
        Assert.Equal(Enumerable.Range(0, Messages), subjects.Distinct().Order());
        Assert.InRange(subjects.Count - Messages, 0, Concurrency);
        Assert.Empty(QueueFiles());
    }

    // The daemon itself, not a child caught between posix_spawn's fork and its exec (it still
    // shows the daemon's executable for that moment).
    private int Daemon(string program)
    {
        int[] pids = service.ProcessIds(program);
        return Assert.Single(pids, p => ParentOf(p) is int parent and > 0 && !pids.Contains(parent));
    }

    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;   // gone already (exec'd or ended): a passing child
        }
    }

    [Fact]
    public void Preprocessing_cut_short_by_a_crash_is_done_again_and_the_message_delivered()
    {
        service.Stop();
        Ran r = Harness.Run(install.Bin("qmail-inject"), [bob.Name], stdin: "Subject: msg 7\n\nx\n");
        Assert.Equal(0, r.Exit);
        string todo = Assert.Single(Directory.GetFiles(Path.Combine(install.Prefix, "queue/todo")));
        ulong n = ulong.Parse(Path.GetFileName(todo));
        // What a kill between writing info/n and local/n leaves: todo/n, info/n, an empty local/n.
        string split = (n % 23).ToString();
        string info = Path.Combine(install.Prefix, "queue/info", split, n.ToString());
        string local = Path.Combine(install.Prefix, "queue/local", split, n.ToString());
        File.WriteAllText(info, "u0\0p1\0Froot@mail.example.test\0");
        File.WriteAllText(local, "");
        Harness.Ok("chown", "qmails:qmail", info, local);

        service.Start();

        MailService.WaitUntil(() => QueueFiles().Length == 0 && Subjects().Count == 1, "the message delivered and an empty queue");
        Assert.Equal([7], Subjects());
    }

    private string[] QueueFiles() =>
        ((string[])["mess", "info", "local", "remote", "todo", "intd", "bounce", "pid"])
            .SelectMany(d => Directory.GetFiles(Path.Combine(install.Prefix, "queue", d), "*", SearchOption.AllDirectories)).ToArray();

    private List<int> Subjects() =>
        Directory.GetFiles(bob.Path("Maildir/new"))
            .Select(f => SubjectLine().Match(File.ReadAllText(f)))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();

    [GeneratedRegex(@"\nSubject: msg (\d+)\n")]
    private static partial Regex SubjectLine();
}
