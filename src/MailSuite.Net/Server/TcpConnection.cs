// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>
/// One connection: banner, names, ident, rules, then the program with the socket as fds 0 and 1
/// and tcp-environ(5)'s variables: PROTO, TCPLOCALIP, TCPLOCALPORT, TCPLOCALHOST, TCPREMOTEIP,
/// TCPREMOTEPORT, TCPREMOTEHOST, TCPREMOTEINFO (IPv6 clients get PROTO=TCP6 and the same
/// variables). A rule that denies, or a rules file that cannot be read, closes the connection
/// without running the program: an error never means "allow".
/// </summary>
internal sealed class TcpConnection(Socket client, TcpServerOptions o, IConnectionHandoff handoff, Action<string> report)
{
    private static readonly string[] Ours = ["PROTO", "TCPLOCALIP", "TCPLOCALPORT", "TCPLOCALHOST", "TCPREMOTEIP", "TCPREMOTEPORT", "TCPREMOTEHOST", "TCPREMOTEINFO"];

    /// <summary>The client's address as text (IPv4-mapped addresses as IPv4).</summary>
    public static string RemoteIp(Socket s) => Text(((IPEndPoint)s.RemoteEndPoint!).Address);

    /// <summary>Serves the connection to its end.</summary>
    public void Run()
    {
        using (client)
        {
            var local = (IPEndPoint)client.LocalEndPoint!;
            var remote = (IPEndPoint)client.RemoteEndPoint!;
            if (o.Banner is not null) client.Send(Encoding.Latin1.GetBytes(o.Banner));
            if (o.NoDelay) client.NoDelay = true;
            string localHost = o.LocalName ?? Names.Reverse(local.Address) ?? "";
            string? remoteHost = o.LookUpRemoteHost ? Names.Reverse(remote.Address, o.Paranoid) : null;
            string? info = o.Ident ? Ident.Query(local, remote, o.IdentTimeout) : null;
            var vars = new Dictionary<string, string?>
            {
                ["PROTO"] = remote.Address.IsIPv4MappedToIPv6 || remote.AddressFamily == AddressFamily.InterNetwork ? "TCP" : "TCP6",
                ["TCPLOCALIP"] = Text(local.Address),
                ["TCPLOCALPORT"] = local.Port.ToString(),
                ["TCPLOCALHOST"] = localHost.Length > 0 ? localHost : null,
                ["TCPREMOTEIP"] = Text(remote.Address),
                ["TCPREMOTEPORT"] = remote.Port.ToString(),
                ["TCPREMOTEHOST"] = remoteHost,
                ["TCPREMOTEINFO"] = info,
            };
            string who = $"{Safe(localHost)}:{Text(local.Address)}:{local.Port} {Safe(remoteHost)}:{Text(remote.Address)}:{Safe(info)}:{remote.Port}";
            RuleDecision? decision = Decide(Text(remote.Address), remoteHost, info);
            if (decision is null || !decision.Allow)
            {
                report($"deny 0 {who}");
                return;
            }
            foreach (var (k, v) in decision.Environment) vars[k] = v;
            RunProgram(vars, who);
        }
    }

    private RuleDecision? Decide(string ip, string? host, string? info)
    {
        if (o.RulesCdb is null) return RuleDecision.Default;
        try
        {
            using CdbReader? cdb = CdbReader.Open(o.RulesCdb);
            if (cdb is null)
            {
                if (o.AllowWithoutRules) return RuleDecision.Default;
                report($"warning: dropping connection, unable to read {o.RulesCdb}: file does not exist");
                return null;
            }
            return TcpRules.Find(cdb, ip, host, info).Decision;
        }
        catch (FailureException e)
        {
            report($"warning: dropping connection, unable to read {o.RulesCdb}: {e.Failure.Text}");
            return null;
        }
    }

    private void RunProgram(Dictionary<string, string?> vars, string who)
    {
        int fd = (int)client.SafeHandle.DangerousGetHandle();
        Blocking.Clear(fd);   // the program reads and writes the socket with plain blocking calls
        Dictionary<string, string> env = Env.Snapshot();
        foreach (string name in Ours) env.Remove(name);
        foreach (var (k, v) in vars) if (v is not null) env[k] = v;
        int pid = 0;
        ExitStatus? status;
        try
        {
            status = handoff.Run(fd, env, started =>
            {
                pid = started;
                report($"pid {pid} from {vars["TCPREMOTEIP"]}");
                report($"ok {pid} {who}");
                client.Close();   // the child has its own copy; ours goes so the client sees the end when the child ends
            }, report);
        }
        catch (FailureException e)
        {
            report($"warning: {e.Failure.Text}");
            return;
        }
        if (status is ExitStatus s) report($"end {pid} status {(s.Exited ? s.Code * 256 : s.Signal)}");
    }

    private static string Text(IPAddress a) => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();

    // ucspi-tcp's log hygiene: ':' and unprintables become '?', fields are cut at 100 characters.
    private static string Safe(string? s)
    {
        if (s is null) return "";
        var b = new StringBuilder();
        foreach (char c in s.Length > 100 ? s[..100] : s) b.Append(c is > ' ' and <= '~' and not ':' ? c : '?');
        return b.ToString();
    }
}
