// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Dns;

namespace MailSuite.AuthResults;

/// <summary>What RFC 7489 decided: the result word, the policy that applies, the From domain.</summary>
internal sealed record DmarcOutcome(string Result, string Policy, string FromDomain);

/// <summary>
/// DMARC (RFC 7489): the From domain's record (_dmarc.DOMAIN, else at its organizational domain),
/// then pass if an SPF pass or a DKIM pass is aligned with the From domain (relaxed: the same
/// organizational domain; strict, with aspf=s or adkim=s: the same name).
/// </summary>
internal sealed class Dmarc(Resolver dns, Lazy<PublicSuffix> psl)
{
    public DmarcOutcome Evaluate(string? fromDomain, string? spfResult, string? spfIdentity, IEnumerable<DkimOutcome> dkim)
    {
        if (fromDomain is null) return new DmarcOutcome("permerror", "none", "");
        string org = Organizational(fromDomain);
        (Dictionary<string, string>? tags, string? failure) = Record(fromDomain);
        bool atOrg = false;
        if (tags is null && failure is null && org != fromDomain)
        {
            (tags, failure) = Record(org);
            atOrg = true;
        }
        if (failure is not null) return new DmarcOutcome("temperror", "none", fromDomain);
        if (tags is null) return new DmarcOutcome("none", "none", fromDomain);
        string policy = atOrg && tags.TryGetValue("sp", out string? sp) ? sp : tags.GetValueOrDefault("p", "none");
        bool strictSpf = tags.GetValueOrDefault("aspf") == "s", strictDkim = tags.GetValueOrDefault("adkim") == "s";
        string? spfDomain = spfIdentity?[(spfIdentity.LastIndexOf('@') + 1)..];
        bool spfAligned = spfResult == "pass" && spfDomain is not null && Aligned(spfDomain, fromDomain, strictSpf);
        bool dkimAligned = dkim.Any(d => d.Result == "pass" && Aligned(d.Domain, fromDomain, strictDkim));
        return new DmarcOutcome(spfAligned || dkimAligned ? "pass" : "fail", policy is "reject" or "quarantine" ? policy : "none", fromDomain);
    }

    private bool Aligned(string a, string b, bool strict) =>
        a.Equals(b, StringComparison.OrdinalIgnoreCase) || (!strict && Organizational(a) == Organizational(b));

    // The public suffix list (~9,000 rules) is read only when a name has subdomains to strip:
    // for example.com the organizational domain is the name itself whatever the list says.
    private string Organizational(string domain) =>
        domain.Count(c => c == '.') <= 1 ? domain.ToLowerInvariant().TrimEnd('.') : psl.Value.Organizational(domain);

    // The one v=DMARC1 record at _dmarc.DOMAIN as tags; (null, null) when there is none.
    private (Dictionary<string, string>? Tags, string? Failure) Record(string domain)
    {
        DnsAnswer<byte[]> txt = dns.Txt("_dmarc." + domain);
        if (txt.Status == DnsStatus.TempError) return (null, txt.Reason);
        string[] records = [.. txt.Records.Select(r => Encoding.ASCII.GetString(r)).Where(r => r.StartsWith("v=DMARC1", StringComparison.Ordinal))];
        if (records.Length != 1) return (null, null);
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in records[0].Split(';'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) tags[part[..eq].Trim()] = part[(eq + 1)..].Trim().ToLowerInvariant();
        }
        return (tags, null);
    }
}
