// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;

namespace MailSuite.Smtpd;

/// <summary>What qmail-rcptd said about a recipient.</summary>
internal enum RecipientVerdict { Deliverable, Unknown, NotNow, NoAnswer }

/// <summary>
/// Asks qmail-rcptd (PREFIX/rcptd/socket) whether a recipient would be delivered: qmail-smtpd runs
/// as qmaild and may not look into users' homes itself. No qmail-rcptd (no socket, nobody
/// listening, no answer) means no check: the message is taken as qmail always took it.
/// </summary>
internal static class RecipientCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static RecipientVerdict Ask(string address)
    {
        string path = Home.Path("rcptd/socket");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return RecipientVerdict.NoAnswer;   // not running: no check, as before qmail-rcptd existed
        }
        try
        {
            socket.ReceiveTimeout = socket.SendTimeout = (int)Limit.TotalMilliseconds;
            socket.Send(Encoding.Latin1.GetBytes(address));
            socket.Shutdown(SocketShutdown.Send);
            byte[] answer = new byte[1];
            return socket.Receive(answer) != 1 ? RecipientVerdict.NoAnswer : answer[0] switch
            {
                (byte)'Y' => RecipientVerdict.Deliverable,
                (byte)'N' => RecipientVerdict.Unknown,
                (byte)'T' => RecipientVerdict.NotNow,
                _ => RecipientVerdict.NoAnswer,
            };
        }
        catch (SocketException e)
        {
            Log.Warning($"no recipient check: qmail-rcptd at {path} gave no answer: {ErrorText.Of(e)}");
            return RecipientVerdict.NoAnswer;
        }
    }
}
