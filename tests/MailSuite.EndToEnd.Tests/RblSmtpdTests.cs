// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace MailSuite.EndToEnd.Tests;

/// <summary>One rblsmtpd run: the client's address, $RBLSMTPD (null: unset), the arguments and what the client sends.</summary>
public sealed record RblCase(string Name, string Ip, string? Rblsmtpd, string[] Args, string Input, bool CompareLog = true);

/// <summary>
/// Runs every case through Debian's rblsmtpd (ucspi-tcp) and ours once, in a network namespace
/// whose DNS is a dnsmasq serving a blocklist (bl.test, bl2.test), an anti-blocklist (allow.test)
/// and nothing else: names outside .test are REFUSED, a failed lookup.
/// </summary>
public sealed class RblRuns
{
    private const string Dialogue = "HELO client.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\nNOOP\r\nQUIT\r\n";
    private const string Odd = "ehlo x\r\nNoOp\r\nQUITx\r\nRSET\0junk\r\n\r\n \r\nmail\r\nhelo\xe9\r\nDATA" +
        "\r\nvrfy root\nRCPT TO:<\xff\xfe>\r\nquit now\r\nHELO after quit\r\n";
    private static readonly string LongLine = "MAIL " + new string('x', 100_000) + "\r\n";
    private static readonly string Program = "/bin/cat";   // a client let through sees its own input back: nothing was read before exec

    public static readonly RblCase[] Cases =
    [
        new("listed", "127.0.0.2", null, ["-r", "bl.test", Program], Dialogue),
        new("listed-b", "127.0.0.2", null, ["-b", "-r", "bl.test", Program], Dialogue),
        new("listed-b-after-r", "127.0.0.2", null, ["-r", "bl.test", "-b", Program], Dialogue),
        new("listed-two-records", "127.0.0.3", null, ["-r", "bl.test", Program], Dialogue),
        new("listed-long-8bit-text", "127.0.0.4", null, ["-r", "bl.test", Program], Dialogue),
        new("not-listed", "127.0.0.9", null, ["-r", "bl.test", Program], Dialogue),
        new("second-list", "127.0.0.5", null, ["-r", "bl.test", "-r", "bl2.test", Program], Dialogue),
        new("anti-first", "127.0.0.2", null, ["-a", "allow.test", "-r", "bl.test", Program], Dialogue),
        new("anti-after", "127.0.0.2", null, ["-r", "bl.test", "-a", "allow.test", Program], Dialogue),
        new("env-empty", "127.0.0.2", "", ["-r", "bl.test", Program], Dialogue),
        new("env-451", "127.0.0.9", "Too much mail from you; try later", ["-r", "bl.test", Program], Dialogue),
        new("env-553", "127.0.0.9", "-Go away", [Program], Dialogue),
        new("env-dash-only", "127.0.0.9", "-", [Program], Dialogue),
        new("env-control-chars", "127.0.0.9", "a\tb\x7f\u00e9c", [Program], Dialogue),
        new("env-long", "127.0.0.9", new string('z', 300), [Program], Dialogue),
        new("failed-lookup-open", "127.0.0.2", null, ["-r", "broken.example", Program], Dialogue),
        new("failed-lookup-closed", "127.0.0.2", null, ["-c", "-r", "broken.example", Program], Dialogue),
        new("failed-lookup-closed-b", "127.0.0.2", null, ["-b", "-c", "-r", "broken.example", "-r", "bl.test", Program], Dialogue),
        new("failed-anti-open", "127.0.0.2", null, ["-b", "-a", "broken.example", "-r", "bl.test", Program], Dialogue),
        new("failed-anti-closed", "127.0.0.2", null, ["-b", "-c", "-a", "broken.example", "-r", "bl.test", Program], Dialogue),
        new("failed-anti-C-again", "127.0.0.2", null, ["-c", "-C", "-b", "-a", "broken.example", "-r", "bl.test", Program], Dialogue),
        new("t0", "127.0.0.2", null, ["-t0", "-r", "bl.test", Program], Dialogue),
        new("t-not-a-number", "127.0.0.2", null, ["-t", "soon", "-r", "bl.test", Program], Dialogue),
        new("odd-commands", "127.0.0.2", null, ["-r", "bl.test", Program], Odd),
        new("long-line", "127.0.0.2", null, ["-r", "bl.test", Program], LongLine + "QUIT\r\n"),
        new("unterminated", "127.0.0.2", null, ["-r", "bl.test", Program], "HELO x\r\nQUIT"),
        new("silent-client", "127.0.0.2", null, ["-r", "bl.test", Program], ""),
        new("env-set-not-listed-runs-nothing-else", "127.0.0.9", null, ["-r", "bl.test", "/bin/echo", "ran", "with", "args"], ""),
        new("no-program", "127.0.0.2", null, ["-r", "bl.test"], ""),
        new("unknown-option", "127.0.0.2", null, ["-x", Program], ""),
        new("missing-value", "127.0.0.2", null, ["-r"], ""),
        new("program-missing", "127.0.0.9", null, ["-r", "bl.test", "/nonexistent/smtpd"], "", CompareLog: false),
    ];

