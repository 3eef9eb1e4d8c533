// SPDX-License-Identifier: MIT
using System.Text.Json;
using System.Text.RegularExpressions;
using MailSuite.Common;
using MimeKit;

namespace MailSuite.EndToEnd.Tests;

/// <summary>A message qmail-remote sends to Domain (eight.test: a sink with 8BITMIME; seven.test: one without).</summary>
public sealed record OutboundCase(string Name, string Domain, string Message);

/// <summary>
/// Keys made by our dknewkey in a scratch install, their TXT records exactly as dknewkey printed
/// them served by a dnsmasq in a network namespace; qmail-remote (as qmailr) sends each case to
/// Postfix's smtp-sink, and what arrived is verified by dkimpy and by OpenDKIM's opendkim-testmsg.
/// </summary>
public sealed class DkimOutboundRuns : IDisposable
{
    public const string LongLine = "start of a long line " + "0123456789abcdefghijklmnopqrstuvwxyz";

    private static string Msg(string from, string id, string body, string mime = "") =>
        $"From: Joe <joe@{from}>\nTo: someone@example.test\nSubject: outbound {id}\nDate: Wed, 02 Dec 2026 12:00:00 +0000\n" +
        $"Message-ID: <{id}@{from}>\n{mime}\n{body}";

    public static string LongBody { get; } = "first line\n" + string.Concat(Enumerable.Repeat(LongLine, 40))[..2000] + "\nlast line\n";

    public const string EightBitBody = "Grüße aus Köln, à bientôt.\n.a line with a leading dot\n";

    private const string Utf8Mime = "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n";

    public static OutboundCase[] Cases { get; } =
    [
        new("rsa", "eight.test", Msg("rsa.test", "1", "Hello.\n")),
        new("ed25519", "eight.test", Msg("ed.test", "2", "Hello.\n")),
        new("long-line", "eight.test", Msg("rsa.test", "3", LongBody)),
        new("long-line-unsigned", "eight.test", Msg("other.test", "4", LongBody)),
        new("8bit-to-8bitmime-peer", "eight.test", Msg("rsa.test", "5", EightBitBody, Utf8Mime)),
        new("8bit-to-7bit-peer", "seven.test", Msg("rsa.test", "6", EightBitBody, Utf8Mime)),
        new("8bit-long-to-7bit-peer-ed25519", "seven.test", Msg("ed.test", "7", EightBitBody + LongBody, Utf8Mime)),
        new("unsigned", "eight.test", Msg("other.test", "8", "Hello.\n")),
        new("unreadable-key", "eight.test", Msg("locked.test", "9", "Hello.\n")),
    ];

    private readonly TempInstall install = new();

    public IReadOnlyDictionary<string, JsonElement> Results { get; }

    /// <summary>What dknewkey printed, by domain.</summary>
    public Dictionary<string, string> Printed { get; } = [];

    public string Prefix => install.Prefix;

