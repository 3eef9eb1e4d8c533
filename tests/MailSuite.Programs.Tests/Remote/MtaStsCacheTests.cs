// SPDX-License-Identifier: MIT
using MailSuite.Remote.MtaSts;

namespace MailSuite.Programs.Tests.Remote;

// queue/mtasts: a policy is kept until its max_age runs out, and a file that is not one is as none.
public sealed class MtaStsCacheTests : IDisposable
{
    private const string Text = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
    private readonly string dir = Directory.CreateTempSubdirectory("mtasts").FullName;
    private readonly DateTimeOffset fetched = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public void Dispose() => Directory.Delete(dir, true);

    private CachedPolicy Policy() => new("id1", fetched, StsPolicy.Parse(Text, out _)!, Text);

    [Fact]
    public void A_kept_policy_comes_back_until_its_max_age_runs_out_and_is_then_removed()
    {
        var cache = new StsCache(dir);
        cache.Save("example.test", Policy());

        CachedPolicy? again = cache.Load("example.test", fetched.AddHours(23));
        Assert.NotNull(again);
        Assert.Equal(("id1", fetched, StsMode.Enforce), (again.Id, again.Fetched, again.Policy.Mode));
        Assert.True(again.StaleAt(fetched.AddHours(13)));
        Assert.False(again.StaleAt(fetched.AddHours(11)));

        Assert.Null(cache.Load("example.test", fetched.AddDays(1)));
        Assert.False(File.Exists(Path.Combine(dir, "example.test")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("id1\nnot a time\n" + Text)]
    [InlineData("id1\n99999999999999\n" + Text)]
    [InlineData("id1\n1764676800\nversion: STSv1\nmode: enforce\n")]
    public void A_file_that_is_not_a_kept_policy_is_as_none(string content)
    {
        File.WriteAllText(Path.Combine(dir, "example.test"), content);
        Assert.Null(new StsCache(dir).Load("example.test", fetched));
    }
}
