// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.CheckPassword;

/// <summary>
/// Asks qmail-authd (PREFIX/authd/socket), which keeps the per-address failure counts for every
/// service: SMTP AUTH (where this process may not read the password database) and POP3 alike.
/// </summary>
internal static class AuthClient
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>qmail-authd's verdict; null when it is not there to ask (no socket, nobody listening).</summary>
    public static PasswordVerdict? Ask(Login login)
    {
        string path = Home.Path("authd/socket");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return null;
        }
        try
        {
            socket.ReceiveTimeout = socket.SendTimeout = (int)Limit.TotalMilliseconds;
            socket.Send(login.ToBytes());
            socket.Shutdown(SocketShutdown.Send);
            byte[] answer = new byte[1];
            int n = socket.Receive(answer);
            return n != 1 ? PasswordVerdict.Unavailable : answer[0] switch
            {
                (byte)'Y' => PasswordVerdict.Valid,
                (byte)'N' => PasswordVerdict.Invalid,
                (byte)'L' => PasswordVerdict.Locked,
                _ => PasswordVerdict.Unavailable,
            };
        }
        catch (SocketException e)
        {
            Log.Warning($"qmail-authd at {path} gave no answer: {ErrorText.Of(e)}");
            return PasswordVerdict.Unavailable;
        }
    }
}
