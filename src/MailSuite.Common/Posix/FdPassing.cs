// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>
/// Hands an open descriptor to another process over a Unix socket (sendmsg with SCM_RIGHTS), with
/// a few bytes beside it. sslserver gives a client's socket to an sslrelay started before the
/// client came. Linux x86_64 layouts of msghdr and cmsghdr.
/// </summary>
public static unsafe partial class FdPassing
{
    private const int SOL_SOCKET = 1;
    private const int SCM_RIGHTS = 1;
    private const int MSG_NOSIGNAL = 0x4000;
    private const int MSG_CMSG_CLOEXEC = 0x40000000;
    private const int CmsgHeader = 16;   // cmsg_len (size_t), cmsg_level, cmsg_type
    private const int CmsgSpace = 24;    // CMSG_SPACE(sizeof(int))

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>Sends <paramref name="fd"/> and <paramref name="payload"/> (not empty) in one message; false when the peer is gone.</summary>
    public static bool Send(int socket, int fd, ReadOnlySpan<byte> payload)
    {
        byte* control = stackalloc byte[CmsgSpace];
        new Span<byte>(control, CmsgSpace).Clear();
        *(nuint*)control = CmsgHeader + sizeof(int);
        *(int*)(control + 8) = SOL_SOCKET;
        *(int*)(control + 12) = SCM_RIGHTS;
        *(int*)(control + CmsgHeader) = fd;
        fixed (byte* data = payload)
        {
            var iov = new IoVec { Base = data, Length = (nuint)payload.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = CmsgSpace };
            return SendMsg(socket, &msg, MSG_NOSIGNAL) == payload.Length;
        }
    }

    /// <summary>
    /// Waits for one message: the descriptor (close-on-exec) and the bytes that came with it, or
    /// null at end of file or when the message carried no descriptor.
    /// </summary>
    public static (int Fd, byte[] Payload)? Receive(int socket, int maxPayload)
    {
        byte* control = stackalloc byte[CmsgSpace];
        new Span<byte>(control, CmsgSpace).Clear();
        byte[] buffer = new byte[maxPayload];
        fixed (byte* data = buffer)
        {
            var iov = new IoVec { Base = data, Length = (nuint)buffer.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = CmsgSpace };
            nint n;
            do n = RecvMsg(socket, &msg, MSG_CMSG_CLOEXEC);
            while (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
            bool carriesFd = msg.ControlLength >= CmsgHeader + sizeof(int)
                && *(int*)(control + 8) == SOL_SOCKET && *(int*)(control + 12) == SCM_RIGHTS;
            if (!carriesFd) return null;
            int fd = *(int*)(control + CmsgHeader);
            if (n <= 0)
            {
                _ = Native.Close(fd);
                return null;
            }
            return (fd, buffer[..(int)n]);
        }
    }

    /// <summary>
    /// <see cref="Receive"/>, then the descriptor moved onto <paramref name="target"/> (which may be
    /// the socket it came on: that one is closed by the move); the bytes that came with it.
    /// </summary>
    public static byte[]? ReceiveOnto(int socket, int target, int maxPayload)
    {
        if (Receive(socket, maxPayload) is not var (fd, payload)) return null;
        if (Native.Dup2(fd, target) < 0) throw Errno.Temporary($"moving the received descriptor to {target}");
        _ = Native.Close(fd);
        return payload;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMsg(int socket, void* msg, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsg(int socket, void* msg, int flags);
}
