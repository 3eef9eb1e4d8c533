// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>
/// The check a setuid program makes before it trusts its own location: the executable has one
/// link (no hard-linked copy in a directory someone else controls), and it and every directory
/// above it belong to root and are writable by nobody else, sticky directories such as /tmp
/// excepted. If all holds, no caller can have arranged the tree the program will work in, nor
/// placed a library beside it. Uses libc only, so it can run before any library is loaded.
/// </summary>
public static class TrustedTree
{
    /// <summary>
    /// Each reason the executable's location cannot be trusted; empty if it can. The executable
    /// itself must belong to <paramref name="executableOwner"/> (the account it is setuid to).
    /// </summary>
    public static IReadOnlyList<string> Problems(string executable, uint executableOwner = 0)
    {
        var problems = new List<string>();
        if (LibcStat.LstatPath(executable, out LibcStat.Stat exe) != 0)
        {
            problems.Add($"{executable}: cannot stat: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            return problems;
        }
        if (exe.Nlink != 1) problems.Add($"{executable}: has {exe.Nlink} links, expected 1");
        Check(executable, exe, executableOwner, problems);
        for (string? dir = Path.GetDirectoryName(executable); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (LibcStat.StatPath(dir, out LibcStat.Stat st) != 0)
                problems.Add($"{dir}: cannot stat: {Errno.Describe(Marshal.GetLastPInvokeError())}");
            else
                Check(dir, st, 0, problems);
        }
        return problems;
    }

    private static void Check(string path, LibcStat.Stat st, uint owner, List<string> problems)
    {
        if (st.Uid != owner) problems.Add($"{path}: owned by uid {st.Uid}, not {(owner == 0 ? "root" : $"uid {owner}")}");
        bool sticky = (st.Mode & 0x200) != 0 && (st.Mode & LibcStat.S_IFMT) == LibcStat.S_IFDIR;
        bool writable = (st.Mode & 0x12) != 0;   // group or other write
        if (writable && !sticky) problems.Add($"{path}: writable by group or others");
    }
}
