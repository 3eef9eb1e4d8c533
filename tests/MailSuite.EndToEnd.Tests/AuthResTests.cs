// SPDX-License-Identifier: MIT
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

/// <summary>A message sent through qmail-smtpd with qmail-authres (and then qmail-authresd) as QMAILQUEUE; Sign is a shell command run on it first.</summary>
public sealed record AuthResCase(string Name, string Sender, string Message, string Sign = "", string[]? Tamper = null, int DmarcPolicy = 0, string Ip = "192.0.2.10");

/// <summary>
/// Keys made by dkimpy's dknewkey (rsa, ed25519) and OpenDKIM's opendkim-genkey, messages signed
/// by dkimpy's dkimsign and arcsign and by opendkim-testmsg, DNS (keys, SPF, DMARC) from a
/// dnsmasq in a network namespace: every case runs twice through the real qmail-smtpd and
/// qmail-queue of a scratch install, once with qmail-authres as QMAILQUEUE (a process a message)
/// and once with QMAILQUEUE naming the socket of a qmail-authresd (resident), whose results must
/// be the same.
/// </summary>
public sealed class AuthResRuns : IDisposable
{
    private static string Msg(string from, string id) => $"From: Someone <someone@{from}>\nTo: postmaster@mail.example.test\n" +
        $"Subject: checked\nDate: Sun, 29 Nov 2026 20:00:00 +0000\nMessage-ID: <{id}@example.test>\n\nHello.\n.leading dot\n";

    public static AuthResCase[] Cases(string k) =>
    [
        new("rsa-relaxed", "bounce@rsa.test", Msg("rsa.test", "1"), $"dkimsign sel rsa.test {k}/rsa.key"),
        new("rsa-simple", "bounce@rsa.test", Msg("rsa.test", "2"), $"dkimsign --hcanon simple --bcanon simple sel rsa.test {k}/rsa.key"),
        new("ed25519", "bounce@ed.test", Msg("ed.test", "3"), $"dkimsign --signalg ed25519-sha256 ed ed.test {k}/ed.key"),
        new("rsa-body-tampered", "bounce@rsa.test", Msg("rsa.test", "4"), $"dkimsign sel rsa.test {k}/rsa.key", ["Hello.", "Hellx."]),
        new("rsa-header-tampered", "bounce@rsa.test", Msg("rsa.test", "5"), $"dkimsign sel rsa.test {k}/rsa.key", ["Subject: checked", "Subject: changed"]),
        new("ed25519-tampered", "bounce@ed.test", Msg("ed.test", "6"), $"dkimsign --signalg ed25519-sha256 ed ed.test {k}/ed.key", ["Hello.", "Hellx."]),
        new("opendkim-rsa-sha1", "bounce@od.test", Msg("od.test", "7"), $"sed 's/$/\\r/' | opendkim-testmsg -d od.test -k {k}/od.private -s od"),
        new("unsigned", "bounce@other.test", Msg("rsa.test", "8")),
        new("spf-aligned", "joe@bounce.spf.test", Msg("spf.test", "9")),
        new("spf-strict-misaligned", "joe@sub.strict.test", Msg("strict.test", "10")),
        new("no-dmarc-record", "joe@nodmarc.test", Msg("nodmarc.test", "11")),
        new("forged-results", "bounce@other.test", "Authentication-Results: mail.example.test; dkim=pass header.d=rsa.test\n" +
            "Authentication-Results: elsewhere.test; spf=pass\n" + Msg("rsa.test", "12")),
        new("reject-enforced", "bounce@other.test", Msg("rsa.test", "13"), DmarcPolicy: 1),
        new("quarantine-enforced", "bounce@other.test", Msg("ed.test", "14"), DmarcPolicy: 1),
        new("arc-sealed", "bounce@rsa.test", Msg("rsa.test", "15"),
            $"dkimsign sel rsa.test {k}/rsa.key | (printf 'Authentication-Results: rsa.test; dkim=pass header.d=rsa.test\\n'; cat) | arcsign sel rsa.test {k}/rsa.key rsa.test"),
    ];

    private readonly TempInstall install = new();
    private readonly string keys = Directory.CreateTempSubdirectory("dkim").FullName;

