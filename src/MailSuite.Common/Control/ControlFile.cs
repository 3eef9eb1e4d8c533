// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// qmail's control-file syntax (control.c), on bytes already read:
/// a line value is the first line with trailing white space removed; a list is every line with
/// trailing white space removed, empty lines and lines starting with '#' skipped. Leading white
/// space is kept, as qmail keeps it. Unlike qmail, a CR counts as trailing white space, so a file
/// saved with CRLF line ends means what it says.
/// </summary>
public static class ControlFile
{
    /// <summary>The first line of the content, trailing white space removed ("" for an empty file).</summary>
    public static string FirstLine(ReadOnlySpan<byte> content)
    {
        int end = content.IndexOf((byte)'\n');
        return StripTrailing(end < 0 ? content : content[..end]);
    }

    /// <summary>The entries of a list file, in order.</summary>
    public static List<string> Lines(ReadOnlySpan<byte> content)
    {
        var lines = new List<string>();
        while (!content.IsEmpty)
        {
            int end = content.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? content : content[..end];
            content = end < 0 ? [] : content[(end + 1)..];
            string entry = StripTrailing(line);
            if (entry.Length > 0 && entry[0] != '#') lines.Add(entry);
        }
        return lines;
    }

    /// <summary>
    /// qmail's scan_ulong on the first line: the leading decimal digits; null when there are none,
    /// in which case the caller keeps its default, as qmail does.
    /// </summary>
    public static long? Number(string line)
    {
        int digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits])) digits++;
        if (digits == 0) return null;
        return long.TryParse(line.AsSpan(0, Math.Min(digits, 18)), out long n) ? n : null;
    }

    private static string StripTrailing(ReadOnlySpan<byte> line)
    {
        int len = line.Length;
        while (len > 0 && line[len - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') len--;
        // Control files are ASCII in practice; Latin-1 keeps any other byte as one char, losslessly.
        return Encoding.Latin1.GetString(line[..len]);
    }
}
