// SPDX-License-Identifier: MIT
using System.Globalization;

namespace MailSuite.Mail;

/// <summary>How a delivery attempt ended, as qmail-send logs it.</summary>
public enum DeliveryResult
{
    /// <summary>delivery N: success</summary>
    Success,

    /// <summary>delivery N: failure (permanent: a bounce)</summary>
    Failure,

    /// <summary>delivery N: deferral (temporary: tried again)</summary>
    Deferral,
}

/// <summary>One delivery attempt, matched up: when the message was queued, when the attempt began and ended, to whom, and how it went.</summary>
public sealed record DeliveryRecord(ulong Message, string Channel, string Recipient, string Sender, long Bytes,
    DateTime? Birth, DateTime Start, DateTime End, DeliveryResult Result, string Reason)
{
    /// <summary>From queueing to this attempt's end (qmailanalog's ddelay); null when the message's "new msg" line is not in the log.</summary>
    public TimeSpan? Delay => Birth is { } b ? End - b : null;
}

/// <summary>A message that left the queue ("end msg"), with what its "new msg" and "info msg" lines said.</summary>
public sealed record MessageRecord(ulong Message, string Sender, long Bytes, DateTime? Birth, DateTime End, int Attempts);

/// <summary>
/// qmailanalog's matchup over qmail-send's log (qmail-log(5) lines, each with its timestamp):
/// "new msg", "info msg", "starting delivery", "delivery N: success|failure|deferral", "end msg"
/// become one record a delivery attempt and one a finished message. Message numbers are inode
/// numbers and come back, so a message is forgotten at its "end msg"; deliveries still open when
/// the log ends are not reported. Memory holds the messages in the queue and the deliveries under
/// way, never the whole log.
/// </summary>
public sealed class SendLog
{
    private sealed class Open(DateTime? birth)
    {
        public DateTime? Birth = birth;
        public string Sender = "?";
        public long Bytes;
        public int Attempts;
    }

    private sealed record Attempt(ulong Message, string Channel, string Recipient, DateTime Start);

    private readonly Dictionary<ulong, Open> messages = [];
    private readonly Dictionary<long, Attempt> attempts = [];

    /// <summary>Reads lines in order and calls back for each delivery attempt and finished message.</summary>
    public void Read(IEnumerable<string> lines, Action<DeliveryRecord> delivery, Action<MessageRecord> message)
    {
        foreach (string line in lines)
        {
            if (!LogLine.TryParse(line, out DateTime at, out string text)) continue;
            string[] w = text.Split(' ', 8);
            if (w.Length < 3) continue;
            if (w[0] == "new" && w[1] == "msg" && ulong.TryParse(w[2], out ulong n)) messages[n] = new Open(at);
            else if (w[0] == "info" && w[1] == "msg") Info(w);
            else if (w[0] == "starting" && w.Length >= 8 && w[1] == "delivery") Start(w, at);
            else if (w[0] == "delivery" && w.Length >= 3) Result(text, w, at, delivery);
            else if (w[0] == "end" && w[1] == "msg" && ulong.TryParse(w[2], out ulong e)) End(e, at, message);
        }
    }

    // info msg M: bytes B from <S> qp Q uid U
    private void Info(string[] w)
    {
        if (w.Length < 7 || !ulong.TryParse(w[2].TrimEnd(':'), out ulong n)) return;
        Open m = Message(n);
        _ = long.TryParse(w[4], NumberStyles.None, CultureInfo.InvariantCulture, out m.Bytes);
        string rest = string.Join(' ', w[6..]);
        int close = rest.IndexOf('>', StringComparison.Ordinal);
        if (rest.StartsWith('<') && close > 0) m.Sender = rest[1..close];
    }

    // starting delivery D: msg M to local|remote R
    private void Start(string[] w, DateTime at)
    {
        if (!long.TryParse(w[2].TrimEnd(':'), out long d) || !ulong.TryParse(w[4], out ulong n)) return;
        Message(n).Attempts++;
        attempts[d] = new Attempt(n, w[6], w[7], at);
    }

    // delivery D: success|failure|deferral: TEXT
    private void Result(string text, string[] w, DateTime at, Action<DeliveryRecord> delivery)
    {
        if (!long.TryParse(w[1].TrimEnd(':'), out long d) || !attempts.Remove(d, out Attempt? a)) return;
        DeliveryResult? result = w[2] switch
        {
            "success:" => DeliveryResult.Success,
            "failure:" => DeliveryResult.Failure,
            "deferral:" => DeliveryResult.Deferral,
            _ => null,
        };
        if (result is null) return;
        int colon = text.IndexOf(": ", text.IndexOf(w[2], StringComparison.Ordinal), StringComparison.Ordinal);
        Open m = Message(a.Message);
        delivery(new DeliveryRecord(a.Message, a.Channel, a.Recipient, m.Sender, m.Bytes, m.Birth, a.Start, at, result.Value,
            colon < 0 ? "" : text[(colon + 2)..]));
    }

    private void End(ulong n, DateTime at, Action<MessageRecord> message)
    {
        if (!messages.Remove(n, out Open? m)) return;
        message(new MessageRecord(n, m.Sender, m.Bytes, m.Birth, at, m.Attempts));
    }

    // A message queued before the log began has no "new msg": known from its first other line on.
    private Open Message(ulong n)
    {
        if (!messages.TryGetValue(n, out Open? m)) messages[n] = m = new Open(null);
        return m;
    }
}