    public IReadOnlyDictionary<string, (string Reply, string Queued, string Log)> Results { get; }

    public AuthResRuns()
    {
        Harness.RequireRoot();
        Harness.Ok("sh", "-c", $"cd {keys} && dknewkey --ktype rsa rsa && dknewkey --ktype ed25519 ed && opendkim-genkey -d od.test -s od");
        string[] records =
        [
            Key("sel._domainkey.rsa.test", File.ReadAllText(Path.Combine(keys, "rsa.dns"))),
            Key("ed._domainkey.ed.test", File.ReadAllText(Path.Combine(keys, "ed.dns"))),
            Key("od._domainkey.od.test", string.Concat(Regex.Matches(File.ReadAllText(Path.Combine(keys, "od.txt")), "\"([^\"]*)\"").Select(m => m.Groups[1].Value))),
            "--txt-record=_dmarc.rsa.test,v=DMARC1; p=reject",
            "--txt-record=_dmarc.ed.test,v=DMARC1; p=quarantine",
            "--txt-record=_dmarc.od.test,v=DMARC1; p=none",
            "--txt-record=_dmarc.spf.test,v=DMARC1; p=reject",
            "--txt-record=bounce.spf.test,v=spf1 ip4:192.0.2.10 -all",
            "--txt-record=_dmarc.strict.test,v=DMARC1; p=reject; aspf=s",
            "--txt-record=sub.strict.test,v=spf1 ip4:192.0.2.10 -all",
            "--txt-record=nodmarc.test,v=spf1 ip4:192.0.2.10 -all",
        ];
        string work = Directory.CreateTempSubdirectory("authres").FullName;
        File.WriteAllText(Path.Combine(work, "resolv.conf"), "nameserver 127.0.0.1\n");
        File.WriteAllText(Path.Combine(work, "cases.json"), JsonSerializer.Serialize(Cases(keys)));
        Ran r = Harness.Run("unshare", ["--net", "--mount", "sh", "-c",
            "mount --bind \"$W/resolv.conf\" /etc/resolv.conf && exec /usr/bin/python3 \"$@\"", "sh",
            Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/authres_cases.py"),
            Path.Combine(work, "cases.json"), install.Prefix, .. records], env: new Dictionary<string, string> { ["W"] = work });
        Directory.Delete(work, true);
        Assert.True(r.Exit == 0, r.Stderr);
        var results = new Dictionary<string, (string, string, string)>();
        foreach (JsonProperty c in JsonDocument.Parse(r.Stdout).RootElement.EnumerateObject())
            results[c.Name] = (c.Value.GetProperty("reply").GetString()!, c.Value.GetProperty("queued").GetString()!, c.Value.GetProperty("log").GetString()!);
        Results = results;
    }

    // A key record as dnsmasq strings of at most 255 bytes each.
    private static string Key(string name, string text)
    {
        string t = text.Trim();
        return $"--txt-record={name}," + string.Join(',', Enumerable.Range(0, (t.Length + 199) / 200).Select(i => t.Substring(i * 200, Math.Min(200, t.Length - i * 200))));
    }

    public void Dispose()
    {
        install.Dispose();
        Directory.Delete(keys, true);
    }
}

public sealed class AuthResTests(AuthResRuns runs) : IClassFixture<AuthResRuns>
{
    private static readonly string[] Modes = ["program", "daemon"];

    // The one Authentication-Results field this host added, unfolded, as qmail-authres and as qmail-authresd.
    private IEnumerable<string> Results(string name) => Modes.Select(mode => Field($"{mode}/{name}"));

    private IEnumerable<(string Reply, string Queued, string Log)> Runs(string name) => Modes.Select(mode => runs.Results[$"{mode}/{name}"]);

    private string Field(string key)
    {
        (string reply, string queued, string log) = runs.Results[key];
        Assert.True(Regex.IsMatch(reply, @"^250 ok \d+ qp [1-9]\d*$"), $"{key}: {reply}\n{log}");
        string header = queued[..queued.IndexOf("\n\n", StringComparison.Ordinal)];
        MatchCollection ours = Regex.Matches(header, @"^Authentication-Results: mail\.example\.test;(?:.*\n[ \t].*)*", RegexOptions.Multiline);
        return Regex.Replace(Assert.Single(ours).Value, @"\s+", " ");
    }

