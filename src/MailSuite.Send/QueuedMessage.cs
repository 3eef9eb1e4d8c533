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
    public bool InFlight { get; set; }
}

/// <summary>A preprocessed message (state S5): sender, birth, and its recipients per channel.</summary>
internal sealed class QueuedMessage
{
    public required ulong Number { get; init; }
    public required string Sender { get; init; }
    public required long Birth { get; init; }
    public List<QueuedRecipient>[] Recipients { get; } = [[], []];
    public long[] NextTry { get; } = [0, 0];

    public bool Finished => Recipients.All(list => list.All(r => r.Done && !r.InFlight));

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
        string? sender = Records(info).Where(r => r.Type == 'F').Select(r => r.Value).FirstOrDefault();
        if (sender is null) return null;
        var m = new QueuedMessage { Number = n, Sender = sender, Birth = MTime(q.Info(n)) };
        LoadChannel(q.Local(n), m.Recipients[Channel.Local], ref m.NextTry[Channel.Local]);
        LoadChannel(q.Remote(n), m.Recipients[Channel.Remote], ref m.NextTry[Channel.Remote]);
        return m;
    }

    private static void LoadChannel(string path, List<QueuedRecipient> list, ref long nextTry)
    {
        if (!File.Exists(path)) return;
        byte[] data = File.ReadAllBytes(path);
        long offset = 0;
        foreach ((char type, string value) in Records(data))
        {
            if (type is 'T' or 'D') list.Add(new QueuedRecipient(value, offset) { Done = type == 'D' });
            offset += 2 + Encoding.Latin1.GetByteCount(value);
        }
        nextTry = MTime(path);
    }

    /// <summary>The NUL-terminated records of an envelope file: a type letter and a value.</summary>
    public static IEnumerable<(char Type, string Value)> Records(byte[] data)
    {
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            if (i > start) yield return ((char)data[start], Encoding.Latin1.GetString(data, start + 1, i - start - 1));
            start = i + 1;
        }
    }

    public static long MTime(string path) => new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds();

    /// <summary>Marks a recipient done in its file: its 'T' becomes 'D', fsync'd, as qmail does.</summary>
    public static void MarkDone(string path, QueuedRecipient r)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        f.Position = r.Offset;
        f.WriteByte((byte)'D');
        f.Flush(flushToDisk: true);
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
