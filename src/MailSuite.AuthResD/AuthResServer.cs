// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.AuthResults;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.AuthResD;

/// <summary>
/// One thread a connection, at most <see cref="MaxConnections"/> at once (each may hold a message
/// of up to 64 MiB to verify): the request (environment, message, envelope) as QueueSocket
/// describes it, qmail-authres's work on it, and the next program's exit code and pid as the
/// answer. A client that is neither qmaild nor root, by the kernel's word (SO_PEERCRED), is
/// closed on unread.
/// </summary>
internal sealed class AuthResServer(Socket listener, uint clientUid)
{
    private const int MaxConnections = 16;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromMinutes(20);   // qmail-smtpd's own limit per read is 20 min at most

    public int Run()
    {
        Log.Info($"ready: uid {Privileges.RealUid}");
        LocalSocket.ServeForever(listener, MaxConnections, Serve);
        return ExitCodes.Temporary;
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                uint peer = PeerCredentials.Uid(client);
                if (peer != clientUid && peer != 0)
                {
                    Log.Warning($"refused a client running as uid {peer}: only qmaild (uid {clientUid}) and root may queue here");
                    return;
                }
                client.ReceiveTimeout = client.SendTimeout = (int)ReadLimit.TotalMilliseconds;
                using var stream = new BufferedStream(new NetworkStream(client, ownsSocket: false), QueueSocket.MaxChunk + 16);
                FilterExit exit = Handle(stream);
                QueueSocket.WriteVerdict(stream, exit.Code, exit.QueuePid);
                stream.Flush();
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client went away: it queued nothing, and its own log says so.
        }
        catch (Exception e)   // a bug costs one message (a temporary failure for its client), never the service
        {
            Log.Warning($"unexpected {e.GetType().Name}: {ErrorText.Of(e)}");
        }
    }

    private static FilterExit Handle(Stream stream)
    {
        try
        {
            Dictionary<string, string> environment = QueueSocket.ReadEnvironment(stream);
            FilterInput input = QueueFilter.ReadSocket(stream, AuthResFilter.MaxMessage);
            return AuthResFilter.Pass(input, environment);
        }
        catch (InvalidDataException e)
        {
            Log.Warning($"unable to read a request: {ErrorText.Of(e)}");
            return new FilterExit(QueueFilter.ReadFailed, 0);
        }
    }
}
