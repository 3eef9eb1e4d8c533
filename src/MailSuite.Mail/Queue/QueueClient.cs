// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>The outcome of handing a message to qmail-queue: its pid ("qp") and the failure, if any.</summary>
public sealed record QueueResult(int QueuePid, Failure? Failure);

/// <summary>
/// Hands a message to qmail-queue as qmail.c does: message on its fd 0, envelope on its fd 1
/// ("F" sender NUL, "T" recipient NUL each, NUL), then reads its exit code through
/// <see cref="QqExit"/>. QMAILQUEUE names a replacement (a content filter), as netqmail allows;
/// it gets the caller's environment, while our own qmail-queue gets an empty one (it trusts none).
/// </summary>
public static class QueueClient
{
    /// <summary>Queues one message. <paramref name="writeMessage"/> writes the message bytes.</summary>
    public static QueueResult Submit(Action<Stream> writeMessage, string sender, IEnumerable<string> recipients, string? qmailQueue = null)
    {
        using QueueSubmission submission = Start(qmailQueue);
        try
        {
            writeMessage(submission.Message);
        }
        catch (IOException)
        {
            // qmail-queue stopped reading (it failed): its exit code says why.
        }
        return submission.Commit(sender, recipients);
    }

    /// <summary>
    /// Starts qmail-queue and hands back its message stream, for a caller that produces the
    /// message bit by bit (qmail-smtpd during DATA); then Commit sends the envelope, or Abort
    /// closes without one, which qmail-queue refuses (nothing is queued). QMAILQUEUE may name a
    /// Unix socket instead of a program: a resident filter (qmail-authresd) that takes the same
    /// interface there (<see cref="QueueSocket"/>), so no process starts per message.
    /// </summary>
    public static QueueSubmission Start(string? qmailQueue = null)
    {
        string? filter = qmailQueue ?? Env.Get("QMAILQUEUE");
        if (filter is not { Length: > 0 }) return StartQueue();
        return Start(filter, Env.Current());
    }

    /// <summary>qmail-queued's socket (PREFIX/queued/socket).</summary>
    public static string QueuedSocket => Home.Path("queued/socket");

    /// <summary>
    /// The queue itself: qmail-queued when it answers and has a slot (no process starts), else
    /// qmail-queue (setuid qmailq). Both do the same steps and answer with the same exit codes.
    /// </summary>
    public static QueueSubmission StartQueue() =>
        (QueueSubmission?)SocketSubmission.Greeted(QueuedSocket) ?? new ProcessSubmission(Home.Path("bin/qmail-queue"), []);

    /// <summary>Starts a named program (or reaches a named socket) with the given environment.</summary>
    public static QueueSubmission Start(string programOrSocket, IReadOnlyList<string> environment) =>
        FileStatus.OfTarget(programOrSocket)?.Kind == FileKind.Socket
            ? new SocketSubmission(programOrSocket, environment)
            : new ProcessSubmission(programOrSocket, environment);
}

/// <summary>A message on its way into the queue: write it, then Commit (envelope, exit code) or Abort.</summary>
public abstract class QueueSubmission : IDisposable
{
    /// <summary>qmail-queue's pid, the "qp" of the logs (a resident filter's answer says it only at the end).</summary>
    public int QueuePid { get; protected set; }

    /// <summary>Where the message goes.</summary>
    public abstract Stream Message { get; }

    /// <summary>
    /// Ends the message, sends the envelope and reads qmail-queue's verdict. An address holding a
    /// NUL is never written (it would smuggle another recipient in): the message is abandoned.
    /// </summary>
    public QueueResult Commit(string sender, IEnumerable<string> recipients)
    {
        byte[] envelopeBytes;
        try
        {
            envelopeBytes = EnvelopeRecords.Envelope(sender, recipients);
        }
        catch (FailureException e)
        {
            Abort();
            return new QueueResult(QueuePid, e.Failure);
        }
        ExitStatus status = CommitEnvelope(envelopeBytes);
        return new QueueResult(QueuePid, QqExit.Meaning(status));
    }

    /// <summary>
    /// Ends the message and sends an envelope already in qmail-queue's format (a QMAILQUEUE filter
    /// passing its own on); qmail-queue's exit status, for the filter to exit with.
    /// </summary>
    public abstract ExitStatus CommitEnvelope(byte[] envelopeBytes);

    /// <summary>Gives up: qmail-queue sees no envelope and queues nothing.</summary>
    public abstract void Abort();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Aborts unless committed, and releases the pipes or the socket.</summary>
    protected abstract void Dispose(bool disposing);
}

/// <summary>qmail-queue (or a filter program) as a child: the message on its fd 0, the envelope on its fd 1.</summary>
internal sealed class ProcessSubmission : QueueSubmission
{
    private readonly Pipe message = Pipe.Create();
    private readonly Pipe envelope = Pipe.Create();
    private readonly FileStream messageStream;
    private bool waited;

    internal ProcessSubmission(string program, IReadOnlyList<string> environment)
    {
        var fds = new Dictionary<int, int> { [0] = Pipe.Number(message.Read), [1] = Pipe.Number(envelope.Read), [2] = 2 };
        QueuePid = Spawn.Start(new SpawnRequest(program, [Path.GetFileName(program)], environment, fds));
        message.Read.Dispose();
        envelope.Read.Dispose();
        messageStream = new FileStream(message.Write, FileAccess.Write, 65536);
    }

    public override Stream Message => messageStream;

    public override ExitStatus CommitEnvelope(byte[] envelopeBytes)
    {
        try
        {
            messageStream.Dispose();
            using var e = new FileStream(envelope.Write, FileAccess.Write, 4096);
            e.Write(envelopeBytes);
        }
        catch (IOException)
        {
            // qmail-queue already failed: its exit code says why.
        }
        return Wait();
    }

    public override void Abort()
    {
        try
        {
            messageStream.Dispose();
        }
        catch (IOException)
        {
            // Already gone.
        }
        envelope.Write.Dispose();
        Wait();
    }

    private ExitStatus Wait()
    {
        waited = true;
        return Spawn.Wait(QueuePid);
    }

    protected override void Dispose(bool disposing)
    {
        if (!waited) Abort();
        message.Dispose();
        envelope.Dispose();
    }
}
