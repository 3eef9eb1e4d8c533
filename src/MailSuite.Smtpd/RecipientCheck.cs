// SPDX-License-Identifier: MIT
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

    public static RecipientVerdict Ask(string address) =>
        LocalSocket.Ask(Home.Path("rcptd/socket"), Encoding.Latin1.GetBytes(address), Limit, "qmail-rcptd") switch
        {
            (byte)'Y' => RecipientVerdict.Deliverable,
            (byte)'N' => RecipientVerdict.Unknown,
            (byte)'T' => RecipientVerdict.NotNow,
            _ => RecipientVerdict.NoAnswer,   // not running (no check, as before qmail-rcptd existed) or no answer
        };
}