    /// <summary>dnsmasq's records: the blocklists, with texts that test the reply's rules.</summary>
    private static readonly string[] Records =
    [
        "--txt-record=2.0.0.127.bl.test,Listed at bl.test: see http://bl.test/?127.0.0.2",
        "--txt-record=3.0.0.127.bl.test,first record",
        "--txt-record=3.0.0.127.bl.test,second record",
        "--txt-record=4.0.0.127.bl.test,caf\u00e9\t" + new string('y', 240),
        "--txt-record=5.0.0.127.bl2.test,on the second list",
        "--host-record=2.0.0.127.allow.test,127.0.0.2",
        "--txt-record=1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.test,IPv6 loopback listed",
    ];

    /// <summary>Case name, then ours and Debian's run.</summary>
    public IReadOnlyDictionary<string, (RblRun Ours, RblRun Debian)> Results { get; }

    /// <summary>Our rblsmtpd on IPv6 loopback (ucspi-tcp 0.88 has no IPv6: no Debian side).</summary>
    public RblRun Ipv6 { get; }

    public RblRuns()
    {
        Harness.RequireRoot();
        RblCase v6 = new("ipv6", "::1", null, ["-r", "bl.test", Program], Dialogue);
        Results = Differential([.. Cases, v6]);
        Ipv6 = Results["ipv6"].Ours;
    }

    private static Dictionary<string, (RblRun, RblRun)> Differential(RblCase[] cases)
    {
        string file = Path.GetTempFileName();
        File.WriteAllText(file, JsonSerializer.Serialize(cases));
        Ran r = Harness.Run("unshare", ["--net", "/usr/bin/python3",
            Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/rbl_differential.py"),
            file, Path.Combine(Harness.Build, "rblsmtpd"), "/usr/bin/rblsmtpd", .. Records]);
        File.Delete(file);
        Assert.True(r.Exit == 0, r.Stderr);
        var results = new Dictionary<string, (RblRun, RblRun)>();
        foreach (JsonProperty c in JsonDocument.Parse(r.Stdout).RootElement.EnumerateObject())
            results[c.Name] = (RblRun.From(c.Value.GetProperty("ours")), RblRun.From(c.Value.GetProperty("debian")));
        return results;
    }
}

/// <summary>What one rblsmtpd run did: exit code, what the client saw, the log line.</summary>
public sealed record RblRun(int Exit, string Out, string Log)
{
    public static RblRun From(JsonElement e) => new(e.GetProperty("exit").GetInt32(), e.GetProperty("out").GetString()!, e.GetProperty("err").GetString()!);
}

public sealed class RblSmtpdTests(RblRuns runs) : IClassFixture<RblRuns>
{
    public static TheoryData<string> CaseNames() => [.. RblRuns.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Behaves_as_Debians_rblsmtpd(string name)
    {
        (RblRun ours, RblRun debian) = runs.Results[name];
        Assert.Equal(debian.Exit, ours.Exit);
        Assert.Equal(debian.Out, ours.Out);
        if (RblRuns.Cases.Single(c => c.Name == name).CompareLog) Assert.Equal(debian.Log, ours.Log);
    }

    [Fact]
    public void A_listed_client_hears_the_lists_text_and_never_reaches_the_smtp_server()
    {
        RblRun listed = runs.Results["listed"].Ours;
        Assert.Equal("220 rblsmtpd.local\r\n250 rblsmtpd.local\r\n250 rblsmtpd.local\r\n" +
            "451 Listed at bl.test: see http://bl.test/?127.0.0.2\r\n451 Listed at bl.test: see http://bl.test/?127.0.0.2\r\n" +
            "250 rblsmtpd.local\r\n221 rblsmtpd.local\r\n", listed.Out);
        Assert.Equal("rblsmtpd: 127.0.0.2 pid N: 451 Listed at bl.test: see http://bl.test/?127.0.0.2", listed.Log);
        Assert.Contains("553 Go away\r\n", runs.Results["env-553"].Ours.Out);
        Assert.Contains("451 temporary RBL lookup error\r\n", runs.Results["failed-lookup-closed-b"].Ours.Out);
    }

    [Fact]
    public void A_client_let_through_reaches_the_smtp_server_with_all_its_input()
    {
        foreach (string name in (string[])["not-listed", "anti-first", "env-empty", "failed-lookup-open"])
        {
            RblRun run = runs.Results[name].Ours;
            Assert.Equal("", run.Log);
            Assert.StartsWith("HELO client.test\r\nMAIL FROM:<a@b.test>\r\n", run.Out, StringComparison.Ordinal);
        }
        Assert.Equal("ran with args\n", runs.Results["env-set-not-listed-runs-nothing-else"].Ours.Out);
    }

    [Fact]
    public void An_ipv6_client_is_looked_up_by_its_reversed_nibbles()
    {
        Assert.Contains("451 IPv6 loopback listed\r\n", runs.Ipv6.Out);
        Assert.Equal("rblsmtpd: ::1 pid N: 451 IPv6 loopback listed", runs.Ipv6.Log);
    }
}
