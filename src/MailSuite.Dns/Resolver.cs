// SPDX-License-Identifier: MIT
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace MailSuite.Dns;

/// <summary>
/// Lookups that keep "none" and "could not find out" apart: NXDOMAIN or an empty answer is None;
/// a timeout, SERVFAIL, REFUSED or an unreadable reply is TempError. No cache: each program asks
/// once per decision, and a local dnscache or resolver caches for all of them.
/// </summary>
public sealed class Resolver(IPAddress[] servers, TimeSpan timeout, int retries)
{
    private readonly LookupClient client = new(new LookupClientOptions(servers.Select(ip => new NameServer(ip)).ToArray())
    {
        UseCache = false, Timeout = timeout, Retries = retries, ThrowDnsErrors = false, ContinueOnEmptyResponse = false,
    });

    /// <summary>The servers DNSCACHEIP or resolv.conf name, 5 s a try, 2 retries.</summary>
    public static Resolver FromEnvironment() => new(DnsServers.FromEnvironment(), TimeSpan.FromSeconds(5), 2);

    /// <summary>Each TXT record's strings joined, as bytes, in the order of the answer.</summary>
    public DnsAnswer<byte[]> Txt(string name) => Ask(name, QueryType.TXT, rs => rs.OfType<TxtRecord>().Select(TxtBytes.Of));

    /// <summary>The IPv4 addresses of a name.</summary>
    public DnsAnswer<IPAddress> A(string name) => Ask(name, QueryType.A, rs => rs.OfType<ARecord>().Select(r => r.Address));

    /// <summary>The IPv6 addresses of a name.</summary>
    public DnsAnswer<IPAddress> Aaaa(string name) => Ask(name, QueryType.AAAA, rs => rs.OfType<AaaaRecord>().Select(r => r.Address));

    /// <summary>The mail exchangers of a name, with their preferences.</summary>
    public DnsAnswer<(int Preference, string Host)> Mx(string name) =>
        Ask(name, QueryType.MX, rs => rs.OfType<MxRecord>().Select(m => ((int)m.Preference, m.Exchange.Value.TrimEnd('.'))));

    /// <summary>The names a reverse-lookup name (in-addr.arpa or ip6.arpa) points to.</summary>
    public DnsAnswer<string> Reverse(string name) => Ask(name, QueryType.PTR, rs => rs.OfType<PtrRecord>().Select(r => r.PtrDomainName.Value.TrimEnd('.')));

    private DnsAnswer<T> Ask<T>(string name, QueryType type, Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> pick)
    {
        IDnsQueryResponse response;
        try
        {
            response = client.Query(name, type);
        }
        catch (DnsResponseException e)
        {
            return Failed<T>($"{type} lookup of {name} failed: {DescribeFailure(e.Code)}");
        }
        catch (ArgumentException)
        {
            return new DnsAnswer<T>(DnsStatus.None, []);   // not a name DNS can carry (a label over 63 bytes, say): nothing can be listed under it
        }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) return new DnsAnswer<T>(DnsStatus.None, []);
        if (response.HasError) return Failed<T>($"{type} lookup of {name} failed: {response.ErrorMessage}");
        List<T> records = [.. pick(response.Answers)];
        return new DnsAnswer<T>(records.Count > 0 ? DnsStatus.Found : DnsStatus.None, records);
    }

    private static DnsAnswer<T> Failed<T>(string reason) => new(DnsStatus.TempError, [], reason);

    private static string DescribeFailure(DnsResponseCode code) => code switch
    {
        DnsResponseCode.ConnectionTimeout => "no answer (timed out)",
        DnsResponseCode.ServerFailure => "the server failed (SERVFAIL)",
        DnsResponseCode.Refused => "the server refused (REFUSED)",
        _ => $"error {(int)code}",
    };
}
