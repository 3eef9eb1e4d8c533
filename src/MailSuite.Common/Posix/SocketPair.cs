// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Common;

/// <summary>A connected pair of Unix stream sockets, close-on-exec until a spawn maps one into a child.</summary>
public sealed partial class SocketPair : IDisposable
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;

    /// <summary>One end.</summary>
    public SafeFileHandle First { get; }

    /// <summary>The other end.</summary>
    public SafeFileHandle Second { get; }

    private SocketPair(int a, int b)
    {
        First = new SafeFileHandle(a, ownsHandle: true);
        Second = new SafeFileHandle(b, ownsHandle: true);
    }

    /// <summary>Creates the pair; failure is temporary.</summary>
    public static unsafe SocketPair Create()
    {
        int* fds = stackalloc int[2];
        if (SocketPairCall(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            throw new FailureException(Failure.Temporary("4.3.0", "socketpair: " + Errno.Describe(Marshal.GetLastPInvokeError())));
        return new SocketPair(fds[0], fds[1]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static unsafe partial int SocketPairCall(int domain, int type, int protocol, int* fds);
}
