// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace MailSuite.EndToEnd.Tests;

/// <summary>One SPF question: the client's address, MAIL FROM (empty: a bounce, checked by HELO) and HELO.</summary>
public sealed record SpfCase(string Name, string Ip, string Sender, string Helo = "client.test", int Behavior = 1);

/// <summary>
/// Every case asked of pyspf (Debian's python3-spf, the reference implementation) and of our
/// qmail-smtpd (the Received-SPF field on the message it queues), once, in a network namespace
/// whose resolv.conf names a dnsmasq serving the records below. Names outside .test and the
/// reverse zones are REFUSED there: a lookup that fails.
/// </summary>
public sealed class SpfRuns
{
    private const string V4 = "192.0.2.10", V6 = "2001:db8::10";

    public static readonly SpfCase[] Cases =
    [
        new("ip4-pass", V4, "joe@ip4.test"),
        new("ip4-fail", V4, "joe@other.test"),
        new("softfail", V4, "joe@soft.test"),
        new("neutral", V4, "joe@neutral.test"),
        new("no-match-is-neutral", V4, "joe@nomatch.test"),
        new("no-record", V4, "joe@norecord.test"),
        new("no-domain", V4, "joe@nxdomain.test"),
        new("not-spf1", V4, "joe@spf10.test"),
        new("a", V4, "joe@a.test"),
        new("a-domain-cidr", V4, "joe@acidr.test"),
        new("mx", V4, "joe@mx.test"),
        new("mx-ip6-cidr", V6, "joe@mx6.test"),
        new("include-pass", V4, "joe@inc.test"),
        new("include-fail-goes-on", V4, "joe@incfail.test"),
        new("include-without-record", V4, "joe@incnone.test"),
        new("redirect", V4, "joe@redir.test"),
        new("redirect-without-record", V4, "joe@redirnone.test"),
        new("all-before-redirect", V4, "joe@allredir.test"),
        new("macro-exists", V4, "joe@macro.test"),
        new("macro-d2", V4, "joe@sub.deep.test"),
        new("macro-ip6-nibbles", V6, "joe@v6macro.test"),
        new("bad-macro", V4, "joe@badmacro.test"),
        new("unknown-mechanism", V4, "joe@unknown.test"),
        new("bad-cidr", V4, "joe@badcidr.test"),
        new("two-redirects", V4, "joe@tworedir.test"),
        new("two-records", V4, "joe@tworec.test"),
        new("eleven-lookups", V4, "joe@limit.test"),
        new("three-void-lookups", V4, "joe@void.test"),
        new("two-void-lookups", V4, "joe@twovoid.test"),
        new("ptr", V4, "joe@ptr.test"),
        new("ip6-pass", V6, "joe@ip6.test"),
        new("ip4-never-matches-ip6", V6, "joe@ip4all.test"),
        new("upper-case", V4, "joe@upper.test"),
        new("helo-for-bounce", V4, "", "helo.test"),
        new("helo-for-bounce-fail", V4, "", "other.test"),
        new("exp-does-not-change-fail", V4, "joe@exp.test"),
        new("unknown-modifier", V4, "joe@modifier.test"),
        new("eleven-mx", V4, "joe@manymx.test"),
        new("include-lookup-fails", V4, "joe@inctemp.test"),
        new("a-lookup-fails", V4, "joe@atemp.test"),
        new("minus-ip4-then-all", V4, "joe@minus.test"),
        new("ip4-cidr-16", V4, "joe@cidr16.test"),
    ];

