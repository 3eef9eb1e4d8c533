// SPDX-License-Identifier: MIT
using Mono.Unix.Native;

namespace MailSuite.Common;

/// <summary>
/// The check a setuid program makes before it trusts its own location: the executable has one
/// link (no hard-linked copy in a directory someone else controls), and it and every directory
/// above it belong to root and are writable by nobody else, sticky directories such as /tmp
/// excepted. If all holds, no caller can have arranged the tree the program will work in.
/// </summary>
public static class TrustedTree
{
    /// <summary>Each reason the executable's location cannot be trusted; empty if it can.</summary>
    public static IReadOnlyList<string> Problems(string executable)
    {
        var problems = new List<string>();
        if (Syscall.lstat(executable, out Stat exe) != 0)
        {
            problems.Add($"{executable}: cannot stat: {Stdlib.strerror(Stdlib.GetLastError())}");
            return problems;
        }
        if (exe.st_nlink != 1) problems.Add($"{executable}: has {exe.st_nlink} links, expected 1");
        CheckOwnerAndMode(executable, exe, problems);
        for (string? dir = Path.GetDirectoryName(executable); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Syscall.stat(dir, out Stat st) != 0)
            {
                problems.Add($"{dir}: cannot stat: {Stdlib.strerror(Stdlib.GetLastError())}");
                continue;
            }
            CheckOwnerAndMode(dir, st, problems);
        }
        return problems;
    }

    private static void CheckOwnerAndMode(string path, Stat st, List<string> problems)
    {
        if (st.st_uid != 0) problems.Add($"{path}: owned by uid {st.st_uid}, not root");
        bool sticky = (st.st_mode & FilePermissions.S_ISVTX) != 0 && (st.st_mode & FilePermissions.S_IFMT) == FilePermissions.S_IFDIR;
        bool writable = (st.st_mode & (FilePermissions.S_IWGRP | FilePermissions.S_IWOTH)) != 0;
        if (writable && !sticky) problems.Add($"{path}: writable by group or others");
    }
}
