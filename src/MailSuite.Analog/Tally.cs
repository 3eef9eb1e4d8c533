// SPDX-License-Identifier: MIT
using MailSuite.Mail;

namespace MailSuite.Analog;

/// <summary>Counts for one sender, recipient or reason.</summary>
internal sealed class Counts
{
    public long Messages, Bytes, Successes, Failures, Deferrals, Attempts;
    public double XDelay;
}

/// <summary>
/// Everything the reports need, gathered in one pass over the matched-up log: totals by channel
/// and result, per sender, per recipient, per failure and deferral reason, per hour, and the
/// delays of successful deliveries. Only records inside the time range count (a delivery by
/// its end, a message by its "end msg").
/// </summary>
internal sealed class Tally(TimeRange range)
{
    public long Messages, MessageBytes, MessageAttempts;
    public double QTime;
    public int QTimed;
    public readonly Dictionary<(string Channel, DeliveryResult Result), long> ByChannel = [];
    public readonly Dictionary<string, Counts> Senders = new(StringComparer.OrdinalIgnoreCase);
    public readonly Dictionary<string, Counts> Recipients = new(StringComparer.OrdinalIgnoreCase);
    public readonly Dictionary<string, long> FailureReasons = [], DeferralReasons = [];
    public readonly SortedDictionary<DateTime, (long Messages, long Deliveries)> Hours = [];
    public readonly List<double> SuccessDelays = [];
    public double XDelay, SuccessBytes;
    public DateTime? First, Last;

    public void Add(DeliveryRecord d)
    {
        if (!range.Holds(d.End)) return;
        Seen(d.Start);
        Seen(d.End);
        ByChannel[(d.Channel, d.Result)] = ByChannel.GetValueOrDefault((d.Channel, d.Result)) + 1;
        double x = (d.End - d.Start).TotalSeconds;
        XDelay += x;
        Counts r = Get(Recipients, d.Recipient);
        r.Attempts++;
        r.XDelay += x;
        switch (d.Result)
        {
            case DeliveryResult.Success:
                r.Successes++;
                r.Bytes += d.Bytes;
                SuccessBytes += d.Bytes;
                if (d.Delay is { } delay) SuccessDelays.Add(Math.Max(0, delay.TotalSeconds));
                Bump(d.End, 0, 1);
                break;
            case DeliveryResult.Failure:
                r.Failures++;
                FailureReasons[d.Reason] = FailureReasons.GetValueOrDefault(d.Reason) + 1;
                break;
            default:
                r.Deferrals++;
                DeferralReasons[d.Reason] = DeferralReasons.GetValueOrDefault(d.Reason) + 1;
                break;
        }
    }

    public void Add(MessageRecord m)
    {
        if (!range.Holds(m.End)) return;
        Seen(m.End);
        Messages++;
        MessageBytes += m.Bytes;
        MessageAttempts += m.Attempts;
        if (m.Birth is { } b)
        {
            QTime += (m.End - b).TotalSeconds;
            QTimed++;
        }
        Counts s = Get(Senders, m.Sender);
        s.Messages++;
        s.Bytes += m.Bytes;
        s.Attempts += m.Attempts;
        Bump(m.End, 1, 0);
    }

    public long Total(DeliveryResult result) => ByChannel.Where(kv => kv.Key.Result == result).Sum(kv => kv.Value);

    public long Attempts => ByChannel.Values.Sum();

    private void Bump(DateTime at, long messages, long deliveries)
    {
        var hour = new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);
        (long m, long d) = Hours.GetValueOrDefault(hour);
        Hours[hour] = (m + messages, d + deliveries);
    }

    private void Seen(DateTime at)
    {
        if (First is null || at < First) First = at;
        if (Last is null || at > Last) Last = at;
    }

    private static Counts Get(Dictionary<string, Counts> map, string key)
    {
        if (!map.TryGetValue(key, out Counts? c)) map[key] = c = new Counts();
        return c;
    }
}
