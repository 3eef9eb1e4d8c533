// SPDX-License-Identifier: MIT
using System.Globalization;

namespace MailSuite.Mail;

/// <summary>
/// The size of a stored message as POP3 sends it (RFC 1939's octets: CRLF line ends, a last line
/// without an end gets one; the byte-stuffing of RETR is not counted), counted as it streams.
/// qmail-local puts it into the Maildir name as ",W=" (with ",S=", the size on disk: Dovecot's
/// and Courier's fields), so qmail-pop3d knows every size at login without reading a message.
/// </summary>
public sealed class WireSize
{
    private bool previousWasCr;
    private bool atLineStart = true;
    private long bytes;

    /// <summary>The count so far, the final line end included.</summary>
    public long Total => bytes + (atLineStart ? 0 : 2);

    /// <summary>Counts the next piece of the stored message.</summary>
    public void Add(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            bytes += b == '\n' && !previousWasCr ? 2 : 1;
            previousWasCr = b == '\r';
            atLineStart = b == '\n';
        }
    }

    /// <summary>The name fields for a Maildir file: ",S=disk,W=wire".</summary>
    public static string NameFields(long diskSize, long wireSize) =>
        string.Create(CultureInfo.InvariantCulture, $",S={diskSize},W={wireSize}");

    /// <summary>The W= field of a Maildir name (before any ':' info), or null when it has none.</summary>
    public static long? FromName(string name)
    {
        int colon = name.IndexOf(':');
        string unique = colon < 0 ? name : name[..colon];
        int w = unique.IndexOf(",W=", StringComparison.Ordinal);
        if (w < 0) return null;
        int end = unique.IndexOf(',', w + 3);
        string digits = end < 0 ? unique[(w + 3)..] : unique[(w + 3)..end];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size : null;
    }
}
