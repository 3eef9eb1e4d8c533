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
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly BufferedStream stream;
    private readonly ChunkWriterStream chunks;

    internal SocketSubmission(string path, IReadOnlyList<string> environment)
    {
        this.path = path;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.ReceiveTimeout = socket.SendTimeout = (int)Limit.TotalMilliseconds;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to reach {path}: {ErrorText.Of(e)}"));
        }
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
