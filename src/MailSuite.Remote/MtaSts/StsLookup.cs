// SPDX-License-Identifier: MIT
using DnsClient;
using MailSuite.Common;

namespace MailSuite.Remote.MtaSts;

/// <summary>
/// The MTA-STS policy that applies to a domain now (RFC 8461 3.3 and 5.1): the TXT record at
/// _mta-sts.DOMAIN announces one with an id; a cached policy fetched under that id is used while
/// fresh, else the policy is fetched and cached. When no policy can be discovered or fetched, a
/// cached one that has not expired still applies; with none, the domain is treated as having no
/// policy. A domain that is not a DNS name (an address literal, UTF-8) has none.
/// </summary>
internal sealed class StsLookup(DnsLookup dns, StsCache cache, PolicyFetcher fetcher)
{
    public StsPolicy? For(string domain)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        if (!MailSuite.Mail.DomainKeyFiles.IsSafeName(domain) || !domain.Contains('.')) return null;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        CachedPolicy? cached = cache.Load(domain, now);
        string? id = AnnouncedId(domain);
        if (id is null || (cached is not null && cached.Id == id && !cached.StaleAt(now))) return cached?.Policy;
        string? text = fetcher.Fetch(domain, out string why);
        StsPolicy? fetched = text is null ? null : StsPolicy.Parse(text, out why);
        if (fetched is null)
        {
            string fallback = cached is null ? "delivering as if it had none" : "using the policy kept from before";
            Log.Warning($"MTA-STS: {domain} announces a policy (id {id}) but {why}; {fallback}");
            return cached?.Policy;
        }
        cache.Save(domain, new CachedPolicy(id, now, fetched, text!));
        return fetched;
    }

    // A lookup that fails is no announcement: the cached policy, if any, decides.
    private string? AnnouncedId(string domain)
    {
        (IDnsQueryResponse? r, Failure? failure) = dns.TryQuery("_mta-sts." + domain, QueryType.TXT);
        if (r is null)
        {
            Log.Warning($"MTA-STS: {failure}");
            return null;
        }
        return StsRecord.IdOf(r.Answers.TxtRecords().Select(t => string.Concat(t.Text)));
    }
}