    /// <summary>control/spfbehavior at work: the case, then how qmail-smtpd answers MAIL FROM.</summary>
    public static readonly (SpfCase Case, string Reply)[] Behaviors =
    [
        (new("fail-at-1", V4, "joe@other.test"), "250 ok"),
        (new("fail-at-3", V4, "joe@other.test", Behavior: 3), "550 sorry, SPF says other.test does not allow this host to send its mail (fail) (#5.7.1)"),
        (new("softfail-at-3", V4, "joe@soft.test", Behavior: 3), "250 ok"),
        (new("softfail-at-4", V4, "joe@soft.test", Behavior: 4), "550 sorry, SPF says soft.test does not allow this host to send its mail (softfail) (#5.7.1)"),
        (new("neutral-at-5", V4, "joe@neutral.test", Behavior: 5), "550 sorry, SPF says neutral.test does not allow this host to send its mail (neutral) (#5.7.1)"),
        (new("temperror-at-1", V4, "joe@atemp.test"), "250 ok"),
        (new("temperror-at-6", V4, "joe@atemp.test", Behavior: 6), "451 SPF lookup failed temporarily, try again later (#4.4.3)"),
        (new("permerror-at-5", V4, "joe@unknown.test", Behavior: 5), "250 ok"),
        (new("permerror-at-6", V4, "joe@unknown.test", Behavior: 6), "550 sorry, SPF says unknown.test does not allow this host to send its mail (permerror) (#5.7.1)"),
        (new("pass-at-6", V4, "joe@ip4.test", Behavior: 6), "250 ok"),
        (new("off-at-0", V4, "joe@ip4.test", Behavior: 0), "250 ok"),
    ];

