// SPDX-License-Identifier: MIT
using System.Net.Sockets;

namespace MailSuite.Remote;

/// <summary>Why a connection failed, in the words a log reader expects ("connection refused").</summary>
internal static class SocketWords
{
    public static string Of(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.TimedOut => "timed out",
        _ => e.SocketErrorCode.ToString(),
    };
}
