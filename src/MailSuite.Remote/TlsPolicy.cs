// SPDX-License-Identifier: MIT
using MailSuite.Remote.MtaSts;

namespace MailSuite.Remote;

/// <summary>How much TLS a destination gets.</summary>
internal enum TlsLevel
{
    /// <summary>STARTTLS when offered, any certificate; clear text otherwise (opportunistic).</summary>
    May,

    /// <summary>TLS or no delivery; any certificate.</summary>
    Encrypt,

    /// <summary>TLS with a certificate valid (system CAs, control/tlsanchors.pem) for the MX or relay name.</summary>
    Verify,

    /// <summary>TLS with exactly the certificate whose SHA-256 fingerprint is given.</summary>
    Pin,
}

/// <summary>
/// A destination's TLS policy; Fingerprint only with Pin (hex, no colons, upper case). Source
/// says who asked for it, for the texts; Audit is set under an MTA-STS policy in testing mode.
/// </summary>
internal sealed record TlsPolicy(TlsLevel Level, string? Fingerprint = null, string Source = "control/tlsdestinations", StsAudit? Audit = null)
{
    public bool Required => Level != TlsLevel.May;

    /// <summary>
    /// The policy for a host: control/tlsdestinations when a line names it (a.b.c or a suffix
    /// .b.c: the administrator's word wins), else its MTA-STS policy when it has one (enforce:
    /// "verify"; testing: as without, audited), else tlsdestinations' default line, else "may".
    /// </summary>
    public static TlsPolicy For(IReadOnlyList<string> lines, string host, StsPolicy? sts) => sts?.Mode switch
    {
        StsMode.Enforce => new TlsPolicy(TlsLevel.Verify, Source: $"the MTA-STS policy of {host} (enforce)"),
        StsMode.Testing => For(lines, host) with { Audit = new StsAudit(host, sts) },
        _ => For(lines, host),
    };

    /// <summary>
    /// control/tlsdestinations: lines "domain:policy" looked up as smtproutes are (a.b.c, .b.c, .c,
    /// then the empty default), policy "may", "encrypt", "verify" or "fingerprint=HEX". Anything
    /// else is "encrypt": a typo must never lower security.
    /// </summary>
    public static TlsPolicy For(IReadOnlyList<string> lines, string host) =>
        Routes.Lookup(lines, host) is string policy ? Parse(policy.Trim()) : new TlsPolicy(TlsLevel.May);

    private static TlsPolicy Parse(string p) => p.ToLowerInvariant() switch
    {
        "may" => new TlsPolicy(TlsLevel.May),
        "verify" => new TlsPolicy(TlsLevel.Verify),
        _ when p.StartsWith("fingerprint=", StringComparison.OrdinalIgnoreCase) =>
            new TlsPolicy(TlsLevel.Pin, p["fingerprint=".Length..].Replace(":", "").ToUpperInvariant()),
        _ => new TlsPolicy(TlsLevel.Encrypt),
    };
}
