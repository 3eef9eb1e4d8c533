// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>One recipient in local/n or remote/n: its address and where its 'T' byte is.</summary>
internal sealed class QueuedRecipient(string address, long offset)
{
    public string Address { get; } = address;
    public long Offset { get; } = offset;
}

/// <summary>
/// One pass over a channel of a message: the recipients still to do, read from local/n or
/// remote/n when the pass reaches the message, in file order; it exists only during the pass.
/// Every change is O(1), so a message with 100,000 recipients costs qmail-send linear time, never
/// a rescan per delivery. The pass is over when nothing is pending or in flight; the recipients
/// deferred in it wait for the next.
/// </summary>
internal sealed class ChannelWork
{
    public Queue<QueuedRecipient> Pending { get; } = new();
    public int InFlight { get; set; }
    public int Deferred { get; private set; }

    public bool Over => Pending.Count == 0 && InFlight == 0;

    /// <summary>
    /// Reads the recipients of the file not yet marked 'D'; an absent file has none. A file that
    /// cannot be read throws, and the caller defers the whole pass.
    /// </summary>
    public void Read(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return;
        }
        long offset = 0;
        foreach ((char type, string value) in EnvelopeRecords.Read(file))
        {
            if (type == 'T') Pending.Enqueue(new QueuedRecipient(value, offset));
            offset += 2 + Encoding.Latin1.GetByteCount(value);
        }
    }

    public void Finished() => InFlight--;

    public void Defer()
    {
        InFlight--;
        Deferred++;
    }

    /// <summary>Starts no more recipients in this pass: those not started count as deferred (a hold, a delete).</summary>
    public void Stop()
    {
        Deferred += Pending.Count;
        Pending.Clear();
    }

    /// <summary>The file could not be read: the pass ends as if every recipient were deferred.</summary>
    public void DeferUnread() => Deferred++;
}
