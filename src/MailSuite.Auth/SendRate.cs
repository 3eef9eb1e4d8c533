// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Auth;

/// <summary>
/// A question to qmail-authd, which keeps counts shared by every qmail-smtpd process: "may USER
/// send one more message, at most MESSAGES per SECONDS?" On the wire it is "\0send\0USER\0
/// MESSAGES\0SECONDS\0": a login never starts with NUL (its name is never empty), so the two
/// kinds of request cannot be taken for each other. The answer is Y (yes, and counted), N (over
/// the limit), T (trouble).
/// </summary>
public sealed record SendRate(string User, int Messages, long Seconds)
{
    private static readonly byte[] Tag = "\0send\0"u8.ToArray();

    /// <summary>The request's bytes.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes($"\0send\0{User}\0{Messages}\0{Seconds}\0");

    /// <summary>True when the bytes are a send-rate request rather than a login.</summary>
    public static bool IsOne(ReadOnlySpan<byte> data) => data.StartsWith(Tag);

    /// <summary>The request, or null when malformed (a user over 256 bytes, numbers out of range).</summary>
    public static SendRate? Parse(ReadOnlySpan<byte> data)
    {
        if (!IsOne(data)) return null;
        string[] fields = Encoding.UTF8.GetString(data[Tag.Length..]).Split('\0');
        if (fields.Length != 4 || fields[3].Length != 0 || fields[0].Length is 0 or > 256) return null;
        if (!int.TryParse(fields[1], out int messages) || !long.TryParse(fields[2], out long seconds)) return null;
        return messages > 0 && seconds is > 0 and <= 31 * 86400 ? new SendRate(fields[0], messages, seconds) : null;
    }

    /// <summary>control/sendlimit's "MESSAGES:SECONDS"; null for a line that is not one.</summary>
    public static (int Messages, long Seconds)? ParseLimit(string line)
    {
        string[] parts = line.Trim().Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], out int m) && long.TryParse(parts[1], out long s) && m > 0 && s is > 0 and <= 31 * 86400
            ? (m, s) : null;
    }
}
