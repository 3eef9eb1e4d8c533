// SPDX-License-Identifier: MIT
namespace MailSuite.Common.Tests;

// qmail lowers A-Z only: 8-bit bytes (a UTF-8 local part read as Latin-1) stay as they are.
public class AsciiCaseTests
{
    [Theory]
    [InlineData("Ann-Lists", "ann-lists")]
    [InlineData("caf\u00c3\u00a9", "caf\u00c3\u00a9")]            // UTF-8 "café" as Latin-1 chars: unchanged
    [InlineData("\u00c0\u00de\u00dfXYZ", "\u00c0\u00de\u00dfxyz")]
    [InlineData("", "")]
    public void Only_a_to_z_are_lowered(string text, string lowered) => Assert.Equal(lowered, AsciiCase.Lower(text));
}
