// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Net;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.SslServer;

/// <summary>
/// sslserver's hand-off: sslrelay takes the client socket, the key (through a pipe, so it needs no
/// file access) and becomes the TLS account before the handshake; once it reports the session,
/// the program starts on the other end of a socketpair, with the session in SSL_* and the real
/// client in TCPREMOTEIP. The program runs with sslserver's ids, so qmail-popup can be root
/// while no TLS byte is ever parsed by root. The session-ticket key goes down a pipe of its own
/// (fd 5), so every sslrelay can resume a session another one began. One sslrelay is always
/// started ahead and waits, with the key read, root given up and OpenSSL ready, for the next
/// client's socket (see <see cref="RelayProcess"/>).
/// </summary>
internal sealed class TlsHandoff(IReadOnlyList<string> program, string pem, string relayPath, string tlsAccount, TicketKeys tickets) : IConnectionHandoff
{
    private string pem = pem;
    private RelayProcess? waiting;
    private int starting;

    /// <summary>A certificate and key reloaded on HUP: connections from now on get it; those under way keep theirs.</summary>
    public void Replace(string newPem) => Volatile.Write(ref pem, newPem);

    private static readonly string[] Copied = ["LOCALIP", "LOCALPORT", "LOCALHOST", "REMOTEIP", "REMOTEPORT", "REMOTEHOST", "REMOTEINFO"];

    public ExitStatus? Run(int socket, Dictionary<string, string> environment, Action<int> started, Action<string> report)
    {
        string client = environment.GetValueOrDefault("TCPREMOTEIP") ?? "";
        using RelayProcess relay = RelayFor(socket, client, report);
        Dictionary<string, string>? tls = ReadSession(relay.Session);
        if (tls is null)
        {
            report($"warning: no TLS session with {client}");
            Spawn.Wait(relay.Pid);
            return null;
        }
        Describe(environment, tls);
        int pid;
        try
        {
            pid = Spawn.Start(new SpawnRequest(Spawn.FindInPath(program[0]), program, Env.Strings(environment),
                new Dictionary<int, int> { [0] = Pipe.Number(relay.Program), [1] = Pipe.Number(relay.Program), [2] = 2 }));
        }
        finally
        {
            relay.Program.Dispose();   // on failure sslrelay sees the end at once and closes the client
        }
        started(pid);
        ExitStatus status = Spawn.Wait(pid);
        Spawn.Wait(relay.Pid);
        return status;
    }

    // The waiting relay when it has this certificate and ticket key and takes the socket, else a
    // relay started for this client; then the next one is started to wait, so each connection
    // finds a relay that has done its start-up already (Dovecot's process_min_avail, for one).
    private RelayProcess RelayFor(int socket, string client, Action<string> report)
    {
        string currentPem = Volatile.Read(ref pem);
        byte[] ticketKey = tickets.Current();
        RelayProcess? ready = Interlocked.Exchange(ref waiting, null);
        RelayProcess relay;
        if (ready is not null && ReferenceEquals(ready.Pem, currentPem) && ReferenceEquals(ready.TicketKey, ticketKey) && ready.Hand(socket, client))
            relay = ready;
        else
        {
            if (ready is not null) Discard(ready);
            relay = RelayProcess.ForClient(relayPath, tlsAccount, socket, client, currentPem, ticketKey);
        }
        StartWaiting(currentPem, ticketKey, report);
        return relay;
    }

    // One at a time: connections arriving together would otherwise each start one, and all but
    // one would be thrown away.
    private void StartWaiting(string currentPem, byte[] ticketKey, Action<string> report)
    {
        if (Volatile.Read(ref waiting) is not null || Interlocked.Exchange(ref starting, 1) == 1) return;
        try
        {
            RelayProcess next = RelayProcess.Waiting(relayPath, tlsAccount, currentPem, ticketKey);
            if (Interlocked.CompareExchange(ref waiting, next, null) is not null) Discard(next);
        }
        catch (FailureException e)
        {
            report($"warning: unable to start an sslrelay ahead of the next client: {e.Failure.Text}");
        }
        finally
        {
            Volatile.Write(ref starting, 0);
        }
    }

    // A waiting relay no longer wanted: closing its socket makes it exit; a thread reaps it.
    private static void Discard(RelayProcess relay)
    {
        relay.Dispose();
        int pid = relay.Pid;
        new Thread(() => Spawn.Wait(pid)) { IsBackground = true, Name = "reap sslrelay" }.Start();
    }

    private static Dictionary<string, string>? ReadSession(SafeFileHandle session)
    {
        using var reader = new StreamReader(new FileStream(session, FileAccess.Read, 1), Encoding.ASCII);
        var vars = new Dictionary<string, string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
            if (line.IndexOf('=') is int eq and > 0 && line.StartsWith("SSL_", StringComparison.Ordinal)) vars[line[..eq]] = line[(eq + 1)..];
        return vars.Count == 0 ? null : vars;
    }

    // ucspi-ssl's variables: PROTO=SSL, SSL* copies of the TCP* ones, the session's SSL_*; the TCP*
    // ones stay. Whatever SSL_* came from outside is replaced, never trusted.
    private static void Describe(Dictionary<string, string> env, Dictionary<string, string> tls)
    {
        foreach (string name in env.Keys.Where(k => k.StartsWith("SSL", StringComparison.Ordinal)).ToList()) env.Remove(name);
        env["PROTO"] = "SSL";
        foreach (string v in Copied)
            if (env.TryGetValue("TCP" + v, out string? value)) env["SSL" + v] = value;
        foreach (var (k, v) in tls) env[k] = v;
    }
}