    public DkimOutboundRuns()
    {
        Printed["rsa.test"] = Harness.Ok(install.Bin("dknewkey"), "--prefix", install.Prefix, "rsa.test", "sel1").Stdout;
        Printed["ed.test"] = Harness.Ok(install.Bin("dknewkey"), "--prefix", install.Prefix, "--ed25519", "ed.test").Stdout;
        Printed["locked.test"] = Harness.Ok(install.Bin("dknewkey"), "--prefix", install.Prefix, "locked.test", "sel1").Stdout;
        // An administrator's mistake: a key qmailr cannot read.
        FileStatus.Chown(Path.Combine(install.Prefix, "control/domainkeys/locked.test/sel1.key"), 0, 0);
        string[] records = Printed.Values.Select(Record).ToArray();
        string work = Directory.CreateTempSubdirectory("dkimout").FullName;
        File.WriteAllText(Path.Combine(work, "resolv.conf"), "nameserver 127.0.0.1\n");
        File.WriteAllText(Path.Combine(work, "cases.json"), JsonSerializer.Serialize(Cases));
        Ran r = Harness.Run("unshare", ["--net", "--mount", "sh", "-c",
            "mount --bind \"$W/resolv.conf\" /etc/resolv.conf && exec /usr/bin/python3 \"$@\"", "sh",
            Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/dkim_outbound.py"),
            Path.Combine(work, "cases.json"), install.Prefix, .. records], env: new Dictionary<string, string> { ["W"] = work });
        Directory.Delete(work, true);
        Assert.True(r.Exit == 0, r.Stderr);
        Results = JsonDocument.Parse(r.Stdout).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    // "SEL._domainkey.DOMAIN. IN TXT ( "..." "..." )" as dnsmasq's --txt-record (strings of at most 255 bytes).
    private static string Record(string zoneLine)
    {
        string name = zoneLine[..zoneLine.IndexOf(". IN TXT", StringComparison.Ordinal)];
        string[] strings = Regex.Matches(zoneLine, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
        return $"--txt-record={name},{string.Join(',', strings)}";
    }

    public void Dispose() => install.Dispose();
}

public sealed class DkimSigningTests(DkimOutboundRuns runs) : IClassFixture<DkimOutboundRuns>
{
    private string Report(string name) => runs.Results[name].GetProperty("report").GetString()!;

    private string Received(string name) => runs.Results[name].GetProperty("received").GetString()!;

    private static MimeMessage Parse(string received) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(received)));

    private void AssertDelivered(string name) =>
        Assert.True(Report(name).StartsWith("r|K127.0.0.1 accepted message.", StringComparison.Ordinal), $"{name}: {Report(name)}");

    private void AssertVerifiedByBoth(string name)
    {
        AssertDelivered(name);
        Assert.True(runs.Results[name].GetProperty("dkimpy").GetString() == "pass", $"{name}: dkimpy: {runs.Results[name].GetProperty("dkimpy")}\n{Received(name)}");
        JsonElement od = runs.Results[name].GetProperty("opendkim");
        Assert.True(od[0].GetInt32() == 0, $"{name}: opendkim-testmsg: {od}\n{Received(name)}");
    }

