// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// The mbox format as qmail writes it (qmail-local's mbox delivery, maildir2mbox): a "From SENDER
/// DATE" line, the message with mboxrd quoting (any line "&gt;*From " gets one more '&gt;', so a
/// reader can undo it), a newline added to a last line without one, and a blank line.
/// </summary>
public static class Mbox
{
    /// <summary>
    /// qmail's ufline: the sender with space, tab, CR and LF made '-', so a sender can never end the
    /// line early and write header lines of its own into a mailbox; the empty sender is MAILER-DAEMON.
    /// </summary>
    public static string FromLine(string sender, DateTimeOffset at) =>
        $"From {(sender.Length == 0 ? "MAILER-DAEMON" : Sanitize(sender))} {MailDate.Asctime(at)}\n";

    /// <summary>Copies the message from its current position, quoted, then the blank line that ends it.</summary>
    public static void WriteQuoted(Stream file, Stream message)
    {
        var lines = new LineReader(message);
        byte[]? last = null;
        while (lines.Next() is { } line)
        {
            if (IsFromLine(line)) file.WriteByte((byte)'>');
            file.Write(line);
            last = line;
        }
        if (last is not null && last[^1] != '\n') file.WriteByte((byte)'\n');
        file.WriteByte((byte)'\n');
    }

    private static bool IsFromLine(byte[] line)
    {
        int i = 0;
        while (i < line.Length && line[i] == '>') i++;
        return line.AsSpan(i).StartsWith("From "u8);
    }

    private static string Sanitize(string sender) => string.Create(sender.Length, sender, (span, s) =>
    {
        for (int i = 0; i < s.Length; i++) span[i] = s[i] is ' ' or '\t' or '\r' or '\n' ? '-' : s[i];
    });
}
