// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.CheckPassword;

/// <summary>Asks qmail-authd (PREFIX/authd/socket) when this process may not read the password database itself.</summary>
internal static class AuthClient
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static PasswordVerdict Verify(Login login)
    {
        string path = Home.Path("authd/socket");
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = socket.SendTimeout = (int)Limit.TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(login.ToBytes());
            socket.Shutdown(SocketShutdown.Send);
            byte[] answer = new byte[1];
            int n = socket.Receive(answer);
            return n == 1 && answer[0] == 'Y' ? PasswordVerdict.Valid
                : n == 1 && answer[0] == 'N' ? PasswordVerdict.Invalid
                : PasswordVerdict.Unavailable;
        }
        catch (SocketException e)
        {
            Log.Warning($"unable to ask qmail-authd at {path}: {e.Message}");
            return PasswordVerdict.Unavailable;
        }
    }
}
