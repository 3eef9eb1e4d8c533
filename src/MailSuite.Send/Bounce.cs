// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>
/// Bounces: RFC 3464 reports whose text is qmail's QSBMF (<see cref="BounceReport"/>), or QSBMF
/// alone with the whole message when control/bounceformat says "qsbmf". bounce/n collects one paragraph per failed recipient
/// ("&lt;address&gt;:" then the reason); when the message is done, one bounce goes to the envelope
/// sender (envelope sender empty), a bounce of a bounce goes to doublebounceto@doublebouncehost
/// (envelope sender #@[]), and a bounce of that is discarded: no bounce loops.
/// </summary>
internal static class Bounce
{
    public static void Add(QueueLayout q, ulong n, string recipient, string reason)
    {
        string text = reason.TrimEnd('\n').Replace("\n\n", "\n/\n");
        using var f = new FileStream(q.Bounce(n), new FileStreamOptions
        {
            Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        f.Write(Encoding.Latin1.GetBytes($"<{recipient}>:\n{text}\n\n"));
        f.Flush(flushToDisk: true);
    }

    /// <summary>Sends the bounce for a finished message; false if it must be tried again later.</summary>
    public static bool Send(QueueLayout q, QueuedMessage m, Controls c)
    {
        ulong n = m.Number;
        if (m.Sender == "#@[]")
        {
            Log.Event($"triple bounce: discarding bounce/{n}");
            return true;
        }
        bool isDouble = m.Sender.Length == 0;
        string to = isDouble ? $"{c.DoubleBounceTo}@{c.DoubleBounceHost}" : StripVerp(m.Sender);
        string intro = $"Hi. This is the qmail-send program at {c.BounceHost}.\n" +
            (isDouble
                ? "I tried to deliver a bounce message to this address, but the bounce bounced!\n\n"
                : "I'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n");
        string header = $"Date: {MailDate.Rfc822(DateTimeOffset.UtcNow)}\nFrom: {c.BounceFrom}@{c.BounceHost}\nTo: {to}\nSubject: failure notice\n";
        QueueResult result = QueueClient.Submit(output =>
        {
            if (c.QsbmfOnly) WriteQsbmf(output, q, m, header + "\n" + intro, isDouble);
            else WriteReport(output, q, m, header, intro, isDouble, c.BounceHost);
        }, isDouble ? "#@[]" : "", [to]);
        if (result.Failure is { } f)
        {
            Log.Warning($"trouble injecting bounce message, will try later: {f}");
            return false;
        }
        Log.Event($"bounce msg {n} qp {result.QueuePid}");
        return true;
    }

    // qmail's bounce as it always was: the text, then the whole message.
    private static void WriteQsbmf(Stream output, QueueLayout q, QueuedMessage m, string start, bool isDouble)
    {
        output.Write(Encoding.Latin1.GetBytes(start));
        using (var b = File.OpenRead(q.Bounce(m.Number))) b.CopyTo(output);
        output.Write(Encoding.Latin1.GetBytes((isDouble ? "--- Below this line is the original bounce.\n\n" : "--- Below this line is a copy of the message.\n\n") +
            $"Return-Path: <{m.Sender}>\n"));
        using var mess = File.OpenRead(q.Mess(m.Number));
        mess.CopyTo(output);
    }

    // RFC 3464: the same text as the first part, a delivery-status part, the message's header.
    private static void WriteReport(Stream output, QueueLayout q, QueuedMessage m, string header, string intro, bool isDouble, string host)
    {
        string boundary = $"qmail-send-{m.Number}-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-{Random.Shared.Next():x8}";
        string paragraphs = File.ReadAllText(q.Bounce(m.Number), Encoding.Latin1);
        output.Write(Encoding.Latin1.GetBytes(header + BounceReport.Header(boundary) + intro + paragraphs +
            (isDouble ? "--- The original bounce's header is the last part of this report.\n" : "--- Your message's header is the last part of this report.\n") +
            BounceReport.Status(boundary, host, FailedRecipient.Parse(paragraphs)) + $"Return-Path: <{m.Sender}>\n"));
        output.Write(BounceReport.ReturnedHeader(q.Mess(m.Number)));
        output.Write(Encoding.Latin1.GetBytes(BounceReport.End(boundary)));
    }

    // A VERP sender pre@host-@[] bounces to pre@host.
    private static string StripVerp(string sender) => sender.EndsWith("-@[]", StringComparison.Ordinal) ? sender[..^4] : sender;
}
