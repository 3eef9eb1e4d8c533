// SPDX-License-Identifier: MIT
using System.Net.Sockets;

namespace MailSuite.Common;

/// <summary>
/// The small Unix-socket services (qmail-authd, qmail-rcptd) and their clients: one question a
/// connection, written whole and ended by shutting down the sending side, one byte of answer.
/// Who may ask is decided by the socket's directory and mode, not by the protocol.
/// </summary>
public static class LocalSocket
{
    /// <summary>Listens on path (a socket left by an earlier run is replaced), mode 0660; failure is temporary.</summary>
    public static Socket Listen(string path)
    {
        _ = PosixFile.Unlink(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(64);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to listen on {path}: {ErrorText.Of(e)}"));
        }
        FileStatus.Chmod(path, Convert.ToInt32("660", 8));
        return listener;
    }

    /// <summary>
    /// Accepts forever, one background thread a connection, at most maxConnections served at once:
    /// threads and memory stay bounded whatever clients do. When all are taken the next accept
    /// waits for a slot, or, given turnAway, a client is accepted and handed to it at once (to
    /// say "busy" and close). serve and turnAway own the socket they are given.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ServeForever(Socket listener, int maxConnections, Action<Socket> serve, Action<Socket>? turnAway = null)
    {
        using var slots = new SemaphoreSlim(maxConnections);
        var workers = new WorkerThreads(maxConnections, "client");
        while (true)
        {
            if (turnAway is null) slots.Wait();
            Socket client = listener.Accept();
            if (turnAway is not null && !slots.Wait(0))
            {
                turnAway(client);
                continue;
            }
            workers.Run(() =>
            {
                try
                {
                    serve(client);
                }
                finally
                {
                    slots.Release();
                }
            });
        }
    }

    /// <summary>
    /// Asks the service at path: null when nobody listens there (the service is not running), 0
    /// when it gave no answer, else the answer byte. A failure after connecting is logged.
    /// </summary>
    public static byte? Ask(string path, ReadOnlySpan<byte> question, TimeSpan limit, string service)
    {
        // "Not running" (no socket file, nobody accepting) is a null, not an exception: an
        // exception costs a stack walk in Native AOT, and this is asked at every recipient.
        using FdStream? connection = UnixClient.Connect(path);
        if (connection is null) return null;
        try
        {
            connection.IdleTimeout = (int)limit.TotalMilliseconds;
            connection.Write(question);
            UnixClient.EndSending(connection);
            Span<byte> answer = stackalloc byte[1];
            return connection.Read(answer) == 1 ? answer[0] : (byte)0;
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            Log.Warning($"{service} at {path} gave no answer: {ErrorText.Of(e)}");
            return 0;
        }
    }
}
