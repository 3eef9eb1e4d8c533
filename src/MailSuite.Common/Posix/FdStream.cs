// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>
/// A stream over a raw descriptor using read(2) and write(2) at the descriptor's own offset.
/// FileStream would use pread/pwrite at an offset of its own on a seekable fd, overwriting a log
/// file that another process appends to; qmail's programs share fds, so the kernel's offset rules.
/// </summary>
public sealed class FdStream(int fd, bool ownsFd = false) : Stream
{
    private bool disposed;

    /// <summary>The descriptor.</summary>
    public int Descriptor => fd;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = FdIo.Read(fd, p, buffer.Length);
                if (n >= 0) return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR) throw new IOException($"read fd {fd}: {Errno.Describe(errno)}", errno);
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = FdIo.Write(fd, p + done, buffer.Length - done);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR) throw new IOException($"write fd {fd}: {Errno.Describe(errno)}", errno);
            }
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposed && ownsFd) _ = Native.Close(fd);
        disposed = true;
        base.Dispose(disposing);
    }
}

internal static unsafe partial class FdIo
{
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);
}
