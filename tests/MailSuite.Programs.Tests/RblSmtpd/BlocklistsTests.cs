// SPDX-License-Identifier: MIT
using System.Net;
using MailSuite.Dns;
using MailSuite.RblSmtpd;

namespace MailSuite.Programs.Tests.RblSmtpd;

public sealed class BlocklistsTests
{
    [Theory]
    [InlineData("192.0.2.7", "7.2.0.192.")]
    [InlineData("::ffff:192.0.2.7", "7.2.0.192.")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.")]
    [InlineData("", "")]
    public void An_address_is_reversed_as_blocklists_list_it(string ip, string reversed) =>
        Assert.Equal(reversed, Blocklists.Reverse(ip));

    [Fact]
    public void Every_list_after_the_deciding_one_is_never_asked()
    {
        var asked = new List<string>();
        DnsAnswer<byte[]> Txt(string name)
        {
            asked.Add(name);
            return name.EndsWith("one.test", StringComparison.Ordinal)
                ? new DnsAnswer<byte[]>(DnsStatus.Found, ["listed"u8.ToArray()]) : new DnsAnswer<byte[]>(DnsStatus.None, []);
        }
        Verdict v = new Blocklists("192.0.2.7", Txt, _ => new DnsAnswer<IPAddress>(DnsStatus.None, []))
            .Decide(null, [new('r', "zero.test"), new('r', "one.test"), new('r', "two.test")]);
        Assert.Equal("451 listed"u8.ToArray(), v.Reply());
        Assert.Equal(["7.2.0.192.zero.test", "7.2.0.192.one.test"], asked);
    }
}