    [Theory]
    [InlineData("rsa-relaxed", "dkim=pass header.d=rsa.test header.s=sel", "dmarc=pass (p=reject) header.from=rsa.test")]
    [InlineData("rsa-simple", "dkim=pass header.d=rsa.test header.s=sel", "dmarc=pass (p=reject)")]
    [InlineData("ed25519", "dkim=pass header.d=ed.test header.s=ed", "dmarc=pass (p=quarantine)")]
    [InlineData("rsa-body-tampered", "dkim=fail header.d=rsa.test", "dmarc=fail (p=reject)")]
    [InlineData("rsa-header-tampered", "dkim=fail header.d=rsa.test", "dmarc=fail (p=reject)")]
    [InlineData("ed25519-tampered", "dkim=fail header.d=ed.test", "dmarc=fail (p=quarantine)")]
    [InlineData("unsigned", "dkim=none", "dmarc=fail (p=reject) header.from=rsa.test")]
    [InlineData("spf-aligned", "spf=pass smtp.mailfrom=joe@bounce.spf.test", "dmarc=pass (p=reject) header.from=spf.test")]
    [InlineData("spf-strict-misaligned", "spf=pass smtp.mailfrom=joe@sub.strict.test", "dmarc=fail (p=reject) header.from=strict.test")]
    [InlineData("no-dmarc-record", "spf=pass", "dmarc=none (p=none) header.from=nodmarc.test")]
    [InlineData("arc-sealed", "arc=pass", "dkim=pass header.d=rsa.test")]
    public void The_field_reports_what_the_signatures_and_dns_say(string name, string expected, string alsoExpected)
    {
        foreach (string field in Results(name))
        {
            Assert.Contains(expected, field);
            Assert.Contains(alsoExpected, field);
        }
    }

    [Fact]
    public void An_openDkim_rsa_sha1_signature_is_not_a_pass()
    {
        foreach (string field in Results("opendkim-rsa-sha1"))
        {
            Assert.Contains("header.d=od.test header.s=od", field);
            Assert.DoesNotContain("dkim=pass", field);
            Assert.Contains("dmarc=fail (p=none)", field);
        }
    }

    [Fact]
    public void A_results_field_claiming_to_be_ours_is_removed_and_others_kept()
    {
        Assert.All(Results("forged-results"), field => Assert.Contains("dkim=none", field));
        foreach ((_, string queued, _) in Runs("forged-results"))
        {
            Assert.Contains("Authentication-Results: elsewhere.test; spf=pass\n", queued);
            Assert.DoesNotContain("mail.example.test; dkim=pass header.d=rsa.test", queued);
        }
    }

    [Fact]
    public void With_dmarcpolicy_reject_is_refused_at_data_and_quarantine_marked()
    {
        foreach (string mode in Modes)
        {
            Assert.Equal("554 mail server permanently rejected message (#5.3.0)", runs.Results[$"{mode}/reject-enforced"].Reply);
            Assert.Equal("", runs.Results[$"{mode}/reject-enforced"].Queued);
            Assert.Contains("\nX-DMARC-Policy: quarantine (ed.test)\n", runs.Results[$"{mode}/quarantine-enforced"].Queued);
            Assert.DoesNotContain("X-DMARC-Policy", runs.Results[$"{mode}/unsigned"].Queued);
        }
    }

    [Fact]
    public void The_resident_verifier_answers_qmaild_and_root_alone()
    {
        (string reply, string queued, string log) = runs.Results["daemon/other-account"];
        Assert.StartsWith("451 ", reply);
        Assert.Equal("", queued);
        Assert.Contains("gave no verdict", log);
        Assert.Matches(@"refused a client running as uid \d+: only qmaild \(uid \d+\) and root may queue here", runs.Results["daemon-log"].Log);
    }

    [Fact]
    public void With_the_resident_verifier_stopped_mail_is_deferred_and_nothing_queued()
    {
        (string reply, string queued, _) = runs.Results["daemon/stopped"];
        Assert.Equal("451 qqt failure (#4.3.0)", reply);
        Assert.Equal("", queued);
    }
}
