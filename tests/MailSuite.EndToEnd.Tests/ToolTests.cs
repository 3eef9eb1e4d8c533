// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// Every outside tool the tests use works in the mode they use it, on this machine as scripts/deps
// left it: a tool installed without an optional part (swaks without its Perl TLS modules) fails
// here by name, not as a puzzling failure of some other test.
public sealed class ToolTests
{
    [Theory]
    [InlineData("swaks", "--support", "=== TLS supported")]
    [InlineData("swaks", "--support", "=== Basic AUTH supported")]
    [InlineData("fetchmail", "-V", "+SSL")]
    [InlineData("openssl", "s_client -help", "-tls1_2")]
    [InlineData("/usr/bin/python3", "-c \"import aiosmtpd, ssl, poplib, smtplib; print('modules ok')\"", "modules ok")]
    [InlineData("/usr/bin/python3", "-c \"import spf, dns.resolver; print('pyspf', spf.__version__)\"", "pyspf 2.")]
    [InlineData("dkimsign", "--help", "--signalg")]
    [InlineData("arcsign", "--help 2>&1; true", "srv_id")]
    [InlineData("dknewkey", "--help", "ed25519")]
    [InlineData("opendkim-testmsg", "-x 2>&1; true", "usage")]
    [InlineData("/usr/sbin/spamd", "--version", "SpamAssassin Server version")]
    [InlineData("spamc", "-V", "SpamAssassin Client version")]
    [InlineData("rspamd", "--version", "Rspamd daemon version")]
    [InlineData("tshark", "-v", "TShark")]
    [InlineData("dnsmasq", "--version", "Dnsmasq version")]
    [InlineData("tcprules", "2>&1; true", "usage: tcprules")]
    [InlineData("cdb", "-h 2>&1; true", "cdb")]
    [InlineData("mshow", "-h 2>&1; true", "Usage: mshow")]
    [InlineData("smtp-sink", "2>&1; true", "usage")]
    [InlineData("nft", "--version", "nftables")]
    [InlineData("unshare", "--net --mount sh -c 'ip link set lo up && echo namespace ok'", "namespace ok")]
    [InlineData("ss", "-V", "iproute2")]
    public void Tool_works_in_the_mode_the_tests_use(string tool, string arguments, string expected)
    {
        Ran r = Harness.Run("sh", ["-c", $"{tool} {arguments}"]);
        Assert.True(r.Stdout.Contains(expected, StringComparison.OrdinalIgnoreCase) || r.Stderr.Contains(expected, StringComparison.OrdinalIgnoreCase),
            $"{tool} {arguments}: expected \"{expected}\"; exit {r.Exit}\n{r.Stdout}\n{r.Stderr}");
    }
}