    private static readonly string[] Records =
    [
        .. Txt("ip4.test", "v=spf1 ip4:192.0.2.0/24 -all"),
        .. Txt("other.test", "v=spf1 ip4:198.51.100.0/24 -all"),
        .. Txt("soft.test", "v=spf1 ~all"),
        .. Txt("neutral.test", "v=spf1 ?all"),
        .. Txt("nomatch.test", "v=spf1 ip4:198.51.100.1"),
        .. Txt("norecord.test", "just some text"),
        .. Txt("spf10.test", "v=spf10 +all"),
        .. Txt("a.test", "v=spf1 a -all"), "--host-record=a.test,192.0.2.10",
        .. Txt("acidr.test", "v=spf1 a:hosts.test/24 -all"), "--host-record=hosts.test,192.0.2.99",
        .. Txt("mx.test", "v=spf1 mx -all"), "--mx-host=mx.test,mail.mx.test,10", "--host-record=mail.mx.test,192.0.2.10",
        .. Txt("mx6.test", "v=spf1 mx//64 -all"), "--mx-host=mx6.test,mail.mx6.test,10", "--host-record=mail.mx6.test,2001:db8::1",
        .. Txt("inc.test", "v=spf1 include:included.test -all"), .. Txt("included.test", "v=spf1 ip4:192.0.2.10 -all"),
        .. Txt("incfail.test", "v=spf1 include:other.test ip4:192.0.2.10 -all"),
        .. Txt("incnone.test", "v=spf1 include:norecord.test -all"),
        .. Txt("redir.test", "v=spf1 redirect=included.test"),
        .. Txt("redirnone.test", "v=spf1 redirect=norecord.test"),
        .. Txt("allredir.test", "v=spf1 -all redirect=included.test"),
        .. Txt("macro.test", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all"), "--host-record=10.2.0.192.joe._spf.macro.test,127.0.0.2",
        .. Txt("sub.deep.test", "v=spf1 a:%{d2} -all"), "--host-record=deep.test,192.0.2.10",
        .. Txt("v6macro.test", "v=spf1 exists:%{i}.%{v}.v6.test -all"),
        "--host-record=2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.ip6.v6.test,127.0.0.2",
        .. Txt("badmacro.test", "v=spf1 exists:%{z}.badmacro.test -all"),
        .. Txt("unknown.test", "v=spf1 foo -all"),
        .. Txt("badcidr.test", "v=spf1 ip4:192.0.2.0/33 -all"),
        .. Txt("tworedir.test", "v=spf1 redirect=included.test redirect=other.test"),
        .. Txt("tworec.test", "v=spf1 -all"), .. Txt("tworec.test", "v=spf1 +all"),
        .. Txt("limit.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"a:l{i}.test")) + " -all"),
        .. Enumerable.Range(1, 11).Select(i => $"--host-record=l{i}.test,198.51.100.{i}"),
        .. Txt("void.test", "v=spf1 a:v1.test a:v2.test a:v3.test ip4:192.0.2.10 -all"),
        .. Txt("twovoid.test", "v=spf1 a:v1.test a:v2.test ip4:192.0.2.10 -all"),
        .. Txt("ptr.test", "v=spf1 ptr -all"), "--ptr-record=10.2.0.192.in-addr.arpa,host.ptr.test", "--host-record=host.ptr.test,192.0.2.10",
        .. Txt("ip6.test", "v=spf1 ip6:2001:db8::/32 -all"),
        .. Txt("ip4all.test", "v=spf1 ip4:0.0.0.0/0 -all"),
        .. Txt("upper.test", "V=SPF1 IP4:192.0.2.10 -ALL"),
        .. Txt("helo.test", "v=spf1 ip4:192.0.2.10 -all"),
        .. Txt("exp.test", "v=spf1 -all exp=explain.exp.test"), .. Txt("explain.exp.test", "%{i} may not send for %{d}"),
        .. Txt("modifier.test", "v=spf1 foo=bar ip4:192.0.2.10 -all"),
        .. Txt("manymx.test", "v=spf1 mx -all"), .. Enumerable.Range(1, 11).Select(i => $"--mx-host=manymx.test,m{i}.manymx.test,{i}"),
        .. Txt("inctemp.test", "v=spf1 include:broken.example -all"),
        .. Txt("atemp.test", "v=spf1 a:broken.example -all"),
        .. Txt("minus.test", "v=spf1 -ip4:192.0.2.10 +all"),
        .. Txt("cidr16.test", "v=spf1 ip4:192.0.99.99/16 -all"),
    ];

    private static string[] Txt(string name, string text) => [$"--txt-record={name},{text}"];

    /// <summary>Case name, then pyspf's result, our Received-SPF result and our reply to MAIL.</summary>
    public IReadOnlyDictionary<string, (string PySpf, string Ours, string Mail)> Results { get; }

    public SpfRuns()
    {
        Harness.RequireRoot();
        using var install = new TempInstall();
        string work = Directory.CreateTempSubdirectory("spf").FullName;
        File.WriteAllText(Path.Combine(work, "resolv.conf"), "nameserver 127.0.0.1\n");
        File.WriteAllText(Path.Combine(work, "capture-queue"), "#!/bin/sh\ncat >\"$CAPTURE\"\nexec cat <&1 >/dev/null\n");
        File.SetUnixFileMode(Path.Combine(work, "capture-queue"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Combine(work, "cases.json"), JsonSerializer.Serialize(Cases.Concat(Behaviors.Select(b => b.Case))));
        Ran r = Harness.Run("unshare", ["--net", "--mount", "sh", "-c",
            "mount --bind \"$W/resolv.conf\" /etc/resolv.conf && exec /usr/bin/python3 \"$@\"", "sh",
            Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/spf_differential.py"),
            Path.Combine(work, "cases.json"), install.Bin("qmail-smtpd"), work, .. Records], env: new Dictionary<string, string> { ["W"] = work });
        Directory.Delete(work, true);
        Assert.True(r.Exit == 0, r.Stderr);
        var results = new Dictionary<string, (string, string, string)>();
        foreach (JsonProperty c in JsonDocument.Parse(r.Stdout).RootElement.EnumerateObject())
            results[c.Name] = (c.Value.GetProperty("pyspf").GetString()!, c.Value.GetProperty("ours").GetString()!, c.Value.GetProperty("mail").GetString()!);
        Results = results;
    }
}

public sealed class SpfTests(SpfRuns runs) : IClassFixture<SpfRuns>
{
    public static TheoryData<string> CaseNames() => [.. SpfRuns.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Qmail_smtpd_gets_the_result_pyspf_gets(string name)
    {
        (string pyspf, string ours, _) = runs.Results[name];
        Assert.Equal(pyspf, ours);
    }

    public static TheoryData<string> BehaviorNames() => [.. SpfRuns.Behaviors.Select(b => b.Case.Name)];

    [Theory]
    [MemberData(nameof(BehaviorNames))]
    public void Spfbehavior_decides_what_is_refused_at_mail_and_a_dns_failure_is_never_permanent(string name)
    {
        string expected = SpfRuns.Behaviors.Single(b => b.Case.Name == name).Reply;
        (_, string ours, string mail) = runs.Results[name];
        Assert.Equal(expected, mail);
        Assert.Equal(mail.StartsWith("250", StringComparison.Ordinal), ours != "no message");
        if (name == "off-at-0") Assert.Equal("no Received-SPF", ours);
    }

    [Fact]
    public void The_table_reaches_every_result()
    {
        string[] seen = [.. SpfRuns.Cases.Select(c => runs.Results[c.Name].Ours).Distinct().Order()];
        Assert.Equal(["fail", "neutral", "none", "pass", "permerror", "softfail", "temperror"], seen);
    }
}
