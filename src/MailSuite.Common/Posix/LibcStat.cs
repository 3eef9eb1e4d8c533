// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>
/// stat(2) straight from libc, linked directly into each binary (DirectPInvoke), as every libc
/// call in the suite is: the setuid qmail-queue checks its own location with it, and no program
/// loads any library from beside itself.
/// </summary>
internal static partial class LibcStat
{
    // struct stat on glibc x86_64 (144 bytes).
    [StructLayout(LayoutKind.Sequential)]
    internal struct Stat
    {
        public ulong Dev;
        public ulong Ino;
        public ulong Nlink;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        public int Pad0;
        public ulong Rdev;
        public long Size;
        public long Blksize;
        public long Blocks;
        public long Atime, AtimeNsec, Mtime, MtimeNsec, Ctime, CtimeNsec;
        public long Reserved0, Reserved1, Reserved2;
    }

    internal const uint S_IFMT = 0xF000;
    internal const uint S_IFDIR = 0x4000;
    internal const uint S_IFREG = 0x8000;
    internal const uint S_IFIFO = 0x1000;
    internal const uint S_IFLNK = 0xA000;
    internal const uint S_IFSOCK = 0xC000;

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int StatPath(string path, out Stat st);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int LstatPath(string path, out Stat st);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    internal static partial int FstatFd(int fd, out Stat st);
}
