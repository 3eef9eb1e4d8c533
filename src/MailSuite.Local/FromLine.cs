// SPDX-License-Identifier: MIT
using MailSuite.Mail;

namespace MailSuite.Local;

/// <summary>
/// The mbox "From " line (and the UFLINE variable), qmail-local's ufline: the envelope sender with
/// space, tab, CR and LF made '-', so a sender can never end the line early and write header
/// lines of its own into a mailbox (procmail reads UFLINE as the first line of the message).
/// </summary>
internal static class FromLine
{
    public static string For(string sender) =>
        $"From {(sender.Length == 0 ? "MAILER-DAEMON" : Sanitize(sender))} {MailDate.Asctime(DateTimeOffset.UtcNow)}\n";

    private static string Sanitize(string sender) => string.Create(sender.Length, sender, (span, s) =>
    {
        for (int i = 0; i < s.Length; i++) span[i] = s[i] is ' ' or '\t' or '\r' or '\n' ? '-' : s[i];
    });
}
