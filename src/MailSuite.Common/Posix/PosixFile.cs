// SPDX-License-Identifier: MIT
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Common;

/// <summary>File operations .NET lacks or hides: hard links, fstat of an open file, umask, flock.</summary>
public static class PosixFile
{
    /// <summary>link(2). Returns 0, or the errno (EEXIST, ENOENT...) for the caller to judge.</summary>
    public static int Link(string existing, string newPath) =>
        Native.Link(existing, newPath) == 0 ? 0 : Errno.Last;

    /// <summary>unlink(2). Returns 0, or the errno.</summary>
    public static int Unlink(string path) =>
        Native.Unlink(path) == 0 ? 0 : Errno.Last;

    /// <summary>The inode number of an open file.</summary>
    public static ulong Inode(SafeFileHandle file)
    {
        if (LibcStat.FstatFd((int)file.DangerousGetHandle(), out LibcStat.Stat st) != 0) throw Errno.Temporary("fstat");
        return st.Ino;
    }

    /// <summary>The owner uid of an open file.</summary>
    public static uint Owner(SafeFileHandle file)
    {
        if (LibcStat.FstatFd((int)file.DangerousGetHandle(), out LibcStat.Stat st) != 0) throw Errno.Temporary("fstat");
        return st.Uid;
    }

    /// <summary>Sets the umask and returns the old one.</summary>
    public static int Umask(int mask) => (int)Native.Umask((uint)mask);

    /// <summary>Takes an exclusive flock(2) without waiting; false if someone else holds it.</summary>
    public static bool TryLockExclusive(int fd) => Native.Flock(fd, Native.LOCK_EX | Native.LOCK_NB) == 0;

    /// <summary>Takes an exclusive flock(2), waiting for it; false on error (such as ENOLCK).</summary>
    public static bool LockExclusive(int fd) => Native.Flock(fd, Native.LOCK_EX) == 0;

    /// <summary>Sets a file's access and modification times (seconds since the epoch).</summary>
    public static void SetTimes(string path, long atime, long mtime)
    {
        var times = new Native.UtimBuf { AccessTime = atime, ModificationTime = mtime };
        if (Native.Utime(path, times) != 0) throw Errno.Temporary("utime " + path);
    }

    /// <summary>
    /// Opens a file for reading; null if it, or a directory on its path, does not exist. That case
    /// is told by errno, not by an exception: a thrown .NET exception costs a stack walk of tens
    /// of microseconds in Native AOT, and every start of qmail-smtpd looks for a dozen optional
    /// control files that are usually missing. Any other failure is an IOException with the errno.
    /// </summary>
    public static SafeFileHandle? OpenReadIfExists(string path)
    {
        int fd = Native.Open(path, Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Errno.Last;
        if (errno is ENOENT or ENOTDIR) return null;
        throw new IOException(Errno.Describe(errno), errno);
    }

    /// <summary>Everything in an open file, read from its start.</summary>
    public static byte[] ReadAll(SafeFileHandle file)
    {
        var content = new MemoryStream();
        byte[] buffer = new byte[Math.Clamp(RandomAccess.GetLength(file), 1, 1 << 16)];
        for (int n; (n = RandomAccess.Read(file, buffer, content.Length)) > 0;) content.Write(buffer, 0, n);
        return content.ToArray();
    }

    /// <summary>The errno value of "file exists".</summary>
    public const int EEXIST = 17;

    /// <summary>The errno value of "no such file or directory".</summary>
    public const int ENOENT = 2;

    /// <summary>The errno value of "not a directory" (a file where the path needs a directory).</summary>
    public const int ENOTDIR = 20;
}
