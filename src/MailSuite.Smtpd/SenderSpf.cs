// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using MailSuite.Common;
using MailSuite.Dns;
using MailSuite.Spf;

namespace MailSuite.Smtpd;

/// <summary>The SPF result for one MAIL FROM: which identity was checked, and the verdict.</summary>
internal sealed record SpfOutcome(SpfVerdict Verdict, string Identity, string Kind, string Helo);

/// <summary>
/// SPF at MAIL FROM (RFC 7208), as qmail's SPF patch places it: the MAIL FROM identity, or
/// postmaster@HELO for a bounce; control/spfbehavior decides what refuses (0 off; 1 header only,
/// the default; 2 temperror defers; 3 fail refuses; 4 softfail too; 5 neutral too; 6 anything
/// but pass). A DNS failure is never a permanent refusal.
/// </summary>
internal static class SenderSpf
{
    public static SpfOutcome? Check(SmtpConfig c, string? helo, string sender)
    {
        if (c.SpfBehavior == 0 || !IPAddress.TryParse(c.RemoteIp, out IPAddress? ip)) return null;
        string heloName = helo ?? "unknown";
        (string identity, string kind) = sender.Length > 0 ? (sender, "mailfrom") : ("postmaster@" + heloName, "helo");
        var check = new SpfCheck(new Resolver(DnsServers.FromEnvironment(), TimeSpan.FromSeconds(3), 1), ip, heloName);
        return new SpfOutcome(check.Check(identity), identity, kind, heloName);
    }

    /// <summary>The reply refusing MAIL under this behaviour, or null.</summary>
    public static string? Refusal(int behavior, SpfOutcome o) => o.Verdict.Result switch
    {
        SpfResult.TempError when behavior >= 2 => "451 SPF lookup failed temporarily, try again later (#4.4.3)",
        SpfResult.Fail when behavior >= 3 => Denied(o),
        SpfResult.SoftFail when behavior >= 4 => Denied(o),
        SpfResult.Neutral when behavior >= 5 => Denied(o),
        not SpfResult.Pass and not SpfResult.TempError when behavior >= 6 => Denied(o),
        _ => null,
    };

    private static string Denied(SpfOutcome o) =>
        $"550 sorry, SPF says {Quoted(Domain(o.Identity))} does not allow this host to send its mail ({o.Verdict.Word}) (#5.7.1)";

    /// <summary>RFC 7208 9.1's Received-SPF header field, one line, for the top of the message.</summary>
    public static string Header(SpfOutcome o, SmtpConfig c) =>
        $"Received-SPF: {o.Verdict.Word} ({Quoted(c.LocalHost)}: {Comment(o, c.RemoteIp)}) client-ip={Quoted(c.RemoteIp)}; " +
        $"envelope-from=\"{Quoted(o.Identity)}\"; helo=\"{Quoted(o.Helo)}\"; receiver={Quoted(c.LocalHost)}; identity={o.Kind};\n";

    private static string Comment(SpfOutcome o, string ip) => o.Verdict.Result switch
    {
        SpfResult.Pass => $"domain of {Quoted(o.Identity)} designates {Quoted(ip)} as permitted sender",
        SpfResult.Fail or SpfResult.SoftFail => $"domain of {Quoted(o.Identity)} does not designate {Quoted(ip)} as permitted sender",
        _ => Quoted(o.Verdict.Reason),
    };

    private static string Domain(string identity) => identity[(identity.LastIndexOf('@') + 1)..];

    // Printable ASCII only, and nothing that ends a quoted string or a comment: the client chose it.
    private static string Quoted(string s)
    {
        var b = new StringBuilder(Math.Min(s.Length, 256));
        foreach (char ch in s.Length > 256 ? s[..256] : s) b.Append(ch is >= ' ' and <= '~' and not '"' and not '\\' and not '(' and not ')' ? ch : '?');
        return b.ToString();
    }
}
