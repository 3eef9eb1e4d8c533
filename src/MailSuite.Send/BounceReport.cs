// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.RegularExpressions;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>One failed recipient as bounce/n holds it: the address and qmail's reason text.</summary>
internal sealed record FailedRecipient(string Address, string Reason)
{
    /// <summary>
    /// The enhanced status code (RFC 3463): the one qmail writes at the end of a reason, "(#5.1.1)",
    /// else the remote server's ("Remote host said: 550 5.1.1 ..."), else 5.0.0.
    /// </summary>
    public string Status =>
        Regex.Matches(Reason, @"\(#([245]\.\d{1,3}\.\d{1,3})\)") is { Count: > 0 } ours ? ours[^1].Groups[1].Value
        : Regex.Match(Reason, @"Remote host said: [245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b") is { Success: true } theirs ? theirs.Groups[1].Value
        : "5.0.0";

    /// <summary>What the remote server said ("Remote host said: 550 ..."), as an RFC 3464 Diagnostic-Code, or null.</summary>
    public string? Diagnostic => Regex.Match(Reason, @"Remote host said: ([2-5]\d\d[^\n]*)") is { Success: true } m ? "smtp; " + m.Groups[1].Value.Trim() : null;

    /// <summary>bounce/n's paragraphs: "&lt;address&gt;:" on a line, the reason, an empty line.</summary>
    public static List<FailedRecipient> Parse(string bounceFile) =>
        bounceFile.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('\n', 2))
            .Where(p => p[0].StartsWith('<') && p[0].EndsWith(">:", StringComparison.Ordinal))
            .Select(p => new FailedRecipient(p[0][1..^2], p.Length > 1 ? p[1] : ""))
            .ToList();
}

/// <summary>
/// A bounce as an RFC 3464 delivery status notification (RFC 6522's multipart/report): first the
/// human-readable part, which is qmail's QSBMF text (so qmail-aware bounce parsers read it as
/// before), then message/delivery-status with a Final-Recipient, Action and Status (and the
/// remote server's words as Diagnostic-Code) per recipient, then the returned message's header as
/// text/rfc822-headers — the header only: a bounce does not carry the body back.
/// </summary>
internal static class BounceReport
{
    private const int MaxReturnedHeader = 256 << 10;

    public static string Header(string boundary) =>
        "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n" +
        $"Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"{boundary}\"\n\n" +
        "This is a delivery status notification (RFC 3464) in MIME format.\n\n" +
        $"--{boundary}\nContent-Type: text/plain; charset=us-ascii\nContent-Description: Notification\n\n";

    public static string Status(string boundary, string reportingHost, IEnumerable<FailedRecipient> failed)
    {
        var s = new StringBuilder($"\n--{boundary}\nContent-Type: message/delivery-status\nContent-Description: Delivery report\n\n");
        s.Append("Reporting-MTA: dns; ").Append(reportingHost).Append('\n');
        foreach (FailedRecipient r in failed)
        {
            s.Append("\nFinal-Recipient: rfc822; ").Append(r.Address).Append("\nAction: failed\nStatus: ").Append(r.Status).Append('\n');
            if (r.Diagnostic is { } d) s.Append("Diagnostic-Code: ").Append(d).Append('\n');
        }
        return s.Append($"\n--{boundary}\nContent-Type: text/rfc822-headers\nContent-Description: Undelivered message header\n\n").ToString();
    }

    /// <summary>The returned message's header lines (at most 256 KiB of them, whole lines), without the body.</summary>
    public static byte[] ReturnedHeader(string messFile)
    {
        using var f = File.OpenRead(messFile);
        byte[] start = new byte[MaxReturnedHeader];
        int n = f.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        (int headerLength, _) = HeaderSplit.Find(start[..n]);
        if (headerLength == n && n == start.Length) headerLength = Array.LastIndexOf(start, (byte)'\n') + 1;
        return start[..headerLength];
    }

    public static string End(string boundary) => $"\n--{boundary}--\n";
}
