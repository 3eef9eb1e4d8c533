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

    /// <summary>How long one read or write may wait, in milliseconds (0: for ever). A network peer that goes silent costs a timeout, not a process for ever.</summary>
    public int IdleTimeout { get; set; }

    /// <summary>
    /// When the whole session must end, as Environment.TickCount64 (0: never): a peer that sends a
    /// byte just inside every idle timeout still runs out of time, with a <see cref="DeadlineException"/>.
    /// </summary>
    public long Deadline { get; set; }

    // poll(2) before the call; TimeoutException when the peer stays silent for IdleTimeout,
    // DeadlineException when the session's time is up.
    private unsafe void WaitFor(short events)
    {
        if (IdleTimeout <= 0 && Deadline <= 0) return;
        var p = new PollFd { Fd = fd, Events = events };
        while (true)
        {
            (int wait, bool deadlineFirst) = NextWait();
            int n = FdIo.Poll(&p, 1, wait);
            if (n > 0) return;
            if (n == 0 && deadlineFirst) throw new DeadlineException($"fd {fd}: the session's time limit is reached");
            if (n == 0) throw new TimeoutException($"fd {fd}: no activity for {IdleTimeout / 1000} s");
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) throw new IOException($"poll fd {fd}: {Errno.Describe(errno)}", errno);
        }
    }

    private (int Wait, bool DeadlineFirst) NextWait()
    {
        int idle = IdleTimeout > 0 ? IdleTimeout : -1;
        if (Deadline <= 0) return (idle, false);
        long left = Deadline - Environment.TickCount64;
        if (left <= 0) throw new DeadlineException($"fd {fd}: the session's time limit is reached");
        return idle < 0 || left < idle ? ((int)Math.Min(left, int.MaxValue), true) : (idle, false);
    }

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
        // After Dispose the number may already name another file this process opened.
        ObjectDisposedException.ThrowIf(disposed, this);
        WaitFor(FdIo.POLLIN);
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

    /// <summary>
    /// Copies what can be read now into buffer without consuming it (recv(2) with MSG_PEEK),
    /// waiting as Read does: 0 at end of input, null when the descriptor is not a socket.
    /// </summary>
    public unsafe int? Peek(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        WaitFor(FdIo.POLLIN);
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = FdIo.Recv(fd, p, buffer.Length, FdIo.MSG_PEEK);
                if (n >= 0) return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == FdIo.ENOTSOCK) return null;
                if (errno != Errno.EINTR) throw new IOException($"read fd {fd}: {Errno.Describe(errno)}", errno);
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        fixed (byte* p = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                WaitFor(FdIo.POLLOUT);
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

[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}

internal static unsafe partial class FdIo
{
    internal const short POLLIN = 1;
    internal const short POLLOUT = 4;
    internal const int MSG_PEEK = 2;
    internal const int ENOTSOCK = 88;

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, byte* buffer, nint count, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);
}

/// <summary>A session ran past its overall deadline (<see cref="FdStream.Deadline"/>).</summary>
public sealed class DeadlineException(string message) : TimeoutException(message);
