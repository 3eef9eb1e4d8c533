// SPDX-License-Identifier: MIT
using System.Text;
using DnsClient.Protocol;

namespace MailSuite.Dns;

/// <summary>
/// The bytes of a TXT record's strings, joined. DnsClient gives them twice, decoded as UTF-8
/// (exact for valid UTF-8) and escaped (bytes outside 32..126 as \DDD, '"' as \"): the first
/// unless it had to replace a byte, else the second undone.
/// </summary>
internal static class TxtBytes
{
    public static byte[] Of(TxtRecord record)
    {
        string utf8 = string.Concat(record.Text);
        if (!utf8.Contains('\uFFFD')) return Encoding.UTF8.GetBytes(utf8);
        var bytes = new List<byte>();
        foreach (string escaped in record.EscapedText) Unescape(escaped, bytes);
        return [.. bytes];
    }

    private static void Unescape(string s, List<byte> into)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsDigits(s, i + 1) && int.Parse(s.AsSpan(i + 1, 3)) is int b and < 256)
            {
                into.Add((byte)b);
                i += 3;
            }
            else if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '"')
            {
                into.Add((byte)'"');
                i++;
            }
            else into.Add((byte)s[i]);
        }
    }

    private static bool IsDigits(string s, int at) =>
        at + 3 <= s.Length && char.IsAsciiDigit(s[at]) && char.IsAsciiDigit(s[at + 1]) && char.IsAsciiDigit(s[at + 2]);
}
