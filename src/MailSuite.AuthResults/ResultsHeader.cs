// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.AuthResults;

/// <summary>
/// The Authentication-Results field (RFC 8601) this host adds, and the removal of any that came
/// with the message claiming to be this host's (section 5: a forged one would be believed).
/// </summary>
internal static class ResultsHeader
{
    public static string Format(string authservId, string? spfResult, string? spfIdentity, List<DkimOutcome> dkim, string arc, DmarcOutcome dmarc)
    {
        var parts = new List<string>();
        if (spfResult is not null) parts.Add($"spf={Clean(spfResult)} smtp.mailfrom={Clean(spfIdentity ?? "")}");
        if (dkim.Count == 0) parts.Add("dkim=none");
        foreach (DkimOutcome d in dkim) parts.Add($"dkim={d.Result} header.d={Clean(d.Domain)} header.s={Clean(d.Selector)} header.b={Clean(d.B)}");
        parts.Add($"arc={arc}");
        parts.Add($"dmarc={dmarc.Result} (p={dmarc.Policy}) header.from={Clean(dmarc.FromDomain)}");
        return $"Authentication-Results: {Clean(authservId)};\n\t" + string.Join(";\n\t", parts) + "\n";
    }

    // Only what a result field may hold: the values came from the message and from DNS.
    private static string Clean(string s)
    {
        var b = new StringBuilder(Math.Min(s.Length, 255));
        foreach (char c in s.Length > 255 ? s[..255] : s) b.Append(c is > ' ' and <= '~' and not ';' and not '(' and not ')' and not '"' and not '\\' ? c : '?');
        return b.Length > 0 ? b.ToString() : "?";
    }

    /// <summary>The message without header fields "Authentication-Results: AUTHSERV-ID;..." (any case, folded or not).</summary>
    public static byte[] WithoutForged(byte[] message, string authservId)
    {
        var kept = new MemoryStream(message.Length);
        int pos = 0;
        while (pos < message.Length)
        {
            if (message[pos] == '\n' || (message[pos] == '\r' && pos + 1 < message.Length && message[pos + 1] == '\n')) break;   // the blank line
            int end = FieldEnd(message, pos);
            if (!IsOurs(Encoding.Latin1.GetString(message, pos, end - pos), authservId)) kept.Write(message.AsSpan(pos, end - pos));
            pos = end;
        }
        kept.Write(message.AsSpan(pos));   // the blank line and the body, unchanged
        return kept.ToArray();
    }

    // Where the header field starting at pos ends: after its last continuation line.
    private static int FieldEnd(byte[] m, int pos)
    {
        while (true)
        {
            int nl = Array.IndexOf(m, (byte)'\n', pos);
            if (nl < 0) return m.Length;
            pos = nl + 1;
            if (pos >= m.Length || m[pos] is not ((byte)' ' or (byte)'\t')) return pos;
        }
    }

    private static bool IsOurs(string field, string authservId)
    {
        const string Name = "authentication-results:";
        if (!field.StartsWith(Name, StringComparison.OrdinalIgnoreCase)) return false;
        string id = field[Name.Length..].Split([';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        return id.Equals(authservId, StringComparison.OrdinalIgnoreCase);
    }
}
