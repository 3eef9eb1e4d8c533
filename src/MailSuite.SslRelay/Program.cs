// SPDX-License-Identifier: MIT
// sslrelay [-w] [account]: the TLS side of one sslserver connection. fd 0 = client socket, fd 1 =
// the program's socket, fd 3 = certificate and key (PEM), fd 4 = where the session's SSL_* go,
// fd 5 (optional) = the session-ticket key sslserver holds (80 bytes). With -w, started before
// its client came: fd 0 is a Unix socket on which the client's socket arrives (SCM_RIGHTS) with
// the client's address beside it, once the key is read, root is gone and OpenSSL is ready.
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;

namespace MailSuite.SslRelay;

internal static class Program
{
    private const int MaxPem = 1 << 20;
    private const int MaxAddress = 64;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private static int Main(string[] args)
    {
        Log.Init("sslrelay", timestamps: true);
        string client = Env.Get("TCPREMOTEIP", "unknown");
        bool waiting = args.Length > 0 && args[0] == "-w";
        if (waiting) args = args[1..];
        try
        {
            string pem = Encoding.ASCII.GetString(ReadAll(3, MaxPem));
            byte[]? ticketKey = ReadTicketKey();
            if (Privileges.EffectiveUid == 0 || Privileges.RealUid == 0)
            {
                if (args.Length != 1) throw new FailureException(Failure.Temporary("4.3.0", "usage: sslrelay [-w] account (TLS never runs as root)"));
                Privileges.DropTo(Accounts.Require(args[0]));
            }
            using TlsContext context = TlsContext.Create(pem, ticketKey);
            if (waiting)
            {
                if (WaitForClient() is not { } address) return ExitCodes.Success;   // sslserver no longer needs this one
                client = address;
            }
            // No Nagle: TLS 1.3 sends its session tickets in a write of their own, and the reply that
            // follows would wait for the client's delayed ACK (40 ms a connection). The relay already
            // forwards whole replies, so nothing is gained by delaying them.
            using var network = new Socket(new SafeSocketHandle(0, ownsHandle: true)) { NoDelay = true, Blocking = false };
            using var plain = new Socket(new SafeSocketHandle(1, ownsHandle: true)) { Blocking = false };
            using var tls = new TlsConnection(context, 0);
            if (Handshake(tls, network) is string failure)
            {
                Log.Warning($"TLS handshake with {client} failed: {failure}");
                return ExitCodes.Temporary;
            }
            Announce(tls);
            new Relay(tls, network, plain).Run();
            return ExitCodes.Success;
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            Log.Fatal($"unable to use the descriptors sslserver gives (0, 1, 3, 4): {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: a log line and a temporary failure, never a crash
        {
            Log.Fatal($"unexpected {e.GetType().Name}: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
    }

    // The handshake, waiting in poll for what OpenSSL asks; null when done, else why not.
    private static string? Handshake(TlsConnection tls, Socket network)
    {
        long deadline = Environment.TickCount64 + (long)HandshakeTimeout.TotalMilliseconds;
        var waitFor = new List<Socket>(1);
        while (true)
        {
            TlsStatus status = tls.Accept();
            if (status == TlsStatus.Done) return null;
            if (status == TlsStatus.Failed) return tls.Error;
            if (status == TlsStatus.Closed) return "the client closed the connection";
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return $"no handshake within {HandshakeTimeout.TotalSeconds} s";
            waitFor.Clear();
            waitFor.Add(network);
            if (status == TlsStatus.WantRead) Socket.Select(waitFor, null, null, (int)(left * 1000));
            else Socket.Select(null, waitFor, null, (int)(left * 1000));
        }
    }

    // -w: the client's socket becomes fd 0, replacing the Unix socket it came on; null when
    // sslserver closed that socket instead (a certificate reload, or sslserver stopping).
    private static string? WaitForClient() =>
        FdPassing.ReceiveOnto(0, 0, MaxAddress) is { } address ? Encoding.ASCII.GetString(address) : null;

    private static byte[] ReadAll(int fd, int max)
    {
        using var input = new FdStream(fd, ownsFd: true);
        var data = new MemoryStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = input.Read(buffer)) > 0 && data.Length <= max) data.Write(buffer, 0, n);
        return data.ToArray();
    }

    // fd 5 is sslserver's; an sslrelay started without it (by hand, say) works without resumption.
    private static byte[]? ReadTicketKey()
    {
        try
        {
            byte[] key = ReadAll(5, OpenSsl.TicketKeyLength);
            return key.Length == OpenSsl.TicketKeyLength ? key : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // NAME=value lines for sslserver, which puts them into the program's environment.
    private static void Announce(TlsConnection tls)
    {
        var text = new StringBuilder();
        foreach (var (k, v) in tls.Describe()) text.Append(k).Append('=').Append(v).Append('\n');
        using var output = new FdStream(4, ownsFd: true);
        output.Write(Encoding.ASCII.GetBytes(text.ToString()));
    }
}
