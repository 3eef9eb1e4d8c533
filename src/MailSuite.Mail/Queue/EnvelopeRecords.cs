// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// The queue's text0 records, written in one place: a type letter, the value, a NUL (qmail-queue's
/// envelope "F sender NUL, T recipient NUL ..., NUL"; info/n; local/n and remote/n; the spawn
/// commands). A NUL inside a value would end the record early and start another one — a second
/// recipient the caller never vetted — so a value holding a NUL is refused here, whatever wrote it.
/// </summary>
public static class EnvelopeRecords
{
    /// <summary>The failure every writer reports for a NUL inside an address.</summary>
    public static readonly Failure NulInAddress = Failure.Permanent("5.1.3", "an address holds a NUL byte");

    /// <summary>True when <paramref name="value"/> can stand in a record.</summary>
    public static bool CanHold(string value) => !value.Contains('\0');

    /// <summary>Appends one record; throws <see cref="FailureException"/> when the value holds a NUL.</summary>
    public static StringBuilder Append(StringBuilder b, char type, string value) =>
        CanHold(value) ? b.Append(type).Append(value).Append('\0') : throw new FailureException(NulInAddress);

    /// <summary>A NUL-terminated field without a type letter (the spawn protocol's fields).</summary>
    public static StringBuilder AppendField(StringBuilder b, string value) =>
        CanHold(value) ? b.Append(value).Append('\0') : throw new FailureException(NulInAddress);

    /// <summary>qmail-queue's envelope: F sender, T each recipient, and the closing NUL.</summary>
    public static byte[] Envelope(string sender, IEnumerable<string> recipients)
    {
        var b = new StringBuilder();
        Append(b, 'F', sender);
        foreach (string r in recipients) Append(b, 'T', r);
        b.Append('\0');
        return Encoding.Latin1.GetBytes(b.ToString());
    }

    /// <summary>The records of a file or envelope, in order: a type letter and a value each (empty records skipped).</summary>
    public static IEnumerable<(char Type, string Value)> Read(byte[] data)
    {
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            if (i > start) yield return ((char)data[start], Encoding.Latin1.GetString(data, start + 1, i - start - 1));
            start = i + 1;
        }
    }

    /// <summary>The T records of local/n or remote/n.</summary>
    public static string Recipients(IEnumerable<string> recipients)
    {
        var b = new StringBuilder();
        foreach (string r in recipients) Append(b, 'T', r);
        return b.ToString();
    }
}
