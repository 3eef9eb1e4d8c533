// SPDX-License-Identifier: MIT
using System.Net;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>qmail-remote's control files (qmail-control(5)) and the one variable it reads.</summary>
internal sealed record RemoteConfig(
    string HeloHost,
    IReadOnlyList<string> SmtpRoutes,
    IReadOnlyList<string> TlsDestinations,
    int TimeoutConnect,
    int TimeoutRemote,
    IPAddress[] DnsServers)
{
    public static RemoteConfig Load(ControlDir c) => new(
        c.LineOrMe("helohost"),
        c.List("smtproutes") ?? [],
        c.List("tlsdestinations") ?? [],
        (int)Math.Clamp(c.Number("timeoutconnect", 60), 1, 3600),
        (int)Math.Clamp(c.Number("timeoutremote", 1200), 1, 86400),
        DnsCacheIp(Env.Get("DNSCACHEIP")) ?? ResolvConf.Servers(ReadResolvConf()));

    private static string ReadResolvConf()
    {
        try
        {
            return File.ReadAllText(ResolvConf.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";   // no resolv.conf: the resolver's default, as res_init has it
        }
    }

    // djbdns's convention: DNSCACHEIP names the resolvers (separated by spaces or commas); unset,
    // the system's (/etc/resolv.conf), read here as qmail's resolver reads it: DnsClient's own
    // search looks only at network interfaces and finds nothing where only lo is up.
    private static IPAddress[]? DnsCacheIp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var list = new List<IPAddress>();
        foreach (string part in value.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
            if (IPAddress.TryParse(part, out IPAddress? ip)) list.Add(ip);
        return list.Count > 0 ? [.. list] : null;
    }
}
