// SPDX-License-Identifier: MIT
using System.Reflection;
using System.Text.RegularExpressions;
using MailSuite.Smtpd;

namespace MailSuite.Programs.Tests.Smtpd;

// qmail-smtpd's reply catalogue: a temporary reply (4xx) never carries a permanent enhanced code
// (5.x.x) or the reverse, so a client's retry logic and a person reading the log agree.
public partial class RepliesTests
{
    private static string[] All() => typeof(Replies).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!).ToArray();

    public static TheoryData<string> Catalogue() => new(All());

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void The_enhanced_code_has_the_replys_class(string reply)
    {
        Match m = Enhanced().Match(reply);
        if (!m.Success) return;   // 2xx, 3xx and replies without an enhanced code
        Assert.Equal(m.Groups["reply"].Value, m.Groups["status"].Value);
    }

    [Fact]
    public void The_catalogue_is_not_empty_and_has_temporary_and_permanent_replies()
    {
        string[] all = All();
        Assert.Contains(all, r => Enhanced().Match(r) is { Success: true } m && m.Groups["reply"].Value == "4");
        Assert.Contains(all, r => Enhanced().Match(r) is { Success: true } m && m.Groups["reply"].Value == "5");
    }

    [GeneratedRegex(@"^(?<reply>[45])\d\d .*\(#(?<status>[45])\.\d+\.\d+\)$")]
    private static partial Regex Enhanced();
}
