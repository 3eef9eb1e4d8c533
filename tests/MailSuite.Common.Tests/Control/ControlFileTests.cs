// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Common.Tests.Control;

public class ControlFileTests
{
    public static TheoryData<string, string> FirstLines => new()
    {
        { "mail.example.com\n", "mail.example.com" },
        { "mail.example.com", "mail.example.com" },              // no trailing newline
        { "mail.example.com\r\n", "mail.example.com" },          // CRLF
        { "mail.example.com \t \n", "mail.example.com" },        // trailing white space
        { "  indented\n", "  indented" },                        // leading space kept, as qmail keeps it
        { "first\nsecond\n", "first" },
        { "", "" },                                              // empty file: empty value, not the default
        { "\nsecond\n", "" },
        { "# not a comment in a line file\n", "# not a comment in a line file" },
    };

    [Theory]
    [MemberData(nameof(FirstLines))]
    public void FirstLine_is_qmail_control_readline(string content, string expected) =>
        Assert.Equal(expected, ControlFile.FirstLine(Encoding.ASCII.GetBytes(content)));

    public static TheoryData<string, string[]> Lists => new()
    {
        { "a.example\nb.example\n", ["a.example", "b.example"] },
        { "a.example\r\nb.example\r\n", ["a.example", "b.example"] },
        { "a.example\nb.example", ["a.example", "b.example"] },
        { "# comment\na.example\n\n   \n#another\nb.example \n", ["a.example", "b.example"] },
        { "", [] },
        { "\n\n", [] },
        { " #indented hash is an entry\n", [" #indented hash is an entry"] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void Lines_skip_blank_and_comment_lines(string content, string[] expected) =>
        Assert.Equal(expected, ControlFile.Lines(Encoding.ASCII.GetBytes(content)));

    [Theory]
    [InlineData("1200", 1200L)]
    [InlineData("5000000 bytes", 5000000L)]
    [InlineData("0", 0L)]
    [InlineData("", null)]
    [InlineData("abc", null)]
    [InlineData("-5", null)]
    public void Number_is_scan_ulong(string line, long? expected) => Assert.Equal(expected, ControlFile.Number(line));
}
