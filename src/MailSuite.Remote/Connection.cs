// SPDX-License-Identifier: MIT
using System.Net.Sockets;

namespace MailSuite.Remote;

/// <summary>
/// An SMTP connection a transaction left in step (greeted, EHLO'd, in TLS and authenticated as it
/// was for the first message): the next message to the same host can go over it after RSET.
/// Only session mode (qmail-rspawn's reuse) keeps one past its message; otherwise it is QUIT.
/// </summary>
internal sealed class Connection(Socket socket, SmtpChannel channel, SmtpDialogue dialogue, Hop hop) : IDisposable
{
    public Hop Hop => hop;

    public SmtpChannel Channel => channel;

    public SmtpDialogue Dialogue => dialogue;

    /// <summary>Says QUIT and closes; the answer is awaited for a few seconds only, the message being done.</summary>
    public void Quit()
    {
        socket.ReceiveTimeout = socket.SendTimeout = QuitWaitMs;
        SmtpDialogue.TryQuit(channel);
        Dispose();
    }

    // A peer slow to answer QUIT would otherwise hold qmail-rspawn's exit for timeoutremote (20 minutes).
    private const int QuitWaitMs = 10_000;

    public void Dispose()
    {
        channel.Stream.Dispose();
        socket.Dispose();
    }
}
