// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common.Tests;

public class ByteStringTests
{
    [Theory]
    [InlineData("joe@example.com")]
    [InlineData("jörg@exämple.test")]
    [InlineData("用户@例子.测试")]
    public void Text_becomes_its_utf8_bytes_and_back_unchanged(string text)
    {
        string bytes = ByteString.FromText(text);
        Assert.Equal(Encoding.UTF8.GetBytes(text), Encoding.Latin1.GetBytes(bytes));
        Assert.Equal(text, ByteString.ToText(bytes));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_have_no_text()
    {
        Assert.Null(ByteString.ToText("j\u00f6rg@example.test"));   // Latin-1 ö, one byte 0xf6
        Assert.Null(ByteString.ToText("\u0100"));                   // not a byte string at all
    }
}
