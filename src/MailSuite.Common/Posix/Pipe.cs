// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Common;

/// <summary>A pipe whose ends are close-on-exec until a spawn maps one of them into a child.</summary>
public sealed class Pipe : IDisposable
{
    /// <summary>The end to read from.</summary>
    public SafeFileHandle Read { get; }

    /// <summary>The end to write to.</summary>
    public SafeFileHandle Write { get; }

    private Pipe(int read, int write)
    {
        Read = new SafeFileHandle(read, ownsHandle: true);
        Write = new SafeFileHandle(write, ownsHandle: true);
    }

    /// <summary>Creates a pipe; failure is temporary.</summary>
    public static unsafe Pipe Create()
    {
        int* fds = stackalloc int[2];
        if (Native.Pipe2(fds, Native.O_CLOEXEC) != 0)
            throw new FailureException(Failure.Temporary("4.3.0", "pipe: " + Errno.Describe(Marshal.GetLastPInvokeError())));
        return new Pipe(fds[0], fds[1]);
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> into the pipe and closes the writing end, so the reader
    /// sees its end. False when the reader went away first (its exit status will say why).
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> data)
    {
        try
        {
            using var writer = new FileStream(Write, FileAccess.Write, 1);
            writer.Write(data);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The raw descriptor behind a handle, for a spawn's fd map.</summary>
    public static int Number(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    /// <inheritdoc/>
    public void Dispose()
    {
        Read.Dispose();
        Write.Dispose();
    }
}
