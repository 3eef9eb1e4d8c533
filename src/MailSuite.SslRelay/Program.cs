// SPDX-License-Identifier: MIT
// sslrelay [account]: the TLS side of one sslserver connection. fd 0 = client socket, fd 1 = the
// program's socket, fd 3 = certificate and key (PEM), fd 4 = where the session's SSL_* go.
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.SslRelay;

internal static class Program
{
    private const int MaxPem = 1 << 20;

    private static int Main(string[] args)
    {
        Log.Init("sslrelay", timestamps: true);
        string client = Env.Get("TCPREMOTEIP", "unknown");
        try
        {
            string pem = ReadAll(3);
            if (Privileges.EffectiveUid == 0 || Privileges.RealUid == 0)
            {
                if (args.Length != 1) throw new FailureException(Failure.Temporary("4.3.0", "usage: sslrelay account (TLS never runs as root)"));
                Privileges.DropTo(Accounts.Require(args[0]));
            }
            SslStreamCertificateContext certificate = TlsServerSide.Load(pem);
            // No Nagle: TLS 1.3 sends its session tickets in a write of their own, and the reply that
            // follows would wait for the client's delayed ACK (40 ms a connection). The relay already
            // forwards whole replies, so nothing is gained by delaying them.
            var network = new NetworkStream(new Socket(new SafeSocketHandle(0, ownsHandle: true)) { NoDelay = true }, ownsSocket: true);
            var plain = new Socket(new SafeSocketHandle(1, ownsHandle: true));
            SslStream ssl;
            try
            {
                ssl = TlsServerSide.Accept(network, certificate);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                Log.Warning($"TLS handshake with {client} failed: {ErrorText.Of(e)}");
                return ExitCodes.Temporary;
            }
            Announce(ssl);
            Relay.Run(ssl, plain, network.Socket);
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

    private static string ReadAll(int fd)
    {
        using var input = new FdStream(fd, ownsFd: true);
        var pem = new MemoryStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = input.Read(buffer)) > 0 && pem.Length <= MaxPem) pem.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(pem.ToArray());
    }

    // NAME=value lines for sslserver, which puts them into the program's environment.
    private static void Announce(SslStream ssl)
    {
        var text = new StringBuilder();
        foreach (var (k, v) in TlsServerSide.Describe(ssl)) text.Append(k).Append('=').Append(v).Append('\n');
        using var output = new FdStream(4, ownsFd: true);
        output.Write(Encoding.ASCII.GetBytes(text.ToString()));
    }
}
