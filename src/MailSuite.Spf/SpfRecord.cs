// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace MailSuite.Spf;

/// <summary>The mechanisms of RFC 7208 section 5.</summary>
internal enum Mechanism { All, Include, A, Mx, Ptr, Ip4, Ip6, Exists }

/// <summary>One directive: a qualifier's result, a mechanism, its domain-spec or network, its CIDR lengths.</summary>
internal sealed record Directive(string Text, SpfResult Qualifier, Mechanism Kind, string? DomainSpec, IPAddress? Network, int Cidr4, int Cidr6);

/// <summary>
/// An SPF record, parsed whole before anything is evaluated (RFC 7208 4.6: a syntax error
/// anywhere is a permerror): its directives in order, redirect= and exp=. Unknown modifiers are
/// checked for macro syntax and ignored; an unknown mechanism is a permerror.
/// </summary>
internal sealed partial record SpfRecord(IReadOnlyList<Directive> Directives, string? Redirect, string? Explanation)
{
    /// <summary>True for the text of an SPF record: "v=spf1" alone or followed by a space.</summary>
    public static bool IsSpf(string txt) =>
        txt.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (txt.Length == 6 || txt[6] == ' ');

    public static SpfRecord Parse(string text)
    {
        var directives = new List<Directive>();
        string? redirect = null, exp = null;
        foreach (string term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Match modifier = ModifierName().Match(term);
            if (!modifier.Success)
            {
                directives.Add(ParseDirective(term));
                continue;
            }
            string name = modifier.Groups[1].Value.ToLowerInvariant(), value = term[(modifier.Length)..];
            switch (name)
            {
                case "redirect":
                    if (redirect is not null) throw SpfError.Perm("redirect= appears twice");
                    redirect = CheckDomainSpec(value, term);
                    break;
                case "exp":
                    if (exp is not null) throw SpfError.Perm("exp= appears twice");
                    exp = CheckDomainSpec(value, term);
                    break;
                default:
                    Macro.CheckSyntax(value, term);
                    break;
            }
        }
        return new SpfRecord(directives, redirect, exp);
    }

    private static Directive ParseDirective(string term)
    {
        SpfResult qualifier = term[0] switch
        {
            '+' => SpfResult.Pass,
            '-' => SpfResult.Fail,
            '~' => SpfResult.SoftFail,
            '?' => SpfResult.Neutral,
            _ => SpfResult.None,
        };
        string rest = qualifier == SpfResult.None ? term : term[1..];
        if (qualifier == SpfResult.None) qualifier = SpfResult.Pass;
        int nameEnd = 0;
        while (nameEnd < rest.Length && char.IsAsciiLetterOrDigit(rest[nameEnd])) nameEnd++;
        string name = rest[..nameEnd].ToLowerInvariant(), arg = rest[nameEnd..];
        return name switch
        {
            "all" when arg.Length == 0 => new Directive(term, qualifier, Mechanism.All, null, null, 32, 128),
            "include" or "exists" when arg.StartsWith(':') =>
                new Directive(term, qualifier, name == "include" ? Mechanism.Include : Mechanism.Exists, CheckDomainSpec(arg[1..], term), null, 32, 128),
            "a" or "mx" => WithDomainAndCidr(term, qualifier, name == "a" ? Mechanism.A : Mechanism.Mx, arg),
            "ptr" when arg.Length == 0 => new Directive(term, qualifier, Mechanism.Ptr, null, null, 32, 128),
            "ptr" when arg.StartsWith(':') => new Directive(term, qualifier, Mechanism.Ptr, CheckDomainSpec(arg[1..], term), null, 32, 128),
            "ip4" when arg.StartsWith(':') => Network(term, qualifier, Mechanism.Ip4, arg[1..]),
            "ip6" when arg.StartsWith(':') => Network(term, qualifier, Mechanism.Ip6, arg[1..]),
            _ => throw SpfError.Perm($"unknown mechanism or bad syntax: {term}"),
        };
    }

    // a and mx: [":" domain-spec] [ "/" ip4-cidr ] [ "//" ip6-cidr ], the lengths read from the end.
    private static Directive WithDomainAndCidr(string term, SpfResult q, Mechanism kind, string arg)
    {
        int cidr6 = 128, cidr4 = 32;
        if (DualCidr().Match(arg) is { Success: true } m6)
        {
            cidr6 = Length(m6.Groups[1].Value, 128, term);
            arg = arg[..m6.Index];
        }
        if (Cidr().Match(arg) is { Success: true } m4)
        {
            cidr4 = Length(m4.Groups[1].Value, 32, term);
            arg = arg[..m4.Index];
        }
        if (arg.Length > 0 && !arg.StartsWith(':')) throw SpfError.Perm($"bad syntax: {term}");
        string? domain = arg.Length > 0 ? CheckDomainSpec(arg[1..], term) : null;
        return new Directive(term, q, kind, domain, null, cidr4, cidr6);
    }

    private static Directive Network(string term, SpfResult q, Mechanism kind, string arg)
    {
        int max = kind == Mechanism.Ip4 ? 32 : 128, cidr = max;
        if (Cidr().Match(arg) is { Success: true } m)
        {
            cidr = Length(m.Groups[1].Value, max, term);
            arg = arg[..m.Index];
        }
        bool ok = kind == Mechanism.Ip4 ? Ip4().IsMatch(arg) : arg.Contains(':') && !arg.Contains('%');
        if (!ok || !IPAddress.TryParse(arg, out IPAddress? net)) throw SpfError.Perm($"not an address: {term}");
        return new Directive(term, q, kind, null, net, kind == Mechanism.Ip4 ? cidr : 32, kind == Mechanism.Ip6 ? cidr : 128);
    }

    private static int Length(string digits, int max, string term) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= max ? n : throw SpfError.Perm($"bad CIDR length: {term}");

    // A domain-spec must end in a top label or a macro (pyspf's and RFC 7208's domain-end).
    private static string CheckDomainSpec(string spec, string term)
    {
        if (spec.Length == 0) throw SpfError.Perm($"empty domain: {term}");
        Macro.CheckSyntax(spec, term);
        if (!DomainEnd().IsMatch(spec)) throw SpfError.Perm($"not a fully qualified domain: {term}");
        return spec;
    }

    [GeneratedRegex(@"^([a-z][a-z0-9_\-.]*)=", RegexOptions.IgnoreCase)]
    private static partial Regex ModifierName();

    [GeneratedRegex(@"//(0|[1-9][0-9]*)$")]
    private static partial Regex DualCidr();

    [GeneratedRegex(@"/(0|[1-9][0-9]*)$")]
    private static partial Regex Cidr();

    [GeneratedRegex(@"^(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])(?:\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])){3}$")]
    private static partial Regex Ip4();

    [GeneratedRegex(@"(?:\.(?:[0-9a-z]*[a-z][0-9a-z]*|[0-9a-z]+-[0-9a-z-]*[0-9a-z])\.?|%(?:%|_|-|\{[^}]*\}))$", RegexOptions.IgnoreCase)]
    private static partial Regex DomainEnd();
}
