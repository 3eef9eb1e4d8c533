// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>
/// Bounces in qmail's QSBMF format. bounce/n collects one paragraph per failed recipient
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
        string header =
            $"Date: {MailDate.Rfc822(DateTimeOffset.UtcNow)}\nFrom: {c.BounceFrom}@{c.BounceHost}\nTo: {to}\nSubject: failure notice\n\n" +
            $"Hi. This is the qmail-send program at {c.BounceHost}.\n" +
            (isDouble
                ? "I tried to deliver a bounce message to this address, but the bounce bounced!\n\n"
                : "I'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n");
        string footer = (isDouble ? "--- Below this line is the original bounce.\n\n" : "--- Below this line is a copy of the message.\n\n") +
            $"Return-Path: <{m.Sender}>\n";
        QueueResult result = QueueClient.Submit(output =>
        {
            output.Write(Encoding.Latin1.GetBytes(header));
            using (var b = File.OpenRead(q.Bounce(n))) b.CopyTo(output);
            output.Write(Encoding.Latin1.GetBytes(footer));
            using var mess = File.OpenRead(q.Mess(n));
            mess.CopyTo(output);
        }, isDouble ? "#@[]" : "", [to]);
        if (result.Failure is { } f)
        {
            Log.Warning($"trouble injecting bounce message, will try later: {f}");
            return false;
        }
        Log.Event($"bounce msg {n} qp {result.QueuePid}");
        return true;
    }

    // A VERP sender pre@host-@[] bounces to pre@host.
    private static string StripVerp(string sender) => sender.EndsWith("-@[]", StringComparison.Ordinal) ? sender[..^4] : sender;
}
