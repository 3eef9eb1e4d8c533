// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.SslServer;

/// <summary>
/// sslserver's hand-off: sslrelay takes the client socket, the key (through a pipe, so it needs no
/// file access) and becomes the TLS account before the handshake; once it reports the session,
/// the program starts on the other end of a socketpair, with the session in SSL_* and the real
/// client in TCPREMOTEIP. The program runs with sslserver's ids, so qmail-popup can be root
/// while no TLS byte is ever parsed by root. The session-ticket key goes down a pipe of its own
/// (fd 5), so every sslrelay can resume a session another one began.
/// </summary>
internal sealed class TlsHandoff(IReadOnlyList<string> program, string pem, string relay, string tlsAccount, TicketKeys tickets) : IConnectionHandoff
{
    private string pem = pem;

    /// <summary>A certificate and key reloaded on HUP: connections from now on get it; those under way keep theirs.</summary>
    public void Replace(string newPem) => Volatile.Write(ref pem, newPem);

    private static readonly string[] Copied = ["LOCALIP", "LOCALPORT", "LOCALHOST", "REMOTEIP", "REMOTEPORT", "REMOTEHOST", "REMOTEINFO"];

    public ExitStatus? Run(int socket, Dictionary<string, string> environment, Action<int> started, Action<string> report)
    {
        using SocketPair pair = SocketPair.Create();
        using Pipe key = Pipe.Create();
        using Pipe session = Pipe.Create();
        using Pipe ticketKey = Pipe.Create();
        int relayPid = Spawn.Start(new SpawnRequest(relay, [relay, tlsAccount], [$"TCPREMOTEIP={environment.GetValueOrDefault("TCPREMOTEIP")}"],
            new Dictionary<int, int> { [0] = socket, [1] = Pipe.Number(pair.First), [2] = 2, [3] = Pipe.Number(key.Read), [4] = Pipe.Number(session.Write),
                [5] = Pipe.Number(ticketKey.Read) }));
        pair.First.Dispose();
        key.Read.Dispose();
        session.Write.Dispose();
        ticketKey.Read.Dispose();
        _ = key.Feed(Encoding.ASCII.GetBytes(Volatile.Read(ref pem)));   // an sslrelay that died first reports no session below
        _ = ticketKey.Feed(tickets.Current());
        Dictionary<string, string>? tls = ReadSession(session);
        if (tls is null)
        {
            report($"warning: no TLS session with {environment.GetValueOrDefault("TCPREMOTEIP")}");
            Spawn.Wait(relayPid);
            return null;
        }
        Describe(environment, tls);
        int pid;
        try
        {
            pid = Spawn.Start(new SpawnRequest(Spawn.FindInPath(program[0]), program, Env.Strings(environment),
                new Dictionary<int, int> { [0] = Pipe.Number(pair.Second), [1] = Pipe.Number(pair.Second), [2] = 2 }));
        }
        finally
        {
            pair.Second.Dispose();   // on failure sslrelay sees the end at once and closes the client
        }
        started(pid);
        ExitStatus status = Spawn.Wait(pid);
        Spawn.Wait(relayPid);
        return status;
    }

    private static Dictionary<string, string>? ReadSession(Pipe session)
    {
        using var reader = new StreamReader(new FileStream(session.Read, FileAccess.Read, 1), Encoding.ASCII);
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
