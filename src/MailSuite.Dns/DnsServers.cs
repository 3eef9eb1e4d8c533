// SPDX-License-Identifier: MIT
using System.Net;
using MailSuite.Common;

namespace MailSuite.Dns;

/// <summary>
/// The name servers to ask: djbdns's convention first (DNSCACHEIP names them, separated by spaces
/// or commas), else the nameserver lines of /etc/resolv.conf, read here as qmail's resolver reads
/// them: DnsClient's own search looks only at network interfaces and finds nothing where only lo is up.
/// </summary>
public static class DnsServers
{
    /// <summary>The servers this process's environment and the system name.</summary>
    public static IPAddress[] FromEnvironment() => DnsCacheIp(Env.Get("DNSCACHEIP")) ?? ResolvConf.Servers(ReadResolvConf());

    /// <summary>The addresses in a DNSCACHEIP value, or null when it names none.</summary>
    public static IPAddress[]? DnsCacheIp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var list = new List<IPAddress>();
        foreach (string part in value.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
            if (IPAddress.TryParse(part, out IPAddress? ip)) list.Add(ip);
        return list.Count > 0 ? [.. list] : null;
    }

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
}
