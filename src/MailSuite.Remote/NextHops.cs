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
/// and is bounced, as qmail does. DNS through DnsClient, at DNSCACHEIP or /etc/resolv.conf's servers.
/// </summary>
internal sealed class NextHops(RemoteConfig config)
{
    private readonly LookupClient dns = new(new LookupClientOptions(config.DnsServers.Select(ip => new NameServer(ip)).ToArray())
    {
        UseCache = false, Timeout = TimeSpan.FromSeconds(10), Retries = 2,
    });

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
            var groupHops = group.OrderBy(_ => Random.Shared.Next()).SelectMany(e => Resolve(e.Name).Select(a => new Hop(e.Name, a, port))).ToList();
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
        IDnsQueryResponse r = Query(host, QueryType.MX);
        if (r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            throw new FailureException(Failure.Permanent("5.1.2", $"Sorry, I couldn't find any host named {host}."));
        var list = r.Answers.MxRecords().Select(m => ((int)m.Preference, m.Exchange.Value.TrimEnd('.'))).ToList();
        return list.Count > 0 ? list : [(0, host)];
    }

    // AAAA before A: IPv6 first, as the world now does; a name with neither contributes nothing.
    // Either family may fail (many servers still answer AAAA with SERVFAIL or not at all): the
    // other's addresses are enough, and only when both fail is the lookup a failure.
    private List<IPAddress> Resolve(string name)
    {
        if (IPAddress.TryParse(name, out IPAddress? literal)) return [literal];
        (IDnsQueryResponse? aaaa, Failure? aaaaFailure) = TryQuery(name, QueryType.AAAA);
        (IDnsQueryResponse? a, Failure? aFailure) = TryQuery(name, QueryType.A);
        var addresses = new List<IPAddress>();
        if (aaaa is not null) addresses.AddRange(aaaa.Answers.AaaaRecords().Select(r => r.Address));
        if (a is not null) addresses.AddRange(a.Answers.ARecords().Select(r => r.Address));
        if (addresses.Count == 0 && (aFailure ?? aaaaFailure) is Failure failure) throw new FailureException(failure);
        return addresses;
    }

    private IDnsQueryResponse Query(string name, QueryType type)
    {
        (IDnsQueryResponse? r, Failure? failure) = TryQuery(name, type);
        return r ?? throw new FailureException(failure!);
    }

    private (IDnsQueryResponse? Response, Failure? Failure) TryQuery(string name, QueryType type)
    {
        try
        {
            IDnsQueryResponse r = dns.Query(name, type);
            if (!r.HasError || r.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) return (r, null);
            return (null, LookupFailed(name, type, r.Header.ResponseCode.ToString()));
        }
        catch (DnsResponseException e)
        {
            return (null, LookupFailed(name, type, e.Code == DnsResponseCode.ConnectionTimeout ? "timed out" : e.Code.ToString()));
        }
    }

    private Failure LookupFailed(string name, QueryType type, string why) => Failure.Temporary("4.4.3",
        $"DNS lookup of {name} ({type}) at {string.Join(' ', config.DnsServers.Select(s => s.ToString()))} failed temporarily: {why}.");

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
