// SPDX-License-Identifier: MIT
using System.Text.Json;
using MailSuite.Common;

namespace MailSuite.EndToEnd.Tests;

/// <summary>
/// One run of Peers/mta_sts.py in a network namespace of its own: dnsmasq with the _mta-sts
/// records, Python's http.server over TLS serving the policies, aiosmtpd peers as MX hosts, and
/// our qmail-remote (as qmailr) delivering to each domain in turn; its reports, its log and what
/// each peer received are the results.
/// </summary>
public sealed class MtaStsRuns : IDisposable
{
    private readonly TempInstall install = new();

    public IReadOnlyDictionary<string, JsonElement> Steps { get; }

    public int QmailrUid { get; } = int.Parse(Harness.Ok("id", "-u", "qmailr").Stdout.Trim());

    public MtaStsRuns()
    {
        string work = Directory.CreateTempSubdirectory("mtasts").FullName;
        File.WriteAllText(Path.Combine(work, "resolv.conf"), "nameserver 127.0.0.1\n");
        Ran r = Harness.Run("unshare", ["--net", "--mount", "sh", "-c",
            "mount --bind \"$W/resolv.conf\" /etc/resolv.conf && exec /usr/bin/python3 \"$@\"", "sh",
            Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/mta_sts.py"), install.Prefix],
            env: new Dictionary<string, string> { ["W"] = work });
        Directory.Delete(work, true);
        Assert.True(r.Exit == 0, r.Stderr);
        Steps = JsonDocument.Parse(r.Stdout).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    public void Dispose() => install.Dispose();
}

public sealed class MtaStsTests(MtaStsRuns runs) : IClassFixture<MtaStsRuns>
{
    private string Report(string step) => runs.Steps[step].GetProperty("report").GetString()!;

    private string LogOf(string step) => runs.Steps[step].GetProperty("log").GetString()!;

    private JsonElement[] Received(string step) => runs.Steps[step].GetProperty("received").EnumerateArray().ToArray();

    private void AssertDeliveredTo(string step, string peer, bool tls)
    {
        Assert.True(Report(step).StartsWith("r|K", StringComparison.Ordinal), $"{step}: {Report(step)}\n{LogOf(step)}");
        JsonElement got = Assert.Single(Received(step));
        Assert.Equal(peer, got.GetProperty("peer").GetString());
        Assert.Equal(tls, got.GetProperty("tls").GetBoolean());
    }

    private void AssertRefused(string step, string reportStart)
    {
        Assert.True(Report(step).StartsWith(reportStart, StringComparison.Ordinal), $"{step}: {Report(step)}\n{LogOf(step)}");
        Assert.EndsWith("(#4.7.5)|", Report(step));
        Assert.Empty(Received(step));
    }

    [Fact]
    public void Enforce_delivers_to_a_listed_mx_over_tls_with_a_certificate_from_a_ca_in_tlsanchors()
    {
        AssertDeliveredTo("enforce", "mx.enf.test", tls: true);
        Assert.Contains("127.0.0.41 accepted message over TLS.", Report("enforce"));
    }

    [Fact]
    public void Enforce_refuses_an_mx_the_policy_does_not_list_and_the_mail_waits()
    {
        AssertRefused("outside-policy",
            "ZSorry, the MTA-STS policy of out.test (enforce) allows none of its MX hosts (rogue.out.test); it allows mx.out.test.");
    }

    [Fact]
    public void Enforce_refuses_an_mx_whose_certificate_does_not_verify()
    {
        AssertRefused("bad-certificate", "ZTLS with mx.bad.test (127.0.0.43) failed: its certificate does not verify: it is not signed by a CA I trust");
        Assert.Contains("the MTA-STS policy of bad.test (enforce)", Report("bad-certificate"));
    }

    [Fact]
    public void Testing_delivers_and_logs_what_enforce_would_have_refused()
    {
        AssertDeliveredTo("testing", "rogue.try.test", tls: true);
        string report = Report("testing");
        Assert.Contains("MTA-STS policy of try.test (testing) would have refused: rogue.try.test is not among its mx; " +
                        "the certificate of rogue.try.test does not verify: it is not signed by a CA I trust", report);
        Assert.Contains("warning: MTA-STS: the policy of try.test (testing) would refuse this delivery: rogue.try.test is not among its mx", LogOf("testing"));
    }

    [Fact]
    public void A_line_in_tlsdestinations_for_the_domain_wins_over_its_policy()
    {
        AssertDeliveredTo("tlsdestinations-wins", "rogue.named.test", tls: true);
        Assert.DoesNotContain("MTA-STS", LogOf("tlsdestinations-wins"));
    }

    [Theory]
    [InlineData("no-anchors", "mx.enf.test", "https://mta-sts.enf.test/.well-known/mta-sts.txt: its certificate does not verify: it is not signed by a CA I trust")]
    [InlineData("redirect", "rogue.moved.test", "https://mta-sts.moved.test/.well-known/mta-sts.txt answered 302 Found (only 200 counts; redirects are not followed)")]
    [InlineData("not-text-plain", "rogue.html.test", "https://mta-sts.html.test/.well-known/mta-sts.txt is served as text/html, not text/plain")]
    [InlineData("unreachable-policy", "rogue.late.test", "https://mta-sts.late.test/.well-known/mta-sts.txt")]
    public void A_policy_that_cannot_be_fetched_safely_is_as_none_and_the_log_says_why(string step, string peer, string why)
    {
        AssertDeliveredTo(step, peer, tls: true);
        Assert.Contains(why, LogOf(step));
        Assert.Contains("delivering as if it had none", LogOf(step));
    }

    [Fact]
    public void With_the_policy_server_gone_the_cached_policy_still_applies()
    {
        AssertDeliveredTo("cached-enforce", "mx.enf.test", tls: true);
        Assert.DoesNotContain("warning", LogOf("cached-enforce"));   // fresh and same id: not fetched again
        AssertRefused("cached-outside-policy", "ZSorry, the MTA-STS policy of out.test (enforce) allows none of its MX hosts");
    }

    [Fact]
    public void Policies_are_kept_in_queue_mtasts_as_qmailr_files_only_it_can_read()
    {
        Dictionary<string, JsonElement> cache = runs.Steps["cache"].EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(["bad.test", "enf.test", "out.test", "try.test"], cache.Keys.Order(StringComparer.Ordinal));
        Assert.All(cache.Values, f =>
        {
            Assert.Equal(runs.QmailrUid, f[0].GetInt32());
            Assert.Equal(Convert.ToInt32("600", 8), f[1].GetInt32());
        });
    }
}
