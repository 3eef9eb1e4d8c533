// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.SslServer;

/// <summary>
/// An sslrelay and sslserver's ends of its descriptors: the program's side of the plain socket
/// pair, where the session's SSL_* lines come, and, for a relay started ahead of its client, the
/// Unix socket the client's socket goes down. Started ahead, the relay has read the key, given up
/// root and made OpenSSL's context before the client comes, so a connection waits for none of it.
/// </summary>
internal sealed class RelayProcess : IDisposable
{
    private readonly SafeFileHandle? handover;

    private RelayProcess(int pid, SafeFileHandle program, SafeFileHandle session, SafeFileHandle? handover, string pem, byte[] ticketKey)
    {
        Pid = pid;
        Program = program;
        Session = session;
        this.handover = handover;
        Pem = pem;
        TicketKey = ticketKey;
    }

    public int Pid { get; }

    /// <summary>The plain side, for the program's fds 0 and 1.</summary>
    public SafeFileHandle Program { get; }

    /// <summary>Where sslrelay writes the session's SSL_* lines once the handshake is done.</summary>
    public SafeFileHandle Session { get; }

    /// <summary>The certificate it was given (a reload makes a waiting relay stale).</summary>
    public string Pem { get; }

    /// <summary>The ticket key it was given (a new key makes a waiting relay stale).</summary>
    public byte[] TicketKey { get; }

    /// <summary>A relay for a client already connected: <paramref name="socket"/> is its fd 0.</summary>
    public static RelayProcess ForClient(string relay, string account, int socket, string clientIp, string pem, byte[] ticketKey) =>
        Start(relay, [relay, account], socket, null, clientIp, pem, ticketKey);

    /// <summary>A relay that waits (sslrelay -w) for a client's socket from <see cref="Hand"/>.</summary>
    public static RelayProcess Waiting(string relay, string account, string pem, byte[] ticketKey)
    {
        SocketPair control = SocketPair.Create();
        try
        {
            return Start(relay, [relay, "-w", account], Pipe.Number(control.Second), control.First, "", pem, ticketKey);
        }
        finally
        {
            control.Second.Dispose();   // the relay's end; ours (First) is the new RelayProcess's, or disposed by Start on failure
        }
    }

    /// <summary>Gives a waiting relay its client; false when the relay is gone (it will be reaped by <see cref="Dispose"/>'s caller).</summary>
    public bool Hand(int socket, string clientIp) =>
        handover is not null && FdPassing.Send(Pipe.Number(handover), socket, Encoding.ASCII.GetBytes(clientIp.Length > 0 ? clientIp : "unknown"));

    private static RelayProcess Start(string relay, string[] argv, int fd0, SafeFileHandle? handover, string clientIp, string pem, byte[] ticketKey)
    {
        var pair = SocketPair.Create();
        using Pipe key = Pipe.Create();
        var session = Pipe.Create();
        using Pipe ticket = Pipe.Create();
        int pid;
        try
        {
            pid = Spawn.Start(new SpawnRequest(relay, argv, [$"TCPREMOTEIP={clientIp}"],
                new Dictionary<int, int> { [0] = fd0, [1] = Pipe.Number(pair.First), [2] = 2, [3] = Pipe.Number(key.Read),
                    [4] = Pipe.Number(session.Write), [5] = Pipe.Number(ticket.Read) }));
        }
        catch
        {
            pair.Dispose();
            session.Dispose();
            handover?.Dispose();
            throw;
        }
        pair.First.Dispose();
        key.Read.Dispose();
        session.Write.Dispose();
        ticket.Read.Dispose();
        _ = key.Feed(Encoding.ASCII.GetBytes(pem));   // a relay that died first reports no session
        _ = ticket.Feed(ticketKey);
        return new RelayProcess(pid, pair.Second, session.Read, handover, pem, ticketKey);
    }

    /// <summary>Closes sslserver's ends; a relay still waiting for a client sees the end and exits.</summary>
    public void Dispose()
    {
        handover?.Dispose();
        Program.Dispose();
        Session.Dispose();
    }
}
