// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>
/// A preprocessed message (state S5) as qmail-send keeps it between passes: its number, sender,
/// birth and, per channel, whether recipients remain and when they are tried next. Recipients
/// are not kept: a pass reads them from local/n or remote/n (<see cref="ChannelWork"/>) and lets
/// them go when it ends, as qmail does, so a deferred message costs a few hundred bytes however
/// many recipients it has.
/// </summary>
internal sealed class QueuedMessage
{
    private ChannelState local, remote;

    public required ulong Number { get; init; }
    public required string Sender { get; init; }
    public required long Birth { get; init; }

    /// <summary>The state of one channel, by <see cref="Channel"/> index.</summary>
    public ref ChannelState this[int channel] => ref channel == Channel.Local ? ref local : ref remote;

    public bool Finished => !local.Open && !remote.Open;

    /// <summary>Held by the postmaster: no delivery starts until a release (kept on disk as the channel files' mtime).</summary>
    public bool Held { get; set; }

    /// <summary>A delete or bounce the postmaster asked for, waiting for the deliveries under way to end.</summary>
    public PostmasterAction? Action { get; set; }

    /// <summary>No delivery of this channel is under way or about to start from a pass.</summary>
    public bool Quiet => local.Work is null && remote.Work is null;

    /// <summary>Loads a message from info/n and its channel files' presence and mtimes (after a restart).</summary>
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
        for (int ch = 0; ch < 2; ch++)
        {
            string path = Channel.FileOf(q, n, ch);
            if (!File.Exists(path)) continue;
            m[ch] = new ChannelState { Open = true, NextTry = MTime(path) };
            m.Held |= QueueManagement.IsHeld(m[ch].NextTry);
        }
        return m;
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
    }
}

/// <summary>
/// One channel of a message. Open: its file has recipients not yet done (a pass that ends with
/// none deferred closes it). Phase: where it stands in the scheduling. Work: the recipients of
/// the pass under way, null otherwise.
/// </summary>
internal struct ChannelState
{
    public bool Open;
    public ChannelPhase Phase;
    public long NextTry;
    public ChannelWork? Work;

    /// <summary>Between passes with recipients left: the channel belongs in the retry queue.</summary>
    public readonly bool WaitsForRetry => Open && Phase == ChannelPhase.Idle;
}

/// <summary>What the postmaster asked for that ends the message: removed, or bounced at once; Reply answers qmail-qctl.</summary>
internal sealed record PostmasterAction(bool Bounce, Action<string> Reply);

/// <summary>A channel's round: idle, waiting in the retry queue, in line for a pass, in its pass.</summary>
internal enum ChannelPhase : byte
{
    Idle,
    Armed,
    InLine,
    InPass,
}

/// <summary>The two delivery channels, as indexes.</summary>
internal static class Channel
{
    public const int Local = 0;
    public const int Remote = 1;

    public static string Name(int channel) => channel == Local ? "local" : "remote";

    /// <summary>local/n or remote/n.</summary>
    public static string FileOf(QueueLayout q, ulong n, int channel) => channel == Local ? q.Local(n) : q.Remote(n);
}
