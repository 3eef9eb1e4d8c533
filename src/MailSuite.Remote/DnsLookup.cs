// SPDX-License-Identifier: MIT
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>
/// qmail-remote's DNS: DnsClient asking DNSCACHEIP or /etc/resolv.conf's servers, no cache (each
/// run is one delivery), failures as qmail-remote's temporary failures naming the lookup.
/// </summary>
internal sealed class DnsLookup(IPAddress[] servers)
{
    private readonly LookupClient dns = new(new LookupClientOptions(servers.Select(ip => new NameServer(ip)).ToArray())
    {
        UseCache = false, Timeout = TimeSpan.FromSeconds(10), Retries = 2,
    });

    /// <summary>The answer, NXDOMAIN included (an answer too); any other error throws the failure.</summary>
    public IDnsQueryResponse Query(string name, QueryType type)
    {
        (IDnsQueryResponse? r, Failure? failure) = TryQuery(name, type);
        return r ?? throw new FailureException(failure!);
    }

    /// <summary>The answer, or why there is none (SERVFAIL, REFUSED, a timeout).</summary>
    public (IDnsQueryResponse? Response, Failure? Failure) TryQuery(string name, QueryType type)
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

    /// <summary>
    /// A name's addresses, AAAA before A: IPv6 first, as the world now does. Either family may
    /// fail (many servers still answer AAAA with SERVFAIL or not at all): the other's addresses
    /// are enough, and only when both fail is the lookup a failure.
    /// </summary>
    public List<IPAddress> Resolve(string name)
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

    private Failure LookupFailed(string name, QueryType type, string why) => Failure.Temporary("4.4.3",
        $"DNS lookup of {name} ({type}) at {string.Join(' ', servers.Select(s => s.ToString()))} failed temporarily: {why}.");
}
