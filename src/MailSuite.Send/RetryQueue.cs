// SPDX-License-Identifier: MIT
namespace MailSuite.Send;

/// <summary>
/// The channels of messages that wait for their next try, earliest first: a priority queue, so
/// finding what is due costs O(log n) per entry instead of a scan of every queued message. A
/// channel is live in it at most once: its phase is Armed and its NextTry is the entry's time. An
/// entry that no longer matches (the postmaster moved the try, held, released or removed the
/// message) is stale and dropped when it comes up. ALRM empties it and arms everything again at
/// time 0, held messages aside.
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

    /// <summary>Moves the channel's next try to <paramref name="at"/>, unless a pass has it now (the pass's end arms it).</summary>
    public void Rearm(QueuedMessage m, int ch, long at)
    {
        ref ChannelState c = ref m[ch];
        if (!c.Open || c.Phase is ChannelPhase.InLine or ChannelPhase.InPass) return;
        c.NextTry = at;
        c.Phase = ChannelPhase.Idle;
        Arm(m, ch);
    }

    /// <summary>Takes every channel due at <paramref name="now"/>: each is then in line for a pass.</summary>
    public List<(QueuedMessage Message, int Channel)> TakeDue(long now)
    {
        var due = new List<(QueuedMessage, int)>();
        while (waiting.TryPeek(out var entry, out long at) && at <= now)
        {
            waiting.Dequeue();
            ref ChannelState c = ref entry.Message[entry.Channel];
            if (c.Phase != ChannelPhase.Armed || c.NextTry != at) continue;   // stale
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
                if (!m.Held) m[ch].NextTry = 0;
                Arm(m, ch);
            }
    }
}
