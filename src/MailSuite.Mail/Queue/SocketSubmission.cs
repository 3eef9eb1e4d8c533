// SPDX-License-Identifier: MIT
using System.Net.Sockets;
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
    private readonly Socket socket;
    private readonly BufferedStream stream;
    private readonly ChunkWriterStream chunks;

    internal SocketSubmission(string path, IReadOnlyList<string> environment)
        : this(path, Connect(path) ?? throw new FailureException(Failure.Temporary("4.3.0", $"unable to reach {path}: nobody listens there")), environment)
    {
    }

    private SocketSubmission(string path, Socket connected, IReadOnlyList<string> environment)
    {
        this.path = path;
        socket = connected;
        socket.ReceiveTimeout = socket.SendTimeout = (int)Limit.TotalMilliseconds;
        stream = new BufferedStream(new NetworkStream(socket, ownsSocket: false), QueueSocket.MaxChunk + 16);
        chunks = new ChunkWriterStream(stream);
        try
        {
            QueueSocket.WriteEnvironment(stream, environment);
        }
        catch (IOException e)
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
        Socket? socket = Connect(path);
        if (socket is null) return null;
        try
        {
            socket.ReceiveTimeout = (int)GreetingLimit.TotalMilliseconds;
            using var greeting = new NetworkStream(socket, ownsSocket: false);
            if (Netstring.Read(greeting, 8) is byte[] g && g.AsSpan().SequenceEqual(QueueSocket.Ready)) return new SocketSubmission(path, socket, []);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            Log.Warning($"{path} did not greet: {ErrorText.Of(e)}; using qmail-queue");
        }
        socket.Dispose();
        return null;
    }

    private static Socket? Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
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
            socket.Shutdown(SocketShutdown.Send);
            (int code, int pid) = QueueSocket.ReadVerdict(stream);
            QueuePid = pid;
            return new ExitStatus(code, 0);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            Log.Warning($"{path} gave no verdict: {ErrorText.Of(e)}");
            return new ExitStatus(QqExit.InternalBug, 0);
        }
    }

    // Closing before the envelope: the service queues nothing.
    public override void Abort() => socket.Dispose();

    protected override void Dispose(bool disposing)
    {
        try
        {
            stream.Dispose();   // flushes what is buffered: to a closed socket, that fails, and nothing was to be queued anyway
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }
}
