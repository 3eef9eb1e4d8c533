// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// A resident filter reached through its Unix socket (<see cref="QueueSocket"/>): the environment
/// at once, the message in pieces as it is written, the envelope and the verdict at the end.
/// Nobody listening is a temporary failure, as a qmail-queue that cannot start.
/// </summary>
internal sealed class SocketSubmission : QueueSubmission
{
    private static readonly TimeSpan Limit = TimeSpan.FromHours(1);   // the service's own DNS and scanner limits end far sooner
    private readonly string path;
    private static readonly TimeSpan GreetingLimit = TimeSpan.FromSeconds(10);
    private readonly FdStream connection;
    private readonly BufferedStream stream;
    private readonly ChunkWriterStream chunks;

    internal SocketSubmission(string path, IReadOnlyList<string> environment)
        : this(path, Connect(path) ?? throw new FailureException(Failure.Temporary("4.3.0", $"unable to reach {path}: nobody listens there")), environment)
    {
    }

    private SocketSubmission(string path, FdStream connected, IReadOnlyList<string> environment)
    {
        this.path = path;
        connection = connected;
        connection.IdleTimeout = (int)Limit.TotalMilliseconds;
        stream = new BufferedStream(connection, QueueSocket.MaxChunk + 16);
        chunks = new ChunkWriterStream(stream);
        try
        {
            QueueSocket.WriteEnvironment(stream, environment);
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            Dispose();
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to reach {path}: {ErrorText.Of(e)}"));
        }
    }

    /// <summary>
    /// qmail-queued, when it answers: a connection and its greeting ("ok"; "busy" when all its
    /// slots are taken). Null when nobody listens, it is busy or silent: the caller then starts
    /// qmail-queue, so a stopped or overrun qmail-queued never stops mail.
    /// </summary>
    internal static SocketSubmission? Greeted(string path)
    {
        FdStream? connection = Connect(path);
        if (connection is null) return null;
        try
        {
            connection.IdleTimeout = (int)GreetingLimit.TotalMilliseconds;
            if (Netstring.Read(connection, 8) is byte[] g && g.AsSpan().SequenceEqual(QueueSocket.Ready)) return new SocketSubmission(path, connection, []);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException)
        {
            Log.Warning($"{path} did not greet: {ErrorText.Of(e)}; using qmail-queue");
        }
        connection.Dispose();
        return null;
    }

    private static FdStream? Connect(string path)
    {
        try
        {
            return UnixClient.Connect(path);
        }
        catch (FailureException e)
        {
            Log.Warning($"unable to reach {path}: {ErrorText.Of(e)}");
            return null;
        }
    }

    public override Stream Message => chunks;

    public override ExitStatus CommitEnvelope(byte[] envelopeBytes)
    {
        try
        {
            chunks.Finish();
            Netstring.Write(stream, envelopeBytes);
            stream.Flush();
            UnixClient.EndSending(connection);
            (int code, int pid) = QueueSocket.ReadVerdict(stream);
            QueuePid = pid;
            return new ExitStatus(code, 0);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidDataException)
        {
            Log.Warning($"{path} gave no verdict: {ErrorText.Of(e)}");
            return new ExitStatus(QqExit.InternalBug, 0);
        }
    }

    // Closing before the envelope: the service queues nothing.
    public override void Abort() => connection.Dispose();

    protected override void Dispose(bool disposing)
    {
        try
        {
            stream.Dispose();   // flushes what is buffered: to a closed socket, that fails, and nothing was to be queued anyway
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException)
        {
        }
        connection.Dispose();
    }
}
