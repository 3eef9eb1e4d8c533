// SPDX-License-Identifier: MIT
namespace MailSuite.Send;

/// <summary>
/// The channels of messages that wait for their next try, earliest first: a priority queue, so
/// finding what is due costs O(log n) per entry instead of a scan of every queued message. A
/// channel is in it at most once (its phase is Armed); ALRM empties it and arms everything again at
/// time 0.
/// </summary>
internal sealed class RetryQueue
{
    private readonly PriorityQueue<(QueuedMessage Message, int Channel), long> waiting = new();

    /// <summary>Puts the channel in line for its NextTry when it is between passes with recipients left.</summary>
    public void Arm(QueuedMessage m, int ch)
    {
        ref ChannelState c = ref m[ch];
        if (!c.WaitsForRetry) return;
        c.Phase = ChannelPhase.Armed;
        waiting.Enqueue((m, ch), c.NextTry);
    }

    /// <summary>Takes every channel due at <paramref name="now"/>: each is then in line for a pass.</summary>
    public List<(QueuedMessage Message, int Channel)> TakeDue(long now)
    {
        var due = new List<(QueuedMessage, int)>();
        while (waiting.TryPeek(out var entry, out long at) && at <= now)
        {
            waiting.Dequeue();
            entry.Message[entry.Channel].Phase = ChannelPhase.InLine;
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
        foreach (QueuedMessage m in messages)
            for (int ch = 0; ch < 2; ch++)
            {
                if (m[ch].Phase == ChannelPhase.Armed) m[ch].Phase = ChannelPhase.Idle;
                m[ch].NextTry = 0;
                Arm(m, ch);
            }
    }
}
