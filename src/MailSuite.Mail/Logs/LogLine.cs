// SPDX-License-Identifier: MIT
using System.Globalization;

namespace MailSuite.Mail;

/// <summary>
/// A line of the suite's logs: an RFC 3339 UTC timestamp with microseconds
/// ("2026-12-03T05:27:03.047280Z"), a space, then the program's text.
/// </summary>
public static class LogLine
{
    /// <summary>The line's time and text; false for a line without a leading timestamp.</summary>
    public static bool TryParse(string line, out DateTime at, out string text)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        text = space < 0 ? "" : line[(space + 1)..];
        return DateTime.TryParseExact(space < 0 ? line : line[..space], ["yyyy-MM-ddTHH:mm:ss.ffffffZ", "yyyy-MM-ddTHH:mm:ssZ"],
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out at);
    }

    /// <summary>The lines of log files, in the order given; a ".gz" file (logrotate's) is read through gzip.</summary>
    public static IEnumerable<string> Read(IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            using Stream raw = File.OpenRead(file);
            using Stream plain = file.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress) : raw;
            using var reader = new StreamReader(plain, System.Text.Encoding.UTF8);
            while (reader.ReadLine() is { } line) yield return line;
        }
    }
}