    [Theory]
    [InlineData("rsa", "rsa-sha256", "rsa.test", "sel1")]
    [InlineData("ed25519", "ed25519-sha256", "ed.test", "ed2")]
    public void Mail_from_a_domain_with_a_key_leaves_signed_and_verifies_with_dkimpy_and_opendkim(string name, string algorithm, string domain, string selector)
    {
        AssertVerifiedByBoth(name);
        string signature = Regex.Replace(Parse(Received(name)).Headers[HeaderId.DkimSignature] ?? "", @"\s+", "");
        Assert.Contains($"a={algorithm};", signature);
        Assert.Contains($"d={domain};", signature);
        Assert.Contains($"s={selector}", signature);
        Assert.Contains("c=relaxed/relaxed;", signature);
        // From is signed once more than it occurs: a From: added on the way breaks the signature.
        string h = Regex.Match(signature, "h=([^;]*)").Groups[1].Value;
        Assert.Equal(2, h.Split(':').Count(f => f.Equals("from", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("subject", h, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("message-id", h, StringComparison.OrdinalIgnoreCase);
        // The verifiers do check: one line added to the body and neither passes it.
        JsonElement tampered = runs.Results[name].GetProperty("tampered");
        Assert.NotEqual("pass", tampered[0].GetString());
        Assert.NotEqual(0, tampered[1][0].GetInt32());
    }

    [Theory]
    [InlineData("long-line")]
    [InlineData("long-line-unsigned")]
    public void A_line_over_998_octets_is_re_encoded_and_arrives_intact(string name)
    {
        AssertDelivered(name);
        string received = Received(name);
        Assert.All(received.Split("\r\n"), line => Assert.True(line.Length <= 998, $"a line of {line.Length} octets left"));
        MimeMessage message = Parse(received);
        Assert.Equal(DkimOutboundRuns.LongBody, message.TextBody?.Replace("\r\n", "\n"));
        if (name == "long-line") AssertVerifiedByBoth(name);
        else Assert.Null(message.Headers[HeaderId.DkimSignature]);
    }

    [Fact]
    public void Eight_bit_text_goes_as_it_is_to_a_peer_with_8bitmime_and_re_encoded_to_one_without()
    {
        AssertVerifiedByBoth("8bit-to-8bitmime-peer");
        Assert.Contains("BODY=8BITMIME", Received("8bit-to-8bitmime-peer"));
        Assert.Contains("Grüße aus Köln", Utf8(Received("8bit-to-8bitmime-peer")));

        foreach (string name in (string[])["8bit-to-7bit-peer", "8bit-long-to-7bit-peer-ed25519"])
        {
            AssertVerifiedByBoth(name);
            string received = Received(name);
            Assert.DoesNotContain("BODY=8BITMIME", received);
            Assert.True(received.All(c => c < 0x80), $"{name}: an 8-bit byte reached a peer without 8BITMIME");
            MimeMessage message = Parse(received);
            Assert.Contains(Assert.IsType<TextPart>(message.Body).ContentTransferEncoding, (ContentEncoding[])[ContentEncoding.QuotedPrintable, ContentEncoding.Base64]);
            Assert.StartsWith(DkimOutboundRuns.EightBitBody, message.TextBody?.Replace("\r\n", "\n") ?? "");
        }
    }

    [Fact]
    public void Mail_from_a_domain_without_a_key_leaves_unsigned_and_byte_for_byte()
    {
        AssertDelivered("unsigned");
        string received = Received("unsigned");
        Assert.DoesNotContain("DKIM-Signature", received);
        string message = DkimOutboundRuns.Cases.Single(c => c.Name == "unsigned").Message.Replace("\n", "\r\n");
        Assert.EndsWith(message, received);
    }

    [Fact]
    public void A_key_qmailr_cannot_read_defers_the_message_with_the_file_named_and_sends_nothing()
    {
        string report = Report("unreadable-key");
        Assert.StartsWith("ZUnable to sign with DKIM: ", report);
        Assert.Contains("control/domainkeys/locked.test/sel1.key: unable to read it", report);
        Assert.Equal("", Received("unreadable-key"));
    }

    [Fact]
    public void Dknewkey_writes_a_key_only_qmailr_can_read_makes_it_active_and_prints_its_record()
    {
        string dir = Path.Combine(runs.Prefix, "control/domainkeys/rsa.test");
        FileStatus key = FileStatus.Of(Path.Combine(dir, "sel1.key"))!;
        Assert.Equal(Harness.Ok("id", "-u", "qmailr").Stdout.Trim(), key.Uid.ToString());
        Assert.Equal(Convert.ToInt32("400", 8), key.Mode & 0xfff);
        Assert.Equal("sel1\n", File.ReadAllText(Path.Combine(dir, "selector")));
        Assert.Equal(runs.Printed["rsa.test"], File.ReadAllText(Path.Combine(dir, "sel1.txt")));
        Assert.StartsWith("sel1._domainkey.rsa.test. IN TXT ( \"v=DKIM1; k=rsa; p=", runs.Printed["rsa.test"]);
        Assert.Matches(@"^ed\d{8}\._domainkey\.ed\.test\. IN TXT \( ""v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}="" \)\n$", runs.Printed["ed.test"]);

        Ran again = Harness.Run(Path.Combine(runs.Prefix, "bin/dknewkey"), ["--prefix", runs.Prefix, "rsa.test", "sel1"]);
        Assert.Equal(100, again.Exit);
        Assert.Contains("already has a key named sel1", again.Stderr);
        Assert.Equal(100, Harness.Run(Path.Combine(runs.Prefix, "bin/dknewkey"), ["--prefix", runs.Prefix, "../etc", "x"]).Exit);
    }

    private static string Utf8(string latin1) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(latin1));
}
