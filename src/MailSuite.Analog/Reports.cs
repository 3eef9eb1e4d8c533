// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using MailSuite.Mail;

namespace MailSuite.Analog;

/// <summary>
/// qmailanalog's reports from one <see cref="Tally"/>: overall (zoverall), ddist (zddist),
/// senders (zsenders), recipients (zrecipients), failures (zfailures), deferrals (zdeferrals).
/// Addresses and reasons are the log's own text (qmail-send already made them one line).
/// </summary>
internal static class Reports
{
    public static readonly string[] Names = ["overall", "ddist", "senders", "recipients", "failures", "deferrals"];

    public static void Write(string name, Tally t, StringBuilder o)
    {
        switch (name)
        {
            case "overall": Overall(t, o); break;
            case "ddist": DelayDistribution(t, o); break;
            case "senders": Senders(t, o); break;
            case "recipients": Recipients(t, o); break;
            case "failures": Reasons("Reasons for failure", t.FailureReasons, o); break;
            default: Reasons("Reasons for deferral", t.DeferralReasons, o); break;
        }
        o.Append('\n');
    }

    private static void Overall(Tally t, StringBuilder o)
    {
        double span = t.First is { } f && t.Last is { } l ? (l - f).TotalSeconds : 0;
        o.Append("Basic statistics\n\n");
        Line(o, "Completed messages", t.Messages);
        Line(o, "Delivery attempts for completed messages", t.MessageAttempts);
        Line(o, "Bytes in completed messages", t.MessageBytes);
        Line(o, "Average message qtime (s)", t.QTimed == 0 ? 0 : t.QTime / t.QTimed);
        o.Append('\n');
        Line(o, "Total delivery attempts", t.Attempts);
        foreach (DeliveryResult r in Enum.GetValues<DeliveryResult>()) Line(o, "  " + r.ToString().ToLowerInvariant(), t.Total(r));
        foreach (((string channel, DeliveryResult r), long n) in t.ByChannel.OrderBy(kv => kv.Key.Channel).ThenBy(kv => kv.Key.Result))
            Line(o, $"  {channel} {r.ToString().ToLowerInvariant()}", n);
        Line(o, "Average ddelay per success (s)", t.SuccessDelays.Count == 0 ? 0 : t.SuccessDelays.Average());
        Line(o, "Average xdelay per delivery attempt (s)", t.Attempts == 0 ? 0 : t.XDelay / t.Attempts);
        Line(o, "Time span (days)", span / 86400);
        Line(o, "Average concurrency", span == 0 ? 0 : t.XDelay / span);
    }

    private static void DelayDistribution(Tally t, StringBuilder o)
    {
        o.Append("Distribution of ddelays (successful deliveries)\n\n");
        long[] bins = DelayBins.Count(t.SuccessDelays);
        long total = bins.Sum(), running = 0;
        o.Append("     count  cumulative  ddelay\n");
        for (int i = 0; i < bins.Length; i++)
        {
            running += bins[i];
            o.Append(CultureInfo.InvariantCulture, $"{bins[i],10}  {(total == 0 ? 0 : 100.0 * running / total),9:0.00}%  {DelayBins.Labels[i]}\n");
        }
    }

    private static void Senders(Tally t, StringBuilder o)
    {
        o.Append("Senders (completed messages)\n\n  messages       bytes   attempts  sender\n");
        foreach ((string who, Counts c) in t.Senders.OrderByDescending(kv => kv.Value.Messages).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            o.Append(CultureInfo.InvariantCulture, $"{c.Messages,10} {c.Bytes,11} {c.Attempts,10}  <{who}>\n");
    }

    private static void Recipients(Tally t, StringBuilder o)
    {
        o.Append("Recipients\n\n successes   failures  deferrals       bytes  recipient\n");
        foreach ((string who, Counts c) in t.Recipients.OrderByDescending(kv => kv.Value.Successes).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            o.Append(CultureInfo.InvariantCulture, $"{c.Successes,10} {c.Failures,10} {c.Deferrals,10} {c.Bytes,11}  {who}\n");
    }

    private static void Reasons(string title, Dictionary<string, long> reasons, StringBuilder o)
    {
        o.Append(title).Append("\n\n     count  reason\n");
        foreach ((string why, long n) in reasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            o.Append(CultureInfo.InvariantCulture, $"{n,10}  {why}\n");
    }

    private static void Line(StringBuilder o, string label, double value) =>
        o.Append(CultureInfo.InvariantCulture, $"{label}: {(value == Math.Floor(value) && Math.Abs(value) < 1e15 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture))}\n");
}
