// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.NetworkInformation;
using DnsClient;
using DnsClient.Protocol;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>One address to try, with the name it was found under (for TLS and for the log).</summary>
internal sealed record Hop(string Name, IPAddress Address, int Port);

/// <summary>
/// Where a message for a host goes, qmail-remote's choice: an smtproutes relay (its addresses,
/// no MX), an [ip] literal, or the host's MX records in preference order (equal preferences in
/// random order), the host itself (A/AAAA) when it has no MX. When this machine is among the MX
/// hosts, only the better ones are used; when it is the best, the mail "loops back to myself"
/// and is bounced, as qmail does.
/// </summary>
internal sealed class NextHops(RemoteConfig config, DnsLookup dns)
{
    public List<Hop> For(string host)
    {
        Relay? relay = Routes.Find(config.SmtpRoutes, host);
        if (relay?.Host is string relayHost) return Addresses(relayHost, relay.Port, mx: false);
        return Addresses(host, relay?.Port ?? Routes.SmtpPort, mx: true);
    }

    private List<Hop> Addresses(string host, int port, bool mx)
    {
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            string literal = host[1..^1];
            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase)) literal = literal[5..];
            return IPAddress.TryParse(literal, out IPAddress? ip) ? [new Hop(host, ip, port)]
                : throw new FailureException(Failure.Permanent("5.1.2", $"Sorry, {host} is not a valid address literal."));
        }
        var hops = new List<Hop>();
        List<(int Preference, string Name)> exchanges = mx ? Exchanges(host) : [(0, host)];
        HashSet<IPAddress> me = LocalAddresses();
        foreach (var group in exchanges.GroupBy(e => e.Preference).OrderBy(g => g.Key))
        {
            var groupHops = group.OrderBy(_ => Random.Shared.Next()).SelectMany(e => dns.Resolve(e.Name).Select(a => new Hop(e.Name, a, port))).ToList();
            if (groupHops.Any(h => me.Contains(h.Address)))
            {
                if (hops.Count == 0)
                    throw new FailureException(Failure.Permanent("5.4.6", "Sorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file, so I don't treat it as local."));
                break;   // only hosts better than ourselves
            }
            hops.AddRange(groupHops);
        }
        if (hops.Count == 0) throw new FailureException(Failure.Temporary("4.4.3", $"Sorry, I couldn't find any address for {host}."));
        return hops;
    }

    private List<(int, string)> Exchanges(string host)
    {
        IDnsQueryResponse r = dns.Query(host, QueryType.MX);
        if (r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            throw new FailureException(Failure.Permanent("5.1.2", $"Sorry, I couldn't find any host named {host}."));
        var list = r.Answers.MxRecords().Select(m => ((int)m.Preference, m.Exchange.Value.TrimEnd('.'))).ToList();
        return list.Count > 0 ? list : [(0, host)];
    }

    // qmail's ipme: the addresses of this machine's interfaces.
    private static HashSet<IPAddress> LocalAddresses()
    {
        var set = new HashSet<IPAddress> { IPAddress.Any, IPAddress.IPv6Any };
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (UnicastIPAddressInformation a in nic.GetIPProperties().UnicastAddresses)
                set.Add(a.Address);
        return set;
    }
}
