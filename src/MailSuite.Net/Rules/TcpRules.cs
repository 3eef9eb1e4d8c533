// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>The rule that decided, and its key ("" for the default).</summary>
public sealed record RuleMatch(string? Key, RuleDecision Decision);

/// <summary>
/// ucspi-tcp's rules database: compiled from text by tcprules, consulted by tcpserver for each
/// connection (the file is re-opened each time, so a new cdb takes effect at once).
/// </summary>
public static class TcpRules
{
    /// <summary>Compiles rules text into a cdb (via <paramref name="tmp"/> and rename); returns the offending line on a syntax error.</summary>
    public static string? Compile(TextReader text, string cdb, string tmp)
    {
        using var writer = new CdbWriter(cdb, tmp: tmp);
        string? line;
        while ((line = text.ReadLine()) is not null)
        {
            TcpRule? rule = TcpRule.Parse(line, out string? error);
            if (error is not null) return error;
            if (rule is null) continue;
            byte[] data = rule.Decision.ToCdbData();
            foreach (string key in rule.Keys) writer.Add(Encoding.Latin1.GetBytes(key), data);
        }
        writer.Commit();
        return null;
    }

    /// <summary>
    /// The first rule that applies, in ucspi-tcp's order: info@ip, info@=host, ip, =host, the ip's
    /// prefixes ending with '.' (or ':' for IPv6) longest first, =.suffixes of host longest first,
    /// "=" (any named host), and "" (the default). No match: allow.
    /// </summary>
    public static RuleMatch Find(CdbReader cdb, string ip, string? host, string? info)
    {
        foreach (string key in Keys(ip, host, info))
            if (cdb.Find(Encoding.Latin1.GetBytes(key)) is { } data) return new RuleMatch(key, RuleDecision.FromCdbData(data));
        return new RuleMatch(null, RuleDecision.Default);
    }

    /// <summary>The keys tried for a client, in order.</summary>
    public static IEnumerable<string> Keys(string ip, string? host, string? info)
    {
        if (info is not null)
        {
            yield return $"{info}@{ip}";
            if (host is not null) yield return $"{info}@={host}";
        }
        yield return ip;
        if (host is not null) yield return $"={host}";
        char separator = ip.Contains(':') ? ':' : '.';
        for (int end = ip.Length - 1; end > 0; end--)
            if (ip[end - 1] == separator) yield return ip[..end];
        if (host is not null)
        {
            for (int dot = host.IndexOf('.'); dot >= 0; dot = host.IndexOf('.', dot + 1)) yield return $"={host[dot..]}";
            yield return "=";
        }
        yield return "";
    }
}
