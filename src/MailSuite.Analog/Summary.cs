// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using MailSuite.Mail;

namespace MailSuite.Analog;

/// <summary>The one-screen view: range, totals by channel, delays, the busiest hour, and the top five of each list.</summary>
internal static class Summary
{
    private const int Top = 5;

    public static void Write(Tally t, StringBuilder o)
    {
        o.Append(CultureInfo.InvariantCulture, $"Mail from {Stamp(t.First)} to {Stamp(t.Last)} UTC\n");
        o.Append(CultureInfo.InvariantCulture, $"messages completed: {t.Messages} ({t.MessageBytes} bytes); delivery attempts: {t.Attempts}\n");
        foreach (string channel in t.ByChannel.Keys.Select(k => k.Channel).Distinct().Order(StringComparer.Ordinal))
            o.Append(CultureInfo.InvariantCulture, $"  {channel,-7} success {Of(t, channel, DeliveryResult.Success)}  failure {Of(t, channel, DeliveryResult.Failure)}  deferral {Of(t, channel, DeliveryResult.Deferral)}\n");
        var sorted = t.SuccessDelays.Order().ToList();
        o.Append(CultureInfo.InvariantCulture, $"delay to success: median {DelayBins.Percentile(sorted, 0.5):0.###} s, 90% {DelayBins.Percentile(sorted, 0.9):0.###} s, max {(sorted.Count == 0 ? 0 : sorted[^1]):0.###} s\n");
        if (t.Hours.Count > 0)
        {
            var busiest = t.Hours.MaxBy(kv => kv.Value.Deliveries);
            o.Append(CultureInfo.InvariantCulture, $"busiest hour: {busiest.Key:yyyy-MM-dd HH}:00 ({busiest.Value.Deliveries} deliveries, {busiest.Value.Messages} messages)\n");
        }
        List("top senders", t.Senders.OrderByDescending(kv => kv.Value.Messages).Select(kv => $"{kv.Value.Messages} <{kv.Key}>"), o);
        List("top recipients", t.Recipients.OrderByDescending(kv => kv.Value.Successes).Select(kv => $"{kv.Value.Successes} {kv.Key}"), o);
        List("top failures", t.FailureReasons.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}"), o);
        List("top deferrals", t.DeferralReasons.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Value} {kv.Key}"), o);
    }

    private static long Of(Tally t, string channel, DeliveryResult r) => t.ByChannel.GetValueOrDefault((channel, r));

    private static void List(string title, IEnumerable<string> lines, StringBuilder o)
    {
        var top = lines.Take(Top).ToList();
        if (top.Count == 0) return;
        o.Append(title).Append(":\n");
        foreach (string line in top) o.Append("  ").Append(line.Length > 100 ? line[..100] + "..." : line).Append('\n');
    }

    private static string Stamp(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
