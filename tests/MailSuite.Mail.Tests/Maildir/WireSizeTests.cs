// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail.Tests.Maildir;

// RFC 1939's size: the stored message with CRLF line ends, whatever way it arrives in pieces.
public class WireSizeTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a\n", 3)]
    [InlineData("a\r\n", 3)]
    [InlineData("a", 3)]                 // a last line without an end gets one
    [InlineData("a\rb\n", 5)]            // a bare CR is sent as it is
    [InlineData(".dot\n..two\n", 13)]   // byte-stuffing is not counted
    [InlineData("Subject: x\n\nbody\nlast", 26)]
    public void Counts_crlf_line_ends_in_any_split(string stored, long expected)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(stored);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var size = new WireSize();
            size.Add(bytes.AsSpan(0, split));
            size.Add(bytes.AsSpan(split));
            Assert.Equal(expected, size.Total);
        }
    }

    [Theory]
    [InlineData("1700000000.M1P2Q3.host,S=120,W=125:2,S", 125L)]
    [InlineData("1700000000.M1P2Q3.host,S=120,W=125", 125L)]
    [InlineData("1700000000.M1P2Q3.host,W=7,S=1:2,", 7L)]
    [InlineData("1700000000.M1P2Q3.host:2,W=9", null)]   // after ':' is the reader's info, not the size
    [InlineData("1700000000.M1P2Q3.host,W=x", null)]
    [InlineData("1700000000.M1P2Q3.host", null)]
    public void The_w_field_is_read_from_the_unique_part_of_a_name(string name, long? expected) =>
        Assert.Equal(expected, WireSize.FromName(name));

    [Fact]
    public void The_name_fields_are_dovecots_shape() => Assert.Equal(",S=120,W=125", WireSize.NameFields(120, 125));
}
