// SPDX-License-Identifier: MIT
namespace MailSuite.Remote.MtaSts;

/// <summary>What a policy asks of senders (RFC 8461 5).</summary>
internal enum StsMode
{
    /// <summary>No policy: deliver as without MTA-STS.</summary>
    None,

    /// <summary>Deliver as usual, report what enforce would refuse.</summary>
    Testing,

    /// <summary>Only listed MX hosts, only over TLS with a valid certificate.</summary>
    Enforce,
}

/// <summary>
/// An MTA-STS policy (RFC 8461 3.2): "key: value" lines (LF or CRLF), version STSv1, mode,
/// max_age in seconds (at most 31557600), one "mx" line per allowed MX pattern ("mx.example.com"
/// or "*.example.com", the star standing for exactly one leftmost label). Unknown keys are
/// ignored; of a repeated key other than mx the first counts.
/// </summary>
internal sealed record StsPolicy(StsMode Mode, long MaxAge, IReadOnlyList<string> Mx)
{
    public const long LongestMaxAge = 31557600;

    /// <summary>The policy in text, or null with the reason it is not one.</summary>
    public static StsPolicy? Parse(string text, out string why)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var mx = new List<string>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            string key = line[..colon], value = line[(colon + 1)..].Trim(' ', '\t');
            if (key == "mx") mx.Add(value.ToLowerInvariant());
            else fields.TryAdd(key, value);
        }
        why = Problem(fields, mx, out StsMode mode, out long maxAge) ?? "";
        return why.Length == 0 ? new StsPolicy(mode, maxAge, mx) : null;
    }

    private static string? Problem(Dictionary<string, string> fields, List<string> mx, out StsMode mode, out long maxAge)
    {
        mode = StsMode.None;
        maxAge = 0;
        if (fields.GetValueOrDefault("version") != "STSv1") return "it has no \"version: STSv1\" line";
        mode = fields.GetValueOrDefault("mode") switch
        {
            "enforce" => StsMode.Enforce, "testing" => StsMode.Testing, "none" => StsMode.None, _ => (StsMode)(-1),
        };
        if (!Enum.IsDefined(mode)) return "its mode is not enforce, testing or none";
        string age = fields.GetValueOrDefault("max_age") ?? "";
        if (age.Length is 0 or > 10 || !age.All(char.IsAsciiDigit) || (maxAge = long.Parse(age)) > LongestMaxAge)
            return $"its max_age is not a number of seconds up to {LongestMaxAge}";
        if (mode != StsMode.None && mx.Count == 0) return "it names no mx";
        if (mx.FirstOrDefault(p => !IsPattern(p)) is string bad) return $"\"{bad}\" is not an MX host name or *.domain pattern";
        return null;
    }

    private static bool IsPattern(string p) => MailSuite.Mail.DomainKeyFiles.IsSafeName(p.StartsWith("*.", StringComparison.Ordinal) ? p[2..] : p);

    /// <summary>Whether an MX host name is one the policy lists (RFC 8461 4.1), case and a final dot aside.</summary>
    public bool Allows(string mxHost)
    {
        string host = mxHost.TrimEnd('.').ToLowerInvariant();
        return Mx.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
            ? host.Length >= p.Length && host.EndsWith(p[1..], StringComparison.Ordinal) && host.IndexOf('.') == host.Length - p.Length + 1
            : host == p);
    }
}
