// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// The client end of a connection to a local service's Unix stream socket, by socket(2) and
/// connect(2) themselves. Programs that start per connection or per message (qmail-smtpd,
/// qmail-inject) connect once or twice in their life: System.Net.Sockets would first run its
/// static set-up, which probes IPv6 with test sockets and starts an epoll thread for asynchronous
/// I/O nobody here uses: some 6 % of qmail-smtpd's CPU for a one-message connection (perf).
/// Servers keep System.Net.Sockets: they pay that once.
/// </summary>
public static partial class UnixClient
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int SHUT_WR = 1;

    // struct sockaddr_un: sa_family_t and a 108-byte path, NUL-terminated.
    private const int PathCapacity = 108;

    /// <summary>
    /// A stream over a connection to the socket at path, owning the descriptor; null when nobody
    /// listens there (no socket file, nobody accepting, or no permission to connect), which
    /// callers treat as "the service is not running". A path a Unix socket cannot have, or no
    /// socket to connect with (out of descriptors), is a temporary failure: not an IOException,
    /// which the programs take for a peer that went away, and would end without a word.
    /// </summary>
    public static unsafe FdStream? Connect(string path)
    {
        byte[] name = Encoding.UTF8.GetBytes(path);
        if (name.Length >= PathCapacity || Array.IndexOf(name, (byte)0) >= 0)
            throw new FailureException(Failure.Temporary("4.3.0", $"{path}: not usable as a Unix socket path (at most {PathCapacity - 1} bytes, no NUL)"));
        var address = new SockAddrUn { Family = AF_UNIX };
        name.CopyTo(new Span<byte>(address.Path, PathCapacity));
        while (true)
        {
            int fd = Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) throw Errno.Temporary("socket for " + path);
            if (ConnectCall(fd, &address, (uint)sizeof(SockAddrUn)) == 0) return new FdStream(fd, ownsFd: true);
            int errno = Marshal.GetLastPInvokeError();
            _ = Native.Close(fd);
            // An interrupted connect(2) may not simply be repeated on the same socket; a fresh one may.
            if (errno != Errno.EINTR) return null;
        }
    }

    /// <summary>Ends the sending side (the service reads end of file, as the protocols here expect); the answer can still be read.</summary>
    public static void EndSending(FdStream connection)
    {
        if (Shutdown(connection.Descriptor, SHUT_WR) != 0)
            throw new IOException($"shutdown fd {connection.Descriptor}: {Errno.Describe(Marshal.GetLastPInvokeError())}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct SockAddrUn
    {
        public ushort Family;
        public fixed byte Path[PathCapacity];
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static unsafe partial int ConnectCall(int fd, SockAddrUn* address, uint length);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int fd, int how);
}
