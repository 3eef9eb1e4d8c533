// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.SslRelay;

/// <summary>
/// Moves bytes both ways between the TLS session and the program's socket until the program is
/// done: the client's end of data becomes the program's end of input; the program's end of
/// output becomes a TLS close_notify and a FIN, after which the relay ends. One thread, both
/// sockets non-blocking, waiting in poll for whatever the blocked step needs; a buffer that its
/// reader has not taken stops the reading from its source, so memory stays at two buffers.
/// </summary>
internal sealed class Relay(TlsConnection tls, Socket client, Socket program)
{
    private const int BufferSize = 16384;   // one TLS record
    private readonly byte[] fromClient = GC.AllocateArray<byte>(BufferSize, pinned: true);
    private readonly byte[] fromProgram = GC.AllocateArray<byte>(BufferSize, pinned: true);
    private int fromClientStart, fromClientEnd, fromProgramLength;
    private bool clientDone, programInputClosed, programDone, clientGone;
    private bool wantClientRead, wantClientWrite, wantProgramRead, wantProgramWrite;
    private readonly string peer = Env.Get("TCPREMOTEIP", "unknown");

    public void Run()
    {
        while (!clientGone && !(programDone && fromProgramLength == 0))
            if (!Step()) Wait();
        EndProgramInput();
        if (clientGone) return;
        client.Blocking = true;   // close_notify and FIN are the last things, and they go out whole
        tls.Shutdown();
        Ignore(() => client.Shutdown(SocketShutdown.Send));
    }

    // Tries every direction once; true if any byte moved or any end was reached.
    private bool Step()
    {
        wantClientRead = wantClientWrite = wantProgramRead = wantProgramWrite = false;
        bool moved = ClientToBuffer();
        moved |= BufferToProgram();
        moved |= ProgramToBuffer();
        moved |= BufferToClient();
        return moved;
    }

    private bool ClientToBuffer()
    {
        if (clientDone || fromClientEnd > fromClientStart) return false;
        switch (tls.Read(fromClient, out int n))
        {
            case TlsStatus.Done:
                (fromClientStart, fromClientEnd) = (0, n);
                return true;
            case TlsStatus.WantRead: wantClientRead = true; return false;
            case TlsStatus.WantWrite: wantClientWrite = true; return false;
            case TlsStatus.Failed:
                // OpenSSL refusing a client's renegotiation, say: a log line, and the program's input ends.
                Log.Warning($"TLS input from {peer} ended: {tls.Error}");
                break;
        }
        clientDone = true;
        return true;
    }

    private bool BufferToProgram()
    {
        if (fromClientEnd == fromClientStart)
        {
            if (!clientDone || programInputClosed) return false;
            EndProgramInput();
            return true;
        }
        int n = program.Send(fromClient.AsSpan(fromClientStart, fromClientEnd - fromClientStart), SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            wantProgramWrite = true;
            return false;
        }
        if (error != SocketError.Success)
        {
            // The program stopped reading (it exited): what the client still sends goes nowhere.
            (fromClientStart, fromClientEnd, clientDone) = (0, 0, true);
            return true;
        }
        fromClientStart += n;
        return n > 0;
    }

    private bool ProgramToBuffer()
    {
        if (programDone || fromProgramLength > 0) return false;
        int n = program.Receive(fromProgram, 0, BufferSize, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            wantProgramRead = true;
            return false;
        }
        if (error != SocketError.Success || n == 0) programDone = true;
        else fromProgramLength = n;
        return true;
    }

    private bool BufferToClient()
    {
        if (fromProgramLength == 0) return false;
        switch (tls.Write(fromProgram.AsSpan(0, fromProgramLength)))
        {
            case TlsStatus.Done:
                fromProgramLength = 0;
                return true;
            case TlsStatus.WantRead: wantClientRead = true; return false;
            case TlsStatus.WantWrite: wantClientWrite = true; return false;
            case TlsStatus.Failed:
                Log.Warning($"TLS output to {peer} ended: {tls.Error}");
                break;
        }
        clientGone = true;   // the program will notice on its next write
        return true;
    }

    private void Wait()
    {
        var read = new List<Socket>(2);
        var write = new List<Socket>(2);
        if (wantClientRead) read.Add(client);
        if (wantProgramRead) read.Add(program);
        if (wantClientWrite) write.Add(client);
        if (wantProgramWrite) write.Add(program);
        if (read.Count + write.Count == 0) throw new InvalidOperationException("relay stalled with nothing to wait for");
        Socket.Select(read, write, null, -1);
    }

    private void EndProgramInput()
    {
        if (programInputClosed) return;
        programInputClosed = true;
        Ignore(() => program.Shutdown(SocketShutdown.Send));
    }

    private static void Ignore(Action shutdown)
    {
        try
        {
            shutdown();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }
}
