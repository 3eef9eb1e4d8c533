// SPDX-License-Identifier: MIT

namespace MailSuite.Common;

/// <summary>
/// Replaces a file so that a reader sees the old content or the new, never a mixture or a
/// truncated file, even across a crash: write a temporary file beside it, fsync, rename over,
/// fsync the directory.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically with the given mode.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, int mode)
    {
        string tmp = TempNameFor(path);
        try
        {
            using (var stream = Create(tmp, mode))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            Commit(tmp, path, mode);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>Creates the new, empty temporary file <paramref name="tmp"/>; pass it to <see cref="Commit"/> when written.</summary>
    public static FileStream Create(string tmp, int mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            UnixCreateMode = (UnixFileMode)mode,
            BufferSize = 65536,
        };
        return new FileStream(tmp, options);
    }

    /// <summary>The temporary name used for <paramref name="path"/>: same directory, so rename is atomic.</summary>
    public static string TempNameFor(string path) =>
        $"{path}.tmp.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}";

    /// <summary>Sets the mode (umask-proof), renames into place and makes the rename durable.</summary>
    public static void Commit(string tmp, string path, int mode)
    {
        File.SetUnixFileMode(tmp, (UnixFileMode)mode);
        File.Move(tmp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/");
    }

    /// <summary>
    /// syncfs(2) on the filesystem holding <paramref name="dir"/>: everything written there so far
    /// is durable when it returns. One call instead of an fsync per file for a batch of files.
    /// </summary>
    public static void SyncFileSystem(string dir) => OnDirectory(dir, "syncfs", Native.SyncFs);

    /// <summary>fsync(2) on a directory, so a rename or link in it survives a crash.</summary>
    public static void SyncDirectory(string dir) => OnDirectory(dir, "fsync", Native.Fsync);

    // Opens the directory, makes the call on it, closes it; a failure is temporary and names both.
    private static void OnDirectory(string dir, string call, Func<int, int> sync)
    {
        int fd = Native.Open(dir, Native.O_RDONLY | Native.O_DIRECTORY | Native.O_CLOEXEC, 0);
        if (fd < 0) throw Errno.Temporary("open " + dir);
        try
        {
            if (sync(fd) != 0) throw Errno.Temporary($"{call} {dir}");
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }
}
