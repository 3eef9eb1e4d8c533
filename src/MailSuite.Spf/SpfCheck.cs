// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailSuite.Dns;

namespace MailSuite.Spf;

/// <summary>
/// RFC 7208's check_host() for one client: the record of a domain, its directives left to right,
/// include and redirect, with the limits that keep an evaluation cheap: 10 terms that ask DNS
/// (include, a, mx, ptr, exists, redirect), 10 MX names a mechanism, 10 PTR names, 2 lookups
/// that find nothing. A lookup that fails is temperror, never a "no".
/// </summary>
public sealed class SpfCheck(Resolver dns, IPAddress client, string helo)
{
    private const int MaxLookups = 10, MaxMx = 10, MaxPtr = 10, MaxVoid = 2, MaxDepth = 20;
    private static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(20);   // RFC 7208 4.6.4: at least 20 s, then temperror
    private readonly long started = Environment.TickCount64;
    private readonly IPAddress ip = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
    private int lookups, voids;
    private string? validatedName;

    private bool V4 => ip.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>
    /// The result for a sender ("local@domain"; an empty MAIL FROM is checked as postmaster@helo
    /// by the caller's choice of identity).
    /// </summary>
    public SpfVerdict Check(string sender)
    {
        int at = sender.LastIndexOf('@');
        string domain = at < 0 ? sender : sender[(at + 1)..];
        if (at <= 0) sender = "postmaster@" + domain;
        try
        {
            return Evaluate(domain.TrimEnd('.'), sender, 0);
        }
        catch (SpfError e)
        {
            return new SpfVerdict(e.Result, e.Message);
        }
    }

    private SpfVerdict Evaluate(string domain, string sender, int depth)
    {
        if (depth > MaxDepth) throw SpfError.Perm("too many levels of include and redirect");
        string? text = FindRecord(domain);
        if (text is null) return new SpfVerdict(SpfResult.None, $"{domain} has no SPF record");
        SpfRecord record = SpfRecord.Parse(text);
        var values = new MacroValues(sender, domain, MacroIp(), V4 ? "in-addr" : "ip6", helo, ValidatedName);
        string? redirect = null;
        if (record.Redirect is not null)
        {
            Count();
            redirect = Macro.ExpandDomain(record.Redirect, values, "redirect=" + record.Redirect);
        }
        foreach (Directive d in record.Directives)
            if (Matches(d, domain, sender, values, depth)) return new SpfVerdict(d.Qualifier, $"{domain}: {d.Text}");
        if (redirect is null) return new SpfVerdict(SpfResult.Neutral, $"{domain}: no mechanism matched");
        SpfVerdict r = Evaluate(redirect, sender, depth + 1);
        return r.Result == SpfResult.None ? throw SpfError.Perm($"redirect to {redirect}, which has no SPF record") : r;
    }

    // The one TXT record of the domain that starts "v=spf1"; null when there is none or the
    // domain is not one a record can be found under.
    private string? FindRecord(string domain)
    {
        if (!ValidDomain(domain)) return null;
        DnsAnswer<byte[]> txt = dns.Txt(domain);
        if (txt.Status == DnsStatus.TempError) throw SpfError.Temp(txt.Reason);
        if (txt.Status == DnsStatus.None) Void();
        string[] spf = [.. txt.Records.Select(t => Encoding.Latin1.GetString(t)).Where(SpfRecord.IsSpf)];
        if (spf.Length > 1) throw SpfError.Perm($"{domain} has more than one SPF record");
        if (spf.Length == 1 && spf[0].Any(ch => ch > '~')) throw SpfError.Perm($"{domain}'s SPF record is not ASCII");
        return spf.Length == 1 ? spf[0] : null;
    }

