// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>What a QMAILQUEUE filter got: the message (all of it, or its first part and the rest to copy), and the envelope.</summary>
public sealed class FilterInput(byte[] message, Stream? rest, Func<byte[]> readEnvelope)
{
    private byte[]? envelope;

    /// <summary>An envelope already read (from fd 1).</summary>
    public FilterInput(byte[] message, Stream? rest, byte[] envelope)
        : this(message, rest, () => envelope)
    {
    }

    /// <summary>The message, or its first part when <see cref="Rest"/> is not null.</summary>
    public byte[] Message => message;

    /// <summary>The rest of a message too long to hold, still to be copied.</summary>
    public Stream? Rest => rest;

    /// <summary>
    /// The envelope. A queue socket's client sends it after the whole message, so it is read when
    /// first asked for, after <see cref="Rest"/> has been copied; IOException or
    /// InvalidDataException when it cannot be read.
    /// </summary>
    public byte[] Envelope => envelope ??= readEnvelope();
}

/// <summary>A filter's exit code and the pid of the program it handed the message to (0 if none).</summary>
public readonly record struct FilterExit(int Code, int QueuePid);

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

    /// <summary>
    /// Starts the next program (named by nextVariable in the message's environment, else
    /// qmail-queue), lets write fill it, sends the envelope as it came. A next filter gets the
    /// message's environment (this process's, or a queue socket client's); qmail-queue gets none.
    /// </summary>
    public static int Forward(string nextVariable, FilterInput input, IReadOnlyDictionary<string, string> environment, Action<Stream> write) =>
        ForwardFor(nextVariable, input, environment, write).Code;

    /// <summary>As Forward, with the pid of the program started, for a resident filter to report as "qp".</summary>
    public static FilterExit ForwardFor(string nextVariable, FilterInput input, IReadOnlyDictionary<string, string> environment, Action<Stream> write)
    {
        using QueueSubmission submission = environment.GetValueOrDefault(nextVariable) is { Length: > 0 } named
            ? QueueClient.Start(named, Env.Strings(environment))
            : QueueClient.StartQueue();
        try
        {
            write(submission.Message);
        }
        catch (IOException)
        {
            // The next program stopped reading: its exit code says why.
        }
        ExitStatus status = submission.CommitEnvelope(input.Envelope);
        return new FilterExit(status.Exited ? status.Code : Bug, submission.QueuePid);
    }

    /// <summary>
    /// Reads a queue socket's request after its environment: the message (up to maxMessage kept,
    /// the rest left to stream on) and, for a message kept whole, the envelope at once; after a
    /// longer one, the envelope when the rest has been copied.
    /// </summary>
    public static FilterInput ReadSocket(Stream socket, int maxMessage)
    {
        Stream message = QueueSocket.MessageReader(socket);
        (byte[] first, bool whole) = Slurp(message, maxMessage);
        if (!whole) return new FilterInput(first, message, () => QueueSocket.ReadEnvelope(socket));
        return new FilterInput(first, null, QueueSocket.ReadEnvelope(socket));
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
