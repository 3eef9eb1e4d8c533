// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>What a QMAILQUEUE filter got: the message (all of it, or its first part and the rest to copy), and the envelope.</summary>
public sealed record FilterInput(byte[] Message, Stream? Rest, byte[] Envelope);

/// <summary>
/// The scaffold of a filter in qmail-queue's place (qmail-authres, qmail-scan): the message from
/// fd 0 into memory up to a bound, the envelope from fd 1 (qmail-smtpd writes the envelope only
/// after the whole message), then both to the next program, whose exit code is the filter's.
/// QMAILQUEUE names one program without arguments, so each filter finds its successor in an
/// environment variable of its own, else PREFIX/bin/qmail-queue.
/// </summary>
public static class QueueFilter
{
    private const int MaxEnvelope = 16 << 20;   // 10,000 recipients of 1,000 bytes, and room to spare

    /// <summary>Exit codes of qmail-queue's that a filter gives itself.</summary>
    public const int Refused = 31, Deferred = 71, ReadFailed = 54, Bug = 81;

    /// <summary>Reads fd 0 (up to maxMessage kept, the rest left to stream on) and the envelope; null when the envelope is too long.</summary>
    public static FilterInput? Read(int maxMessage)
    {
        var input = new FdStream(0);
        (byte[] message, bool whole) = Slurp(input, maxMessage);
        using var envelopeIn = new FdStream(1);
        (byte[] envelope, bool envelopeWhole) = Slurp(envelopeIn, MaxEnvelope);
        return envelopeWhole ? new FilterInput(message, whole ? null : input, envelope) : null;
    }

    /// <summary>Starts the next program (named by nextVariable, else qmail-queue), lets write fill it, sends the envelope as it came.</summary>
    public static int Forward(string nextVariable, byte[] envelope, Action<Stream> write)
    {
        string next = Env.Get(nextVariable) is { Length: > 0 } named ? named : Home.Path("bin/qmail-queue");
        using QueueSubmission submission = QueueClient.Start(next);
        try
        {
            write(submission.Message);
        }
        catch (IOException)
        {
            // The next program stopped reading: its exit code says why.
        }
        ExitStatus status = submission.CommitEnvelope(envelope);
        return status.Exited ? status.Code : Bug;
    }

    /// <summary>The envelope's sender and recipients ("F" and "T" records).</summary>
    public static (string Sender, List<string> Recipients) Addresses(byte[] envelope)
    {
        string sender = "";
        var recipients = new List<string>();
        foreach ((char type, string value) in EnvelopeRecords.Read(envelope))
        {
            if (type == 'F') sender = value;
            else if (type == 'T') recipients.Add(value);
        }
        return (sender, recipients);
    }

    // Up to max bytes; Whole is false when there was more.
    private static (byte[] Data, bool Whole) Slurp(Stream s, int max)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[65536];
        int n;
        while ((n = s.Read(chunk, 0, (int)Math.Min(chunk.Length, max + 1L - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > max) return (buffer.ToArray(), false);
        }
        return (buffer.ToArray(), true);
    }
}
