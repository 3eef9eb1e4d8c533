// SPDX-License-Identifier: MIT
using System.Globalization;

namespace MailSuite.Scan;

/// <summary>What a scanner said: spam or not by its own threshold, the score, that threshold, the rules that hit.</summary>
internal sealed record ScanResult(string Scanner, bool Spam, double Score, double Required, string Symbols)
{
    private static string N(double d) => d.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>SpamAssassin's header fields, which users' filters already know, for either scanner.</summary>
    public string Fields() =>
        (Spam ? "X-Spam-Flag: YES\n" : "") +
        $"X-Spam-Status: {(Spam ? "Yes" : "No")}, score={N(Score)} required={N(Required)} scanner={Scanner}\n" +
        (Symbols.Length > 0 ? $"\ttests={Clean(Symbols)}\n" : "");

    // Scanner output goes into a header: printable ASCII, no folding tricks, bounded.
    private static string Clean(string s)
    {
        var b = new System.Text.StringBuilder();
        foreach (char c in s.Length > 900 ? s[..900] : s) b.Append(c is > ' ' and <= '~' ? c : '_');
        return b.ToString();
    }
}
