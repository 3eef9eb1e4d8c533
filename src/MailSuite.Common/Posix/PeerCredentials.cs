// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net.Sockets;

namespace MailSuite.Common;

/// <summary>Who is at the other end of a Unix socket, as the kernel recorded at connect (SO_PEERCRED): never what the client says.</summary>
public static class PeerCredentials
{
    private const int SolSocket = 1, SoPeerCred = 17;   // Linux's values

    /// <summary>The peer's uid (struct ucred: pid, uid, gid).</summary>
    public static uint Uid(Socket socket)
    {
        byte[] ucred = new byte[12];
        int n = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (n < 12) throw new SocketException((int)SocketError.ProtocolNotSupported);
        return BinaryPrimitives.ReadUInt32LittleEndian(ucred.AsSpan(4));
    }
}
