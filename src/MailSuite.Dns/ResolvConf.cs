// SPDX-License-Identifier: MIT
using System.Net;

namespace MailSuite.Dns;

/// <summary>
/// The "nameserver" lines of resolv.conf(5), in order, at most three as the resolver takes them;
/// none means 127.0.0.1, the resolver's default. Comments start with '#' or ';'.
/// </summary>
public static class ResolvConf
{
    /// <summary>Where the system's resolver configuration lives.</summary>
    public const string Path = "/etc/resolv.conf";
    private const int MaxServers = 3;

    /// <summary>The name servers a resolv.conf text names.</summary>
    public static IPAddress[] Servers(string text)
    {
        var servers = new List<IPAddress>();
        foreach (string raw in text.Split('\n'))
        {
            string[] words = raw.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] != "nameserver") continue;
            string address = words[1].Split('%')[0];   // fe80::1%eth0: the scope is for the kernel, not for us
            if (IPAddress.TryParse(address, out IPAddress? ip) && servers.Count < MaxServers) servers.Add(ip);
        }
        return servers.Count > 0 ? [.. servers] : [IPAddress.Loopback];
    }
}
