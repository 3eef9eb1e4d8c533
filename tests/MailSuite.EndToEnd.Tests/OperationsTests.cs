// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// The administrator's files beside the programs: boot links, log rotation, the host firewall.
public sealed class OperationsTests : IDisposable
{
    private const string Name = "mailsuite-e2e";
    private readonly TempInstall install = new();

    public void Dispose()
    {
        Harness.Run(Path.Combine(Harness.RepoRoot, "scripts/boot"), ["--prefix", install.Prefix, "--name", Name, "disable"]);
        install.Dispose();
    }

    [Fact]
    public void Boot_enable_creates_the_start_and_stop_links_and_disable_removes_them()
    {
        Assert.False(Directory.Exists("/run/systemd/system"), "this test covers the SysV path; under systemd check the unit instead");
        Ran enabled = Harness.Run(Path.Combine(Harness.RepoRoot, "scripts/boot"), ["--prefix", install.Prefix, "--name", Name, "enable"]);
        Assert.True(enabled.Exit == 0, enabled.Stdout + enabled.Stderr);
        foreach (int level in new[] { 2, 3, 4, 5 })
            Assert.Single(Directory.GetFiles($"/etc/rc{level}.d", $"S??{Name}"));
        foreach (int level in new[] { 0, 1, 6 })
            Assert.Single(Directory.GetFiles($"/etc/rc{level}.d", $"K??{Name}"));
        Assert.Equal($"PREFIX={install.Prefix}\n", File.ReadAllText($"/etc/default/{Name}"));
        Assert.True(File.Exists($"/etc/logrotate.d/{Name}"));
        // The boot-time copy knows its install: status speaks for this prefix (stopped: 3).
        Ran status = Harness.Run($"/etc/init.d/{Name}", ["status"], env: new Dictionary<string, string> { ["PIDDIR"] = Path.Combine(install.Prefix, "run") });
        Assert.Equal(3, status.Exit);

        Assert.Equal(0, Harness.Run(Path.Combine(Harness.RepoRoot, "scripts/boot"), ["--prefix", install.Prefix, "--name", Name, "disable"]).Exit);
        Assert.Empty(Directory.GetFiles("/etc/rc2.d", $"S??{Name}"));
        Assert.False(File.Exists($"/etc/init.d/{Name}"));
    }

    [Fact]
    public void Logrotate_rotates_monthly_style_keeping_compressed_copies()
    {
        string dir = Directory.CreateTempSubdirectory("logs").FullName;
        File.WriteAllText($"{dir}/smtpd.log", "first month\n");
        string conf = File.ReadAllText(Path.Combine(Harness.RepoRoot, "rc/logrotate.conf")).Replace("/var/log/mailsuite/", dir + "/");
        File.WriteAllText($"{dir}/conf", conf);
        Harness.Ok("logrotate", "-f", "-s", $"{dir}/state", $"{dir}/conf");
        Assert.Equal("first month\n", File.ReadAllText($"{dir}/smtpd.log.1"));
        Assert.Equal("", File.ReadAllText($"{dir}/smtpd.log"));   // truncated in place: the server's fd stays valid
        File.WriteAllText($"{dir}/smtpd.log", "second month\n");
        Harness.Ok("logrotate", "-f", "-s", $"{dir}/state", $"{dir}/conf");
        Assert.True(File.Exists($"{dir}/smtpd.log.2.gz"));
        Assert.Contains("rotate 6", conf);
        Assert.Contains("monthly", conf);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void The_firewall_ruleset_passes_nfts_check_and_a_broken_one_does_not()
    {
        string rules = Path.Combine(Harness.RepoRoot, "rc/firewall.nft");
        Ran ok = Harness.Run("nft", ["-c", "-f", rules]);
        Assert.True(ok.Exit == 0, ok.Stderr);
        string text = File.ReadAllText(rules);
        Assert.Contains("policy drop", text);
        Assert.Contains("tcp dport { 25, 465, 587 } ct state new accept", text);
        Assert.DoesNotContain("110 ", text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate("", (a, l) => a + l + "\n"));
        // A state list written without its commas (the guide broke its list too): the check must catch it.
        string broken = Path.Combine(install.Prefix, "broken.nft");
        File.WriteAllText(broken, text.Replace("ct state established,related accept", "ct state new related established accept"));
        Assert.NotEqual(0, Harness.Run("nft", ["-c", "-f", broken]).Exit);
    }
}
