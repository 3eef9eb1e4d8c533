// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>qmail's date formats, always in GMT so that no time zone database is needed.</summary>
public static class MailDate
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>qmail's date822fmt: "28 Nov 2026 02:30:00 -0000" (RFC 5322, no day name, no leading zero).</summary>
    public static string Rfc822(DateTimeOffset t)
    {
        DateTime u = t.UtcDateTime;
        return $"{u.Day} {Months[u.Month - 1]} {u.Year} {u.Hour:D2}:{u.Minute:D2}:{u.Second:D2} -0000";
    }

    /// <summary>RFC 5322 with the day name, for Date: header fields: "Sat, 28 Nov 2026 02:30:00 +0000".</summary>
    public static string Header(DateTimeOffset t)
    {
        DateTime u = t.UtcDateTime;
        return $"{Days[(int)u.DayOfWeek]}, {u.Day} {Months[u.Month - 1]} {u.Year} {u.Hour:D2}:{u.Minute:D2}:{u.Second:D2} +0000";
    }

    /// <summary>asctime(3) in GMT, for mbox "From " lines: "Sat Nov 28 02:30:00 2026".</summary>
    public static string Asctime(DateTimeOffset t)
    {
        DateTime u = t.UtcDateTime;
        return $"{Days[(int)u.DayOfWeek]} {Months[u.Month - 1]} {u.Day,2} {u.Hour:D2}:{u.Minute:D2}:{u.Second:D2} {u.Year}";
    }
}
