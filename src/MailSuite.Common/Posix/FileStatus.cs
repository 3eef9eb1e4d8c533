// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>What kind of object a path names.</summary>
public enum FileKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe.</summary>
    Fifo,

    /// <summary>A symbolic link (lstat only).</summary>
    Symlink,

    /// <summary>A Unix-domain socket (a resident service's address).</summary>
    Socket,

    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>The parts of stat(2) the suite checks: owner, group, mode bits, kind, links, size.</summary>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Mode">Permission bits including setuid, setgid and sticky (07777).</param>
/// <param name="Kind">File, directory, FIFO...</param>
/// <param name="Links">Number of hard links.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record FileStatus(uint Uid, uint Gid, int Mode, FileKind Kind, ulong Links, long Size)
{
    /// <summary>lstat(2) of a path (a symlink is itself); null if it does not exist, a temporary failure on any other error.</summary>
    public static FileStatus? Of(string path) => Get(path, followLinks: false);

    /// <summary>
    /// stat(2) of a path: what a symlink points to, as qmail's programs see a home directory or a
    /// .qmail file; null if it (or its target) does not exist, a temporary failure on any other error.
    /// </summary>
    public static FileStatus? OfTarget(string path) => Get(path, followLinks: true);

    private static FileStatus? Get(string path, bool followLinks)
    {
        if ((followLinks ? LibcStat.StatPath(path, out LibcStat.Stat st) : LibcStat.LstatPath(path, out st)) != 0)
        {
            if (Errno.Last == PosixFile.ENOENT) return null;
            throw Errno.Temporary("stat " + path);
        }
        FileKind kind = (st.Mode & LibcStat.S_IFMT) switch
        {
            LibcStat.S_IFREG => FileKind.File,
            LibcStat.S_IFDIR => FileKind.Directory,
            LibcStat.S_IFIFO => FileKind.Fifo,
            LibcStat.S_IFLNK => FileKind.Symlink,
            LibcStat.S_IFSOCK => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(st.Uid, st.Gid, (int)st.Mode & 0xfff, kind, st.Nlink, st.Size);
    }

    /// <summary>chown(2) without following a final symlink.</summary>
    public static void Chown(string path, uint uid, uint gid)
    {
        if (Native.Lchown(path, uid, gid) != 0) throw Errno.Temporary("chown " + path);
    }

    /// <summary>chmod(2), including setuid/setgid/sticky bits.</summary>
    public static void Chmod(string path, int mode)
    {
        if (Native.Chmod(path, (uint)mode) != 0) throw Errno.Temporary("chmod " + path);
    }

    /// <summary>mkfifo(3) with the given mode (before umask; callers chmod afterwards).</summary>
    public static void MakeFifo(string path, int mode)
    {
        if (Native.MkFifo(path, (uint)mode) != 0) throw Errno.Temporary("mkfifo " + path);
    }
}
