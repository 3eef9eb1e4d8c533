// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>Named-pipe wake-ups, as qmail-queue pulls lock/trigger to wake qmail-send.</summary>
public static class Fifo
{
    /// <summary>
    /// Writes one byte without blocking. Nobody listening (ENXIO), a full pipe or a missing FIFO is
    /// fine: the reader scans on its own schedule anyway.
    /// </summary>
    public static unsafe void Poke(string path)
    {
        int fd = Native.Open(path, Native.O_WRONLY | Native.O_NONBLOCK | Native.O_CLOEXEC, 0);
        if (fd < 0) return;
        byte one = 0;
        _ = FdIo.Write(fd, &one, 1);
        _ = Native.Close(fd);
    }

    /// <summary>Opens a FIFO read-write, so that the opener is never without a writer; a failure is temporary.</summary>
    public static int OpenListener(string path)
    {
        int fd = Native.Open(path, Native.O_RDWR | Native.O_CLOEXEC, 0);
        if (fd < 0) throw Errno.Temporary("open " + path);
        return fd;
    }
}
