// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>Inherited file descriptors as byte streams: qmail's programs talk through fd numbers.</summary>
public static class Fd
{
    /// <summary>A read stream over an inherited descriptor; disposing it does not close the descriptor.</summary>
    public static Stream OpenRead(int fd) => new FdStream(fd);

    /// <summary>A write stream over an inherited descriptor; disposing it does not close the descriptor.</summary>
    public static Stream OpenWrite(int fd) => new FdStream(fd);

    /// <summary>Moves a descriptor's offset back to the start (a message file re-read per instruction).</summary>
    public static void Rewind(int fd)
    {
        if (Native.Lseek(fd, 0, Native.SEEK_SET) < 0) throw Errno.Temporary("lseek fd " + fd);
    }

    /// <summary>True if the descriptor is open in this process.</summary>
    public static bool IsOpen(int fd) => Native.Fcntl(fd, Native.F_GETFD, 0) != -1;

    /// <summary>
    /// Makes sure fds 0, 1 and 2 are open (on /dev/null if not), so that a file this program opens
    /// later can never land on a standard descriptor and receive output meant for a log.
    /// </summary>
    public static void EnsureStandardOpen()
    {
        for (int fd = 0; fd <= 2; fd++)
        {
            if (IsOpen(fd)) continue;
            int opened = Native.Open("/dev/null", Native.O_RDWR, 0);
            if (opened != fd) throw new FailureException(Failure.Temporary("4.3.0", "unable to open /dev/null for fd " + fd));
        }
    }
}
