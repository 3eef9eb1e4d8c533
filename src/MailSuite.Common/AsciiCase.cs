// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// qmail's case_lowerb: A-Z become a-z and every other byte stays. ToLowerInvariant would also
/// change Latin-1 letters (0xC0-0xDE), which breaks a UTF-8 local part read as Latin-1 bytes and
/// makes an address match a user or .qmail file qmail would not match.
/// </summary>
public static class AsciiCase
{
    /// <summary>The text with A-Z lowered and nothing else changed.</summary>
    public static string Lower(string text) => string.Create(text.Length, text, (span, s) =>
    {
        for (int i = 0; i < s.Length; i++) span[i] = s[i] is >= 'A' and <= 'Z' ? (char)(s[i] + ('a' - 'A')) : s[i];
    });
}
