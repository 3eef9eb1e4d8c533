// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Common.Tests;

public class FailureTests
{
    [Fact]
    public void Temporary_renders_as_111_451_and_Z()
    {
        var f = Failure.Temporary("4.3.0", "qq write error or disk full");
        Assert.False(f.IsPermanent);
        Assert.Equal(111, f.ExitCode);
        Assert.Equal("451 qq write error or disk full (#4.3.0)", f.SmtpReply);
        Assert.Equal("Zqq write error or disk full (#4.3.0)", f.StatusLine);
    }

    [Fact]
    public void Permanent_renders_as_100_554_and_D()
    {
        var f = Failure.Permanent("5.1.1", "Sorry, no mailbox here by that name.");
        Assert.True(f.IsPermanent);
        Assert.Equal(100, f.ExitCode);
        Assert.Equal("554 Sorry, no mailbox here by that name. (#5.1.1)", f.SmtpReply);
        Assert.Equal("DSorry, no mailbox here by that name. (#5.1.1)", f.StatusLine);
        Assert.Equal("-ERR Sorry, no mailbox here by that name.", f.Pop3Reply);
    }

    [Theory]
    [InlineData("5.1.1")]
    [InlineData("2.0.0")]
    public void Kind_cannot_disagree_with_the_status(string status) =>
        Assert.Throws<ArgumentException>(() => Failure.Temporary(status, "x"));

    [Fact]
    public void Text_is_one_line() =>
        Assert.Throws<ArgumentException>(() => Failure.Permanent("5.0.0", "two\r\nlines"));

    [Fact]
    public void Unexpected_trouble_is_temporary()
    {
        var f = Failure.Unexpected("reading envelope", new IOException("Input/output error"));
        Assert.Equal(111, f.ExitCode);
        Assert.StartsWith("reading envelope: IOException", f.Text);
    }

    [Fact]
    public void Log_lines_are_one_line_of_printable_ascii()
    {
        Log.Init("qmail-test");
        Assert.Equal("qmail-test: warning: from <evil_injected line_>", Log.Format("warning", "from <evil\ninjected line\u00e9>"));
    }
}
