// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Queued;

/// <summary>
/// One thread a client, at most <see cref="MaxClients"/> at once. A client past that is greeted
/// "busy" and closed at once, so it starts qmail-queue instead: nobody holding slots can stop
/// mail, only slow it. A client that stops early, sends garbage or an envelope qmail-queue would
/// refuse gets qmail-queue's exit code for it, and nothing is queued.
/// </summary>
internal sealed class QueueServer(Socket listener, QueueLayout queue)
{
    private const int MaxClients = 32;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromMinutes(20);   // qmail-smtpd's own limit per read is 20 min at most
    private long sequence;

    public int Run()
    {
        Log.Info($"ready: uid {Privileges.RealUid}, at most {MaxClients} clients at once");
        LocalSocket.ServeForever(listener, MaxClients, Serve, TurnAway);
        return ExitCodes.Temporary;
    }

    private static void TurnAway(Socket client)
    {
        using (client)
        {
            try
            {
                using var stream = new NetworkStream(client, ownsSocket: false);
                Netstring.Write(stream, QueueSocket.Busy);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // Gone already.
            }
        }
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                uint uid = PeerCredentials.Uid(client);
                client.ReceiveTimeout = client.SendTimeout = (int)ReadLimit.TotalMilliseconds;
                // Reads buffered, writes not: a BufferedStream holding unread bytes (a client that
                // sent more than its request) cannot be written through.
                using var network = new NetworkStream(client, ownsSocket: false);
                using var input = new BufferedStream(network, QueueSocket.MaxChunk + 16);
                Send(network, s => Netstring.Write(s, QueueSocket.Ready));
                int code = Queue(input, uid);
                Send(network, s => QueueSocket.WriteVerdict(s, code, Environment.ProcessId));
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client went away; what it sent was not queued (or was, and it will not hear so:
            // as with qmail-queue killed after its commit, the message is delivered).
        }
        catch (Exception e)   // a bug costs one message (a temporary failure for its client), never the service
        {
            Log.Warning($"unexpected {e.GetType().Name}: {ErrorText.Of(e)}");
        }
    }

    // One write, one segment: the greeting and the verdict are a few bytes each.
    private static void Send(Stream network, Action<Stream> write)
    {
        var frame = new MemoryStream();
        write(frame);
        network.Write(frame.GetBuffer(), 0, (int)frame.Length);
    }

    // The environment a filter would get means nothing to the queue (qmail-queue trusts none):
    // read and dropped. Then qmail-queue's steps, the envelope read after the message is on disk.
    private int Queue(Stream stream, uint uid)
    {
        try
        {
            QueueSocket.ReadEnvironment(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return QqExit.ReadError;
        }
        string pidName = $"{Environment.ProcessId}.{Interlocked.Increment(ref sequence)}";
        var injector = new QueueInjector(queue, QueueSocket.MessageReader(stream),
            () => new MemoryStream(QueueSocket.ReadEnvelope(stream)), uid, Environment.ProcessId, pidName);
        return injector.Run();
    }
}
