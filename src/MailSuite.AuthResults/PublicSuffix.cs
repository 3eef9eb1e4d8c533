// SPDX-License-Identifier: MIT
namespace MailSuite.AuthResults;

/// <summary>
/// Organizational domains (RFC 7489 3.2) from the Public Suffix List as Debian's publicsuffix
/// package ships it: the public suffix (the longest matching rule; "*" wildcards; "!" exceptions
/// win; no match means the last label) plus one more label.
/// </summary>
internal sealed class PublicSuffix(HashSet<string> rules)
{
    public const string DebianList = "/usr/share/publicsuffix/public_suffix_list.dat";

    public static PublicSuffix Load(string path = DebianList)
    {
        var rules = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(path))
            foreach (string raw in File.ReadLines(path))
            {
                string line = raw.Trim();
                if (line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal)) rules.Add(line.Split(' ')[0]);
            }
        return new PublicSuffix(rules);
    }

    /// <summary>The organizational domain of a name (the name itself when it is a public suffix).</summary>
    public string Organizational(string domain)
    {
        string[] labels = domain.ToLowerInvariant().TrimEnd('.').Split('.');
        int suffix = SuffixLabels(labels);
        return suffix >= labels.Length ? string.Join('.', labels) : string.Join('.', labels[^(suffix + 1)..]);
    }

    private int SuffixLabels(string[] labels)
    {
        int best = 1;
        for (int n = labels.Length; n >= 1; n--)
        {
            string candidate = string.Join('.', labels[^n..]);
            if (rules.Contains("!" + candidate)) return n - 1;
            string wildcard = n > 1 ? "*." + string.Join('.', labels[^(n - 1)..]) : "*";
            if (rules.Contains(candidate) || rules.Contains(wildcard)) best = Math.Max(best, n);
        }
        return best;
    }
}
