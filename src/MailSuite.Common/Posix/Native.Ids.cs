// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>libc's user and group ids, signals and exec by PATH (see Native.cs for why not through a library).</summary>
internal static partial class Native
{
    [LibraryImport(Libc, EntryPoint = "getgid")]
    internal static partial uint GetGid();

    [LibraryImport(Libc, EntryPoint = "getegid")]
    internal static partial uint GetEgid();

    [LibraryImport(Libc, EntryPoint = "setuid", SetLastError = true)]
    internal static partial int SetUid(uint uid);

    [LibraryImport(Libc, EntryPoint = "setgid", SetLastError = true)]
    internal static partial int SetGid(uint gid);

    [LibraryImport(Libc, EntryPoint = "setgroups", SetLastError = true)]
    internal static partial int SetGroups(nuint size, uint[] groups);

    [LibraryImport(Libc, EntryPoint = "getgroups", SetLastError = true)]
    internal static partial int GetGroups(int size, uint[] groups);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "execvp", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Execvp(string file, string?[] argv);
}
