// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QCheck;

/// <summary>
/// The queue's invariants, qmail's INTERNALS restated, checked file by file: every file named by a
/// number in the split directory that number belongs to; todo, intd, info, local, remote and
/// bounce only beside their mess file; mess without todo or info only while qmail-queue may still
/// write it (36 hours); qmail's owners and modes; nothing else in the queue. A repair moves,
/// removes, chowns and chmods; a message file it cannot place is reported, never deleted.
/// </summary>
internal sealed class QueueCheck(QueueLayout q, InstallIds ids, bool repair)
{
    private static readonly TimeSpan InFlight = TimeSpan.FromHours(36);
    private static readonly string[] Split = ["mess", "info", "local", "remote"];
    private static readonly string[] Flat = ["todo", "intd", "bounce"];
    private readonly List<string> problems = [];

    public List<string> Run()
    {
        foreach (string sub in Split) CheckSplit(sub);
        foreach (string sub in Flat) CheckFlat(sub);
        CheckPid();
        return problems;
    }

    private void CheckSplit(string sub)
    {
        foreach (string dir in Directory.EnumerateDirectories(Path.Combine(q.Dir, sub)).Order(StringComparer.Ordinal))
            foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                if (!ulong.TryParse(Path.GetFileName(file), out ulong n)) { Say($"{Rel(file)}: not a queue file (left alone)"); continue; }
                string right = Path.Combine(q.Dir, sub, QueueLayout.MessRelative(n));
                string current = file;
                if (file != right)
                {
                    Say($"{Rel(file)}: in the wrong split directory, belongs in {Rel(right)}", () => File.Move(file, right));
                    if (repair) current = right;
                }
                if (sub == "mess") CheckMess(n, current);
                else if (!File.Exists(q.Mess(n)) && !MessAnywhere(n)) Say($"{Rel(current)}: its message is gone", () => File.Delete(current));
                else Ownership(current, Role.Qmails, "600");
            }
    }

    private void CheckMess(ulong n, string file)
    {
        Ownership(file, Role.Qmailq, "644");
        if (File.Exists(q.Todo(n)) || File.Exists(q.Info(n))) return;
        bool old = DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > InFlight;
        if (old) Say($"{Rel(file)}: neither todo nor info, untouched for 36 hours: left by a crashed qmail-queue", () => File.Delete(file));
    }

    private void CheckFlat(string sub)
    {
        foreach (string file in Directory.EnumerateFiles(Path.Combine(q.Dir, sub)).Order(StringComparer.Ordinal))
        {
            if (!ulong.TryParse(Path.GetFileName(file), out ulong n)) { Say($"{Rel(file)}: not a queue file (left alone)"); continue; }
            if (!File.Exists(q.Mess(n)) && !MessAnywhere(n)) { Say($"{Rel(file)}: its message is gone", () => File.Delete(file)); continue; }
            Ownership(file, sub == "bounce" ? Role.Qmails : Role.Qmailq, sub == "bounce" ? "600" : "644");
        }
    }

    private void CheckPid()
    {
        foreach (string file in Directory.EnumerateFiles(Path.Combine(q.Dir, "pid")))
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > InFlight)
                Say($"{Rel(file)}: left by a qmail-queue that died 36 hours ago or more", () => File.Delete(file));
    }

    // A mess file in the wrong split directory still counts as the message (repair moves it first).
    private bool MessAnywhere(ulong n) =>
        Directory.EnumerateDirectories(Path.Combine(q.Dir, "mess")).Any(d => File.Exists(Path.Combine(d, n.ToString())));

    private void Ownership(string file, Role owner, string mode)
    {
        FileStatus? st = FileStatus.Of(file);
        if (st is null) return;
        Account want = ids.User(owner);
        int wantMode = Hier.Mode(mode);
        if (st.Uid != want.Uid || (st.Mode & 0xfff) != wantMode)
            Say($"{Rel(file)}: owner {Accounts.UserName(st.Uid)} mode {Convert.ToString(st.Mode & 0xfff, 8)}, expected {want.Name} {mode}", () =>
            {
                FileStatus.Chown(file, want.Uid, ids.Group(GroupRole.Qmail));
                FileStatus.Chmod(file, wantMode);
            });
    }

    private void Say(string problem, Action? fix = null)
    {
        if (repair && fix is not null)
        {
            fix();
            problems.Add("repaired: " + problem);
        }
        else
        {
            problems.Add(problem);
        }
    }

    private string Rel(string path) => "queue/" + Path.GetRelativePath(q.Dir, path);
}
