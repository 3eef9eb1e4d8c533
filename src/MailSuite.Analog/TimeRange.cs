// SPDX-License-Identifier: MIT
using System.Globalization;

namespace MailSuite.Analog;

/// <summary>
/// --since and --until: a UTC date or time ("2026-12-03", "2026-12-03T05:00", "2026-12-03 05:00:00")
/// or an age counted back from now ("90m", "24h", "7d"). The range is [since, until).
/// </summary>
internal sealed record TimeRange(DateTime? Since, DateTime? Until)
{
    public bool Holds(DateTime at) => (Since is not { } s || at >= s) && (Until is not { } u || at < u);

    public static DateTime? Parse(string? text, DateTime now)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            switch (text[^1])
            {
                case 'm': return now.AddMinutes(-n);
                case 'h': return now.AddHours(-n);
                case 'd': return now.AddDays(-n);
            }
        }
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(text.TrimEnd('Z'), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime at)) return at;
        throw new FormatException($"not a time: {text} (use 2026-12-03, 2026-12-03T05:00, or an age such as 24h or 7d)");
    }
}
