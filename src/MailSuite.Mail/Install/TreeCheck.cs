// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// Compares an installed tree with <see cref="Hier"/>: each path must exist, be of the right
/// kind, and have exactly the owner, group and mode of the table. bin/ may hold nothing else, so
/// a stray or hard-linked copy of a program is reported too.
/// </summary>
public static class TreeCheck
{
    /// <summary>One line per discrepancy, naming the path; empty when the tree is as it should be.</summary>
    public static IReadOnlyList<string> Problems(string prefix, InstallIds ids)
    {
        var problems = new List<string>();
        foreach (HierEntry entry in Hier.Entries)
        {
            string path = PathOf(prefix, entry);
            FileStatus? st = FileStatus.Of(path);
            if (st is null)
            {
                problems.Add($"{path}: missing");
                continue;
            }
            Compare(path, entry, st, ids, problems);
        }
        ReportStrays(prefix, problems);
        return problems;
    }

    /// <summary>The absolute path of an entry under a prefix.</summary>
    public static string PathOf(string prefix, HierEntry entry) =>
        entry.Path.Length == 0 ? prefix : Path.Combine(prefix, entry.Path);

    /// <summary>The kind of file an entry must be on disk.</summary>
    public static FileKind KindOf(HierEntry entry) => entry.Kind switch
    {
        HierKind.Directory => FileKind.Directory,
        HierKind.Fifo => FileKind.Fifo,
        _ => FileKind.File,
    };

    private static void Compare(string path, HierEntry entry, FileStatus st, InstallIds ids, List<string> problems)
    {
        if (st.Kind != KindOf(entry))
        {
            problems.Add($"{path}: is a {st.Kind}, expected a {KindOf(entry)}");
            return;
        }
        Account owner = ids.User(entry.Owner);
        uint gid = ids.Group(entry.Group);
        if (st.Uid != owner.Uid)
            problems.Add($"{path}: owner {Accounts.UserName(st.Uid)}, expected {owner.Name}");
        if (st.Gid != gid)
            problems.Add($"{path}: group {Accounts.GroupName(st.Gid)}, expected {Accounts.GroupName(gid)}");
        if (st.Mode != entry.Mode)
            problems.Add($"{path}: mode {Octal(st.Mode)}, expected {Octal(entry.Mode)}");
        if (entry.Kind == HierKind.Binary && st.Links != 1)
            problems.Add($"{path}: has {st.Links} links, expected 1");
    }

    private static void ReportStrays(string prefix, List<string> problems)
    {
        string bin = Path.Combine(prefix, "bin");
        if (!Directory.Exists(bin)) return;
        var expected = Hier.Programs.Select(p => p.Name).ToHashSet();
        foreach (string path in Directory.EnumerateFileSystemEntries(bin).Order(StringComparer.Ordinal))
            if (!expected.Contains(Path.GetFileName(path)))
                problems.Add($"{path}: not part of the install");
    }

    /// <summary>A mode as qmail writes it: four octal digits.</summary>
    public static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(4, '0');
}
