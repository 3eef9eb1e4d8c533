// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace MailSuite.Common.Tests.Posix;

// Accounts are looked up through libc, so they must agree with what getent(1) says, for any
// length of entry, and a name no account can have finds nothing.
public class AccountsTests
{
    private static string[] Getent(string database, string key)
    {
        var psi = new ProcessStartInfo("getent", [database, key]) { RedirectStandardOutput = true };
        using Process p = Process.Start(psi)!;
        string line = p.StandardOutput.ReadToEnd().TrimEnd('\n');
        p.WaitForExit();
        return line.Split(':');
    }

    [Fact]
    public void Root_and_an_ordinary_account_match_getent_by_name_and_by_uid()
    {
        foreach (string name in new[] { "root", "nobody" })
        {
            string[] pw = Getent("passwd", name);
            var expected = new Account(pw[0], uint.Parse(pw[2]), uint.Parse(pw[3]), pw[5], pw[6]);
            Assert.Equal(expected, Accounts.Find(name));
            Assert.Equal(expected, Accounts.Find(expected.Uid));
            Assert.Equal(name, Accounts.UserName(expected.Uid));
        }
    }

    [Fact]
    public void Groups_match_getent_both_ways()
    {
        string[] gr = Getent("group", "adm");
        Assert.Equal(uint.Parse(gr[2]), Accounts.FindGroup("adm"));
        Assert.Equal("adm", Accounts.GroupName(uint.Parse(gr[2])));
    }

    [Theory]
    [InlineData("no-such-account-here")]
    [InlineData("root\0x")]
    [InlineData("")]
    public void A_name_no_account_has_finds_nothing(string name)
    {
        Assert.Null(Accounts.Find(name));
        Assert.Null(Accounts.FindGroup(name));
    }

    [Fact]
    public void An_unknown_uid_or_gid_is_shown_as_its_number()
    {
        Assert.Null(Accounts.Find(4_000_000_123u));
        Assert.Equal("4000000123", Accounts.UserName(4_000_000_123u));
        Assert.Equal("4000000123", Accounts.GroupName(4_000_000_123u));
    }

    [Fact]
    public void An_entry_longer_than_the_first_buffer_is_read_whole()
    {
        const string name = "mstestlongentry";
        string home = "/nonexistent/" + new string('h', 3000);
        Run("userdel", name);
        Assert.Equal(0, Run("useradd", "-M", "-d", home, "-s", "/usr/sbin/nologin", "-c", new string('g', 3000), name));
        try
        {
            Account? account = Accounts.Find(name);
            Assert.NotNull(account);
            Assert.Equal(home, account.Home);
            Assert.Equal("/usr/sbin/nologin", account.Shell);
        }
        finally
        {
            Run("userdel", name);
        }
    }

    private static int Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardError = true };
        using Process p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}
