// SPDX-License-Identifier: MIT
using System.Net.Security;
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.SslRelay;

/// <summary>
/// Moves bytes both ways between the TLS session and the program's socket until the program is
/// done: client's end of data becomes the program's end of input; the program's end of output
/// becomes a TLS close_notify and a FIN, after which the relay ends.
/// </summary>
internal static class Relay
{
    public static void Run(SslStream ssl, Socket plain, Socket network)
    {
        var fromClient = new Thread(() => ClientToProgram(ssl, plain)) { IsBackground = true };
        fromClient.Start();
        ProgramToClient(plain, ssl, network);
    }

    private static void ClientToProgram(SslStream ssl, Socket plain)
    {
        byte[] buffer = new byte[16384];
        try
        {
            int n;
            while ((n = ssl.Read(buffer)) > 0) plain.Send(buffer.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the program did: either way, no more input for it.
        }
        catch (Exception e)
        {
            // Anything else the TLS library throws (OpenSSL refusing a client's renegotiation,
            // say) ends the client's input the same way: a log line, never a crash.
            Log.Warning($"TLS input from {Env.Get("TCPREMOTEIP", "unknown")} ended: {ErrorText.Of(e)}");
        }
        try
        {
            plain.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static void ProgramToClient(Socket plain, SslStream ssl, Socket network)
    {
        byte[] buffer = new byte[65536];
        try
        {
            int n;
            while ((n = plain.Receive(buffer)) > 0) ssl.Write(buffer, 0, n);
            ssl.ShutdownAsync().GetAwaiter().GetResult();
            network.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client is gone; the program will notice on its next write.
        }
        catch (Exception e)
        {
            Log.Warning($"TLS output to {Env.Get("TCPREMOTEIP", "unknown")} ended: {ErrorText.Of(e)}");
        }
    }
}
