// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Spf;

/// <summary>What the macro letters of RFC 7208 section 7 stand for in one evaluation.</summary>
internal sealed record MacroValues(string Sender, string Domain, string Ip, string IpVersion, string Helo, Func<string> ValidatedName);

/// <summary>
/// RFC 7208 section 7's macro-string: %{letter digits r delimiters}, %%, %_ and %-. A part is
/// split at the delimiters (default '.'), reversed with r, cut to its rightmost N parts and
/// joined with '.'; an upper-case letter URL-encodes the result. c, r and t belong to
/// explanations only, which are not expanded here.
/// </summary>
internal static class Macro
{
    private const string Letters = "slodiphv";
    private const string Delimiters = ".-+,/_=";

    public static void CheckSyntax(string text, string term) => Expand(text, null, term);

    /// <summary>The expanded domain-spec: no trailing dot, and cut from the left to 253 bytes.</summary>
    public static string ExpandDomain(string text, MacroValues values, string term)
    {
        string s = Expand(text, values, term);
        if (s.EndsWith('.')) s = s[..^1];
        while (s.Length > 253 && s.IndexOf('.') is int dot and >= 0) s = s[(dot + 1)..];
        return s;
    }

    private static string Expand(string text, MacroValues? values, string term)
    {
        var b = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '%')
            {
                if (c is < '!' or > '~') throw SpfError.Perm($"bad character in {term}");
                b.Append(c);
                continue;
            }
            if (i + 1 >= text.Length) throw SpfError.Perm($"a lone % in {term}");
            switch (text[++i])
            {
                case '%': b.Append('%'); break;
                case '_': b.Append(' '); break;
                case '-': b.Append("%20"); break;
                case '{':
                    int end = text.IndexOf('}', i);
                    if (end < 0) throw SpfError.Perm($"an unclosed macro in {term}");
                    b.Append(One(text[(i + 1)..end], values, term));
                    i = end;
                    break;
                default: throw SpfError.Perm($"a bad macro in {term}");
            }
        }
        return b.ToString();
    }

    // letter [digits] ["r"] [delimiters], inside the braces.
    private static string One(string body, MacroValues? values, string term)
    {
        if (body.Length == 0 || !Letters.Contains(char.ToLowerInvariant(body[0]))) throw SpfError.Perm($"a bad macro letter in {term}");
        int i = 1, keep = 0;
        while (i < body.Length && char.IsAsciiDigit(body[i])) keep = Math.Min(keep * 10 + (body[i++] - '0'), 1000);
        if (i > 1 && keep == 0) throw SpfError.Perm($"a macro keeping 0 parts in {term}");
        bool reverse = i < body.Length && (body[i] == 'r' || body[i] == 'R') && ++i > 0;
        string delimiters = body[i..];
        if (delimiters.Any(d => !Delimiters.Contains(d))) throw SpfError.Perm($"a bad macro delimiter in {term}");
        if (values is null) return "";
        string value = Value(char.ToLowerInvariant(body[0]), values);
        string[] parts = value.Split(delimiters.Length > 0 ? delimiters.ToCharArray() : ['.']);
        if (reverse) Array.Reverse(parts);
        if (keep > 0 && keep < parts.Length) parts = parts[^keep..];
        string joined = string.Join('.', parts);
        return char.IsUpper(body[0]) ? Uri.EscapeDataString(joined) : joined;
    }

    private static string Value(char letter, MacroValues v) => letter switch
    {
        's' => v.Sender,
        'l' => v.Sender[..v.Sender.LastIndexOf('@')],
        'o' => v.Sender[(v.Sender.LastIndexOf('@') + 1)..],
        'd' => v.Domain,
        'i' => v.Ip,
        'p' => v.ValidatedName(),
        'v' => v.IpVersion,
        _ => v.Helo,
    };
}
