// SPDX-License-Identifier: MIT
using MailSuite.RcptD;

namespace MailSuite.Programs.Tests.RcptD;

public sealed class StatHelperTests
{
    [Theory]
    [InlineData("/home/ann/.qmail-lists", true)]
    [InlineData("/home/ann/.qmail-x/y", true)]   // an extension with '/' is what qmail-local would open
    [InlineData("/var/qmail/alias/.qmail-default", true)]
    [InlineData("/etc/shadow", false)]
    [InlineData("/home/ann/.qmail-x/../../../etc/shadow", false)]
    [InlineData("home/ann/.qmail", false)]
    [InlineData("", false)]
    public void The_root_half_looks_only_at_dot_qmail_paths(string path, bool allowed) =>
        Assert.Equal(allowed, StatHelper.IsDotQmailPath(path));

    [Fact]
    public void A_path_it_may_not_look_at_gets_no_answer_and_a_missing_file_is_absent()
    {
        Assert.Equal(DotQmailKind.Trouble, StatHelper.Answer("/etc/shadow"));
        Assert.Equal(DotQmailKind.Absent, StatHelper.Answer("/nonexistent-dir/.qmail-x"));
    }
}
