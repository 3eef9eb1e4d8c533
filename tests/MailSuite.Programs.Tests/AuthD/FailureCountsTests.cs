// SPDX-License-Identifier: MIT
using MailSuite.AuthD;

namespace MailSuite.Programs.Tests.AuthD;

// qmail-authd's per-address memory of failed logins: the guesser waits longer each time and is
// locked out; a success forgets; other addresses are untouched.
public class FailureCountsTests
{
    private const long Now = 1_800_000_000;

    [Fact]
    public void Each_failure_waits_a_second_longer_up_to_ten_and_the_limit_locks_the_address_out()
    {
        var counts = new FailureCounts(new AuthLimits(5, 900));
        int[] delays = Enumerable.Range(0, 5).Select(_ => (int)counts.Failed("192.0.2.7", Now).Delay.TotalSeconds).ToArray();
        Assert.Equal([2, 3, 4, 5, 6], delays);
        Assert.Equal(900, counts.LockedFor("192.0.2.7", Now));
        Assert.Equal(0, counts.LockedFor("192.0.2.8", Now));
        Assert.Equal(0, counts.LockedFor("192.0.2.7", Now + 900));
        for (int i = 0; i < 20; i++) counts.Failed("198.51.100.1", Now);
        Assert.Equal(10, counts.Failed("198.51.100.1", Now).Delay.TotalSeconds);
    }

    [Fact]
    public void The_lock_happens_once_and_a_success_or_a_new_window_forgets()
    {
        var counts = new FailureCounts(new AuthLimits(3, 60));
        Assert.False(counts.Failed("a", Now).LockedNow);
        Assert.False(counts.Failed("a", Now).LockedNow);
        Assert.True(counts.Failed("a", Now).LockedNow);
        Assert.False(counts.Failed("a", Now).LockedNow);
        counts.Succeeded("a");
        Assert.Equal(0, counts.LockedFor("a", Now));
        counts.Failed("b", Now);
        counts.Failed("b", Now);
        Assert.Equal(1, counts.Failed("b", Now + 61).Count);   // the window ended: counting starts over
    }

    [Fact]
    public void Without_lockout_only_the_delay_grows()
    {
        var counts = new FailureCounts(new AuthLimits(0, 0));
        for (int i = 0; i < 50; i++) Assert.False(counts.Failed("a", Now).LockedNow);
        Assert.Equal(0, counts.LockedFor("a", Now));
    }

    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("local", "local")]
    [InlineData(null, "unknown")]
    public void Ipv6_addresses_count_by_their_64(string? client, string key) => Assert.Equal(key, FailureCounts.Key(client));

    [Theory]
    [InlineData("10:900", 10, 900)]
    [InlineData(" 3:60 ", 3, 60)]
    [InlineData("0", 0, 0)]
    public void Authlimits_reads_failures_and_seconds(string line, int failures, long seconds) =>
        Assert.Equal(new AuthLimits(failures, seconds), AuthLimits.Parse(line));

    [Theory]
    [InlineData("ten")]
    [InlineData("10")]
    [InlineData("10:0")]
    [InlineData("-1:60")]
    [InlineData("10:900:1")]
    public void A_malformed_authlimits_is_refused(string line) => Assert.Null(AuthLimits.Parse(line));
}
