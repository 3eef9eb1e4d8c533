// SPDX-License-Identifier: MIT
namespace MailSuite.Send;

/// <summary>
/// The channels of messages that wait for their next try, earliest first: a priority queue, so
/// finding what is due costs O(log n) per entry instead of a scan of every queued message. A
/// channel is in it at most once; ALRM empties it and arms everything again at time 0.
/// </summary>
internal sealed class RetryQueue
{
    private readonly PriorityQueue<(QueuedMessage Message, int Channel), long> waiting = new();
    private readonly HashSet<(ulong, int)> armed = [];

    /// <summary>Puts the channel in line for its NextTry when its pass is over and recipients remain.</summary>
    public void Arm(QueuedMessage m, int ch)
    {
        ChannelWork w = m.Channels[ch];
        if (w.WaitsForRetry && armed.Add((m.Number, ch))) waiting.Enqueue((m, ch), w.NextTry);
    }

    /// <summary>Takes every channel due at <paramref name="now"/>.</summary>
    public List<(QueuedMessage Message, int Channel)> TakeDue(long now)
    {
        var due = new List<(QueuedMessage, int)>();
        while (waiting.TryPeek(out var entry, out long at) && at <= now)
        {
            waiting.Dequeue();
            armed.Remove((entry.Message.Number, entry.Channel));
            due.Add(entry);
        }
        return due;
    }

    /// <summary>When the earliest channel is due, if any is waiting.</summary>
    public long? Next => waiting.TryPeek(out _, out long at) ? at : null;

    /// <summary>Every message's channels due now (qmail-send's ALRM).</summary>
    public void RetryAllNow(IEnumerable<QueuedMessage> messages)
    {
        waiting.Clear();
        armed.Clear();
        foreach (QueuedMessage m in messages)
            for (int ch = 0; ch < 2; ch++)
            {
                m.Channels[ch].NextTry = 0;
                Arm(m, ch);
            }
    }
}
