// SPDX-License-Identifier: MIT
namespace MailSuite.Common.Tests;

// The one time format of every log line: ISO 8601, UTC, microseconds.
public class LogStampTests
{
    [Fact]
    public void A_stamp_is_iso_8601_utc_with_microseconds()
    {
        var t = new DateTime(2026, 11, 29, 7, 5, 9, DateTimeKind.Utc).AddTicks(1234567);
        Assert.Equal("2026-11-29T07:05:09.123456Z", Log.Stamp(t));
        Assert.Equal(Log.StampLength, Log.Stamp(t).Length + 1);
    }

    [Theory]
    [InlineData("2026-11-29T07:05:09.123456Z status: local 0/10", "status: local 0/10")]
    [InlineData("status: local 0/10", "status: local 0/10")]
    [InlineData("2026-11-29T07:05:09.123456X status", "2026-11-29T07:05:09.123456X status")]
    [InlineData("2026-13-29T07:05:09.123456Z status", "2026-13-29T07:05:09.123456Z status")]
    public void Only_a_real_stamp_is_taken_off(string line, string without) => Assert.Equal(without, Log.WithoutStamp(line));
}
