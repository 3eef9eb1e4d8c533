// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>Descriptor flags a child must not inherit by surprise.</summary>
public static class Blocking
{
    private const int F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0x800;

    /// <summary>Clears O_NONBLOCK: a program given a socket as fd 0 expects blocking reads.</summary>
    public static void Clear(int fd)
    {
        int flags = Native.Fcntl(fd, F_GETFL, 0);
        if (flags >= 0 && (flags & O_NONBLOCK) != 0) _ = Native.Fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
}
