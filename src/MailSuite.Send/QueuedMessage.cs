// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>One recipient in local/n or remote/n: its address and where its 'T' byte is.</summary>
internal sealed class QueuedRecipient(string address, long offset)
{
    public string Address { get; } = address;
    public long Offset { get; } = offset;
    public bool Done { get; set; }
}

/// <summary>
/// A message's recipients on one channel and where each stands: waiting to start in the current
/// pass, deferred until NextTry, in flight, or done. Every change is O(1), so a message with
/// 100,000 recipients costs qmail-send linear time, never a rescan per delivery.
/// </summary>
internal sealed class ChannelWork
{
    private long nextOffset;

    public List<QueuedRecipient> All { get; } = [];
    public Queue<QueuedRecipient> Pending { get; } = new();
    public List<QueuedRecipient> Deferred { get; } = [];
    public int Remaining { get; private set; }
    public int InFlight { get; set; }
    public long NextTry { get; set; }

    /// <summary>Adds the next recipient of the file; its offset follows the one before.</summary>
    public void Add(string address, bool done)
    {
        var r = new QueuedRecipient(address, nextOffset) { Done = done };
        nextOffset += 2 + Encoding.Latin1.GetByteCount(address);
        All.Add(r);
        if (done) return;
        Remaining++;
        Deferred.Add(r);
    }

    /// <summary>A new pass: every deferred recipient is pending again.</summary>
    public void StartPass()
    {
        foreach (QueuedRecipient r in Deferred) Pending.Enqueue(r);
        Deferred.Clear();
    }

    public void Finished(QueuedRecipient r)
    {
        InFlight--;
        Remaining--;
    }

    public void Defer(QueuedRecipient r)
    {
        InFlight--;
        Deferred.Add(r);
    }

    /// <summary>The pass is over and some recipients wait for the next one.</summary>
    public bool WaitsForRetry => Pending.Count == 0 && InFlight == 0 && Deferred.Count > 0;
}

/// <summary>A preprocessed message (state S5): sender, birth, and its recipients per channel.</summary>
internal sealed class QueuedMessage
{
    public required ulong Number { get; init; }
    public required string Sender { get; init; }
    public required long Birth { get; init; }
    public ChannelWork[] Channels { get; } = [new(), new()];

    public bool Finished => Channels.All(c => c.Remaining == 0 && c.InFlight == 0);

    /// <summary>Loads a message from info/n, local/n and remote/n (after a restart).</summary>
    public static QueuedMessage? Load(QueueLayout q, ulong n)
    {
        byte[] info;
        try
        {
            info = File.ReadAllBytes(q.Info(n));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        string? sender = EnvelopeRecords.Read(info).Where(r => r.Type == 'F').Select(r => r.Value).FirstOrDefault();
        if (sender is null) return null;
        var m = new QueuedMessage { Number = n, Sender = sender, Birth = MTime(q.Info(n)) };
        LoadChannel(q.Local(n), m.Channels[Channel.Local]);
        LoadChannel(q.Remote(n), m.Channels[Channel.Remote]);
        return m;
    }

    private static void LoadChannel(string path, ChannelWork work)
    {
        if (!File.Exists(path)) return;
        foreach ((char type, string value) in EnvelopeRecords.Read(File.ReadAllBytes(path)))
            if (type is 'T' or 'D') work.Add(value, done: type == 'D');
        work.NextTry = MTime(path);
    }

    public static long MTime(string path) => new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds();

    /// <summary>
    /// Marks a recipient done in its file: its 'T' becomes 'D' — written, not fsync'd, as qmail's
    /// markdone: a mark lost to a power failure means that recipient gets the message once more,
    /// never that anyone misses it (README, "What a power failure leaves").
    /// </summary>
    public static void MarkDone(string path, QueuedRecipient r)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        f.Position = r.Offset;
        f.WriteByte((byte)'D');
        f.Flush();
        r.Done = true;
    }
}

/// <summary>The two delivery channels, as array indexes.</summary>
internal static class Channel
{
    public const int Local = 0;
    public const int Remote = 1;

    public static string Name(int channel) => channel == Local ? "local" : "remote";
}
