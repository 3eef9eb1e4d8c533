// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.Check;

/// <summary>The guide's "Check Configuration" list, each item a function: null when fine, else why not.</summary>
internal static class Checks
{
    public static readonly (string Item, Func<Settings, string?> Check)[] All =
    [
        ("listening ports are exactly the configured ones", Ports),
        ("plain POP3 is refused from addresses other than 127.0.0.1", PlainPop3Refused),
        ("SMTPS negotiates TLS 1.2 or later", s => Tls(s, "smtps")),
        ("POP3S negotiates TLS 1.2 or later", s => Tls(s, "pop3s")),
        ("POP3S never answers in clear (no password can cross it unencrypted)", Pop3sSilentInClear),
        ("every file under the prefix has a valid owner and group", Owners),
        ("no control file is writable by group or others", ControlModes),
        ("instcheck is clean", InstCheck),
        ("the integrity baseline (AIDE) is unchanged", Integrity.Check),
        ("a message from the test account to itself is delivered and retrievable over POP3S", RoundTrip),
    ];

    private static string? Ports(Settings s)
    {
        string bin = Path.Combine(s.Prefix, "bin") + "/";
        var actual = Listeners.OfPrograms(exe => exe.StartsWith(bin, StringComparison.Ordinal));
        var expected = s.Ports.Keys.Select(s.Endpoint).ToList();
        var extra = actual.Where(l => !expected.Contains(l.Endpoint)).Select(l => $"{l.Endpoint} ({l.Program}, pid {l.Pid})").Distinct().ToList();
        var missing = expected.Where(e => !actual.Any(l => l.Endpoint.Equals(e))).Select(e => e.ToString()).ToList();
        if (extra.Count == 0 && missing.Count == 0) return null;
        return string.Join("; ", (string[])[.. extra.Select(e => "unexpected listener " + e), .. missing.Select(m => "nothing listens on " + m)]);
    }

    private static string? PlainPop3Refused(Settings s)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000 };
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        socket.Connect(s.Endpoint("pop3"));
        byte[] buffer = new byte[512];
        int n;
        try
        {
            n = socket.Receive(buffer);
        }
        catch (SocketException)
        {
            return null;   // reset: refused
        }
        return n == 0 ? null : $"127.0.0.2 got a greeting: {System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim()}";
    }

    private static string? Tls(Settings s, string service)
    {
        using var client = new TcpClient();
        client.Connect(s.Endpoint(service));
        using var tls = Probe.StartTls(client.GetStream(), s);
        return tls.SslProtocol is System.Security.Authentication.SslProtocols.Tls12 or System.Security.Authentication.SslProtocols.Tls13
            ? null : $"negotiated {tls.SslProtocol}";
    }

    private static string? Pop3sSilentInClear(Settings s)
    {
        using var client = new TcpClient();
        client.Connect(s.Endpoint("pop3s"));
        client.ReceiveTimeout = 5000;
        NetworkStream net = client.GetStream();
        net.Write("USER nobody\r\n"u8);
        byte[] buffer = new byte[512];
        int n;
        try
        {
            n = net.Read(buffer);
        }
        catch (IOException)
        {
            return null;
        }
        string answer = System.Text.Encoding.Latin1.GetString(buffer, 0, n);
        return answer.Contains("+OK", StringComparison.Ordinal) || answer.Contains("-ERR", StringComparison.Ordinal) ? "it answered a command in clear" : null;
    }

    private static string? Owners(Settings s)
    {
        var bad = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(s.Prefix, "*", SearchOption.AllDirectories))
        {
            FileStatus? st = FileStatus.Of(path);
            if (st is null) continue;
            if (Accounts.Find(st.Uid) is null || Accounts.GroupName(st.Gid) == st.Gid.ToString()) bad.Add($"{path} ({st.Uid}:{st.Gid})");
            if (bad.Count >= 5) break;
        }
        return bad.Count == 0 ? null : "no such owner or group: " + string.Join(", ", bad);
    }

    private static string? ControlModes(Settings s)
    {
        var bad = Directory.EnumerateFiles(Path.Combine(s.Prefix, "control"))
            .Where(f => FileStatus.Of(f) is { } st && (st.Mode & Convert.ToInt32("022", 8)) != 0)
            .Select(f => $"{f} (mode {Convert.ToString(FileStatus.Of(f)!.Mode & 0xfff, 8)})").ToList();
        return bad.Count == 0 ? null : string.Join(", ", bad);
    }

    private static string? InstCheck(Settings s)
    {
        ExitStatus status = Spawn.Run(new SpawnRequest(Path.Combine(s.Prefix, "bin/instcheck"), ["instcheck", "--prefix", s.Prefix], Env.Current(),
            new Dictionary<int, int> { [0] = 0, [1] = 2, [2] = 2 }));
        return status.Exited && status.Code == 0 ? null : $"instcheck {status} (its lines above say what)";
    }

    private static string? RoundTrip(Settings s) => Probe.RoundTrip(s);
}
