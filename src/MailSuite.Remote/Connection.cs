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

    /// <summary>Says QUIT and closes.</summary>
    public void Quit()
    {
        SmtpDialogue.TryQuit(channel);
        Dispose();
    }

    public void Dispose()
    {
        channel.Stream.Dispose();
        socket.Dispose();
    }
}
