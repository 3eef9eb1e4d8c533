// SPDX-License-Identifier: MIT
using MailSuite.Remote.MtaSts;

namespace MailSuite.Programs.Tests.Remote;

// RFC 8461's TXT record and policy as qmail-remote reads them, with the RFC's own examples.
public sealed class MtaStsPolicyTests
{
    [Theory]
    [InlineData("v=STSv1; id=20160831085700Z;", "20160831085700Z")]
    [InlineData("v=STSv1;id=abc123", "abc123")]
    [InlineData("v=STSv1; foo=bar; id=x1 ;", "x1")]   // extension fields are ignored
    public void An_sts_txt_record_gives_its_id(string record, string id) =>
        Assert.Equal(id, StsRecord.IdOf(["some other record", record]));

    [Theory]
    [InlineData("v=STSv1;")]                                 // no id
    [InlineData("v=STSv1; id=has-a-dash;")]                  // id is letters and digits only
    [InlineData("v=STSv1; id=123456789012345678901234567890123;")]   // 33 characters
    [InlineData("v=STSv2; id=1;")]
    [InlineData("v=STSv1x; id=1;")]
    public void A_record_without_a_valid_id_or_version_announces_nothing(string record) =>
        Assert.Null(StsRecord.IdOf([record]));

    [Fact]
    public void Two_sts_records_announce_nothing() =>
        Assert.Null(StsRecord.IdOf(["v=STSv1; id=1;", "v=STSv1; id=2;"]));

    [Fact]
    public void The_rfc_example_policy_parses_with_crlf_or_lf()
    {
        const string Text = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";
        StsPolicy p = StsPolicy.Parse(Text, out string why) ?? throw new Xunit.Sdk.XunitException(why);
        Assert.Equal(StsMode.Enforce, p.Mode);
        Assert.Equal(604800, p.MaxAge);
        Assert.Equal(["mail.example.com", "*.example.net", "backupmx.example.com"], p.Mx);
        StsPolicy? lf = StsPolicy.Parse(Text.Replace("\r\n", "\n"), out _);
        Assert.Equal((p.Mode, p.MaxAge, string.Join(' ', p.Mx)), (lf?.Mode, lf?.MaxAge, string.Join(' ', lf?.Mx ?? [])));
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("MAIL.Example.COM.", true)]
    [InlineData("mx1.example.net", true)]
    [InlineData("example.net", false)]          // the star is exactly one label
    [InlineData("a.b.example.net", false)]
    [InlineData("evil-example.net", false)]
    [InlineData("mail.example.com.evil.test", false)]
    public void Mx_patterns_match_as_rfc_8461_4_1_says(string host, bool allowed)
    {
        StsPolicy p = StsPolicy.Parse("version: STSv1\nmode: testing\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400\n", out _)!;
        Assert.Equal(allowed, p.Allows(host));
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.test\nmax_age: 1\n", "version")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.test\nmax_age: 1\n", "mode")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.test\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.test\nmax_age: -5\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400\n", "mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a..test\nmax_age: 86400\n", "a..test")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *.*.test\nmax_age: 86400\n", "*.*.test")]
    public void A_policy_that_is_not_one_says_why(string text, string named)
    {
        Assert.Null(StsPolicy.Parse(text, out string why));
        Assert.Contains(named, why);
    }

    [Fact]
    public void Mode_none_needs_no_mx_and_the_first_of_a_repeated_field_counts()
    {
        StsPolicy p = StsPolicy.Parse("version: STSv1\nmode: none\nmode: enforce\nmax_age: 86400\nextension: ignored\n", out string why)
            ?? throw new Xunit.Sdk.XunitException(why);
        Assert.Equal(StsMode.None, p.Mode);
    }
}
