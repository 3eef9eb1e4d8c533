// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Install;

/// <summary>
/// Brings a tree in line with <see cref="Hier"/>, touching only what differs, so a second run
/// changes nothing. Binaries are replaced atomically (tmp in bin/, rename) when their bytes
/// differ; runtime state (tcpto, sendmutex) and files an administrator edits (alias/.qmail-*)
/// are created when missing and never rewritten. Every change is printed, one line each.
/// </summary>
internal sealed class TreeInstaller(string prefix, string build, InstallIds ids, TextWriter log)
{
    public void Run()
    {
        foreach (HierEntry entry in Hier.Entries)
        {
            string path = TreeCheck.PathOf(prefix, entry);
            FileStatus? st = FileStatus.Of(path);
            if (st is not null && st.Kind != TreeCheck.KindOf(entry))
                throw new FailureException(Failure.Temporary("4.3.0", $"{path} exists and is a {st.Kind}, not a {TreeCheck.KindOf(entry)}"));
            Create(entry, path, exists: st is not null);
            SetOwnerAndMode(entry, path);
        }
        RemoveStrays();
    }

    // bin/ holds the suite's programs and nothing else: a program a newer version dropped, or a
    // stray copy, would otherwise stay runnable (and make instcheck fail).
    private void RemoveStrays()
    {
        var expected = Hier.Programs.Select(p => p.Name).ToHashSet();
        foreach (string path in Directory.EnumerateFileSystemEntries(Path.Combine(prefix, "bin")).Order(StringComparer.Ordinal))
        {
            if (expected.Contains(Path.GetFileName(path))) continue;
            File.Delete(path);
            log.WriteLine($"removed {path}");
        }
    }

    private void Create(HierEntry entry, string path, bool exists)
    {
        switch (entry.Kind)
        {
            case HierKind.Directory when !exists:
                Directory.CreateDirectory(path);
                log.WriteLine($"created {path}");
                break;
            case HierKind.Fifo when !exists:
                FileStatus.MakeFifo(path, entry.Mode);
                log.WriteLine($"created {path}");
                break;
            case HierKind.ZeroFile or HierKind.EditableFile when !exists:
                AtomicFile.Write(path, new byte[entry.Size], entry.Mode);
                log.WriteLine($"created {path}");
                break;
            case HierKind.BootScript when !exists:
                AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(Hier.BootScript(prefix)), entry.Mode);
                log.WriteLine($"created {path}");
                break;
            case HierKind.Binary:
                CopyBinary(path, exists);
                break;
        }
    }

    private void CopyBinary(string path, bool exists)
    {
        string source = Path.Combine(build, Path.GetFileName(path));
        if (!File.Exists(source))
            throw new FailureException(Failure.Temporary("4.3.0", $"{source} is missing: build first"));
        byte[] bytes = File.ReadAllBytes(source);
        if (exists && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) return;
        // Owner-only until chown/chmod below: a setuid binary is never briefly wrong-owned and executable.
        AtomicFile.Write(path, bytes, mode: Hier.Mode("700"));
        log.WriteLine($"{(exists ? "updated" : "installed")} {path}");
    }

    // chown before chmod: chown clears setuid/setgid bits, so the mode is set last.
    private void SetOwnerAndMode(HierEntry entry, string path)
    {
        FileStatus st = FileStatus.Of(path)!;
        uint uid = ids.User(entry.Owner).Uid;
        uint gid = ids.Group(entry.Group);
        if (st.Uid != uid || st.Gid != gid)
        {
            FileStatus.Chown(path, uid, gid);
            log.WriteLine($"chown {Accounts.UserName(uid)}:{Accounts.GroupName(gid)} {path}");
            st = FileStatus.Of(path)!;
        }
        if (st.Mode != entry.Mode)
        {
            FileStatus.Chmod(path, entry.Mode);
            log.WriteLine($"chmod {TreeCheck.Octal(entry.Mode)} {path}");
        }
    }
}