    private bool Matches(Directive d, string domain, string sender, MacroValues values, int depth)
    {
        string Target() => d.DomainSpec is null ? domain : Macro.ExpandDomain(d.DomainSpec, values, d.Text);
        switch (d.Kind)
        {
            case Mechanism.All: return true;
            case Mechanism.Ip4: return V4 && InNetwork(ip, d.Network!, d.Cidr4);
            case Mechanism.Ip6: return !V4 && InNetwork(ip, d.Network!, d.Cidr6);
        }
        Count();
        switch (d.Kind)
        {
            case Mechanism.Include:
                SpfVerdict r = Evaluate(Target(), sender, depth + 1);
                if (r.Result == SpfResult.None) throw SpfError.Perm($"include of {Target()}, which has no SPF record");
                return r.Result == SpfResult.Pass;
            case Mechanism.Exists: return Addresses(Target(), ipv4: true).Count > 0;
            case Mechanism.A: return Addresses(Target(), V4).Any(a => InNetwork(ip, a, V4 ? d.Cidr4 : d.Cidr6));
            case Mechanism.Mx: return MxAddresses(Target()).Any(a => InNetwork(ip, a, V4 ? d.Cidr4 : d.Cidr6));
            default: return ValidatedNames().Any(n => IsWithin(n, Target()));
        }
    }

    private List<IPAddress> Addresses(string name, bool ipv4)
    {
        InTime();
        DnsAnswer<IPAddress> a = ipv4 ? dns.A(name) : dns.Aaaa(name);
        if (a.Status == DnsStatus.TempError) throw SpfError.Temp(a.Reason);
        if (a.Status == DnsStatus.None) Void();
        return [.. a.Records];
    }

    private List<IPAddress> MxAddresses(string name)
    {
        DnsAnswer<(int Preference, string Host)> mx = dns.Mx(name);
        if (mx.Status == DnsStatus.TempError) throw SpfError.Temp(mx.Reason);
        if (mx.Status == DnsStatus.None) Void();
        if (mx.Records.Count > MaxMx) throw SpfError.Perm($"{name} has more than {MaxMx} MX records");
        return [.. mx.Records.OrderBy(m => m.Preference).SelectMany(m => Addresses(m.Host, V4))];
    }

    // PTR names of the client whose own addresses include it (at most MaxPtr asked); a failed
    // lookup here only means no match.
    private List<string> ValidatedNames()
    {
        DnsAnswer<string> ptr = dns.Reverse(ReverseName());
        if (ptr.Status == DnsStatus.None) Void();
        var names = new List<string>();
        foreach (string name in ptr.Records.Take(MaxPtr))
        {
            DnsAnswer<IPAddress> a = V4 ? dns.A(name) : dns.Aaaa(name);
            if (a.Status == DnsStatus.None) Void();
            if (a.Records.Any(x => x.Equals(ip))) names.Add(name);
        }
        return names;
    }

    // %{p}: the validated name that is the domain or under it, else any, else "unknown".
    private string ValidatedName()
    {
        if (validatedName is not null) return validatedName;
        try
        {
            List<string> names = ValidatedNames();
            validatedName = names.FirstOrDefault() ?? "unknown";
        }
        catch (SpfError)
        {
            validatedName = "unknown";
        }
        return validatedName;
    }

    private static bool IsWithin(string name, string domain) =>
        name.Equals(domain, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    private void Count()
    {
        if (++lookups > MaxLookups) throw SpfError.Perm($"more than {MaxLookups} DNS-querying terms");
        InTime();
    }

    private void InTime()
    {
        if (Environment.TickCount64 - started > MaxTime.TotalMilliseconds) throw SpfError.Temp($"no answer within {MaxTime.TotalSeconds} s");
    }

    private void Void()
    {
        if (++voids > MaxVoid) throw SpfError.Perm($"more than {MaxVoid} lookups found nothing");
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        if (network.IsIPv4MappedToIPv6) network = network.MapToIPv4();
        if (address.AddressFamily != network.AddressFamily) return false;
        byte[] a = address.GetAddressBytes(), n = network.GetAddressBytes();
        for (int i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }

    // %{i}: dotted quad, or an IPv6 address as 32 nibbles separated by dots.
    private string MacroIp() => V4 ? ip.ToString()
        : string.Join('.', ip.GetAddressBytes().SelectMany(b => new[] { "0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 0xf] }));

    private string ReverseName() => V4
        ? string.Join('.', ip.GetAddressBytes().Reverse()) + ".in-addr.arpa"
        : string.Join('.', MacroIp().Split('.').Reverse()) + ".ip6.arpa";

    // Labels of 1 to 63 bytes, ending in a top label that is not all digits (a name DNS can ask).
    private static bool ValidDomain(string domain)
    {
        string[] labels = domain.Split('.');
        return labels.Length >= 2 && domain.Length <= 253 && labels.All(l => l.Length is > 0 and <= 63)
            && !labels[^1].All(char.IsAsciiDigit);
    }
}
