// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

public sealed class AdminToolTests : IDisposable
{
    private readonly TempInstall install = new("rudolph.northpole.com");

    public void Dispose() => install.Dispose();

    private string Control(string name) => Path.Combine(install.Prefix, "control", name);

    [Fact]
    public void Config_fast_writes_qmails_basic_controls_once()
    {
        Assert.Equal("rudolph.northpole.com\n", File.ReadAllText(Control("me")));
        Assert.Equal("northpole.com\n", File.ReadAllText(Control("defaultdomain")));
        Assert.Equal("northpole.com\n", File.ReadAllText(Control("plusdomain")));
        Harness.Ok(install.Bin("config-fast"), "rudolph.northpole.com");
        Assert.Equal("rudolph.northpole.com\n", File.ReadAllText(Control("locals")));
        Assert.Equal("rudolph.northpole.com\n", File.ReadAllText(Control("rcpthosts")));
        Assert.Equal("-rw-r--r--", Harness.Ok("stat", "-c", "%A", Control("rcpthosts")).Stdout.Trim());
    }

    // A single-label name makes qmail-inject write user@vm as user@vm.vm: config-fast still
    // writes the files (it may be what the administrator wants) but says so and how to fix it.
    [Fact]
    public void Config_fast_warns_about_a_single_label_host_name()
    {
        Ran r = Harness.Run(install.Bin("config-fast"), ["vm"]);
        Assert.Equal(0, r.Exit);
        Assert.Contains("config-fast: warning: vm has a single label: qmail-inject completes user@vm to user@vm.vm", r.Stderr);
        Assert.Contains("control/defaultdomain", r.Stderr);
        Assert.Equal("vm\n", File.ReadAllText(Control("me")));
        Assert.DoesNotContain("warning", Harness.Ok(install.Bin("config-fast"), "rudolph.northpole.com").Stderr);
    }

    [Fact]
    public void Config_fast_refuses_what_is_not_a_host_name()
    {
        Ran r = Harness.Run(install.Bin("config-fast"), ["bad name;rm -rf"]);
        Assert.Equal(100, r.Exit);
        Assert.Contains("config-fast: fatal: not a host name", r.Stderr);
    }

    [Fact]
    public void Showctl_prints_values_defaults_and_strays()
    {
        File.WriteAllText(Control("databytes"), "5000000\n");
        File.WriteAllText(Control("badmailfrom"), "# spammers\n@spam.example\n");
        File.WriteAllText(Control("rcpthost"), "typo.example\n");

        string o = Harness.Ok(install.Bin("qmail-showctl")).Stdout;

        Assert.StartsWith($"qmail home directory: {install.Prefix}.\n", o);
        Assert.Contains("\nsubdirectory split: 23.\n", o);
        Assert.Contains("\nme: My name is rudolph.northpole.com.\n", o);
        Assert.Contains("\ndatabytes: SMTP DATA limit is 5000000 bytes.\n", o);
        Assert.Contains("\nbadmailfrom: \n@spam.example\n", o);
        Assert.Contains("\nbouncehost: (Default.) Bounce host name is rudolph.northpole.com.\n", o);
        Assert.Contains("\nqueuelifetime: (Default.) Message lifetime in the queue is 604800 seconds.\n", o);
        Assert.Contains("\nlocals: \nMessages for rudolph.northpole.com are delivered locally.\n", o);
        Assert.Contains("\ncontrol/rcpthost: I have no idea what this file does.\n", o);
        string uids = Harness.Ok("id", "-u", "alias").Stdout.Trim();
        Assert.Contains($"\nuser ids: {uids}, ", o);
    }

    [Fact]
    public void Showctl_explains_what_mailsuite_reads_beyond_qmail_and_never_shows_a_password()
    {
        File.WriteAllText(Control("remoteauth"), "[192.0.2.1]:relayuser:s3cret-pass\n");
        File.WriteAllText(Control("tlsdestinations"), "example.com:verify\n");
        File.WriteAllText(Control("authlimits"), "5:600\n");
        File.WriteAllText(Control("smtp.tcp"), "127.:allow\n:deny\n");
        File.Copy(Control("servercert.pem"), Control("tlsanchors.pem"));   // its key block is not a certificate: skipped
        Assert.Contains("\ndomainkeys: (Default.) No DKIM keys: qmail-remote signs nothing.\n", Harness.Ok(install.Bin("qmail-showctl")).Stdout);
        Harness.Ok(install.Bin("dknewkey"), "--prefix", install.Prefix, "example.org", "s1");

        string o = Harness.Ok(install.Bin("qmail-showctl")).Stdout;

        Assert.Contains("\nremoteauth: \nAUTH to relay [192.0.2.1] as relayuser (password not shown).\n", o);
        Assert.DoesNotContain("s3cret-pass", o);
        Assert.Contains("\ndomainkeys: \nDKIM: mail from example.org is signed with selector s1.\n", o);
        Assert.DoesNotContain("PRIVATE KEY", o);
        Assert.Contains("\ntlsdestinations: \nTLS policy for remote delivery: example.com:verify\n", o);
        Assert.Contains("\nauthlimits: Failed logins from one address before a lockout, and its seconds: 5:600\n", o);
        Assert.Contains("\ntimeoutsmtpdsession: (Default.) SMTP server session limit is 3600 seconds.\n", o);
        Assert.Matches(@"\ntlsanchors\.pem: \nqmail-remote also trusts the CA CN=[^\n]+\.\n", o);
        Assert.Matches(@"\nservercert\.pem: Certificate for CN=[^,\n]+, issued by CN=[^\n]+, valid until \d{4}-\d\d-\d\d\.\n", o);
        Assert.Contains("\nsmtp.tcp: tcprules source for SMTP (25, 465): 2 rules; Oops! smtp.cdb is missing or older: run tcprules.\n", o);
        Assert.DoesNotContain("I have no idea what this file does", o);
    }

    [Fact]
    public void Showctl_never_shows_an_unreadable_file_as_its_default()
    {
        File.Delete(Control("databytes"));   // the install's limit, replaced by what cannot be read as a file
        Directory.CreateDirectory(Control("databytes"));
        string o = Harness.Ok(install.Bin("qmail-showctl")).Stdout;
        Assert.Contains("\ndatabytes: Oops! Trouble reading this file.\n", o);
    }

    [Fact]
    public void Maildirmake_makes_a_private_maildir_and_refuses_an_existing_one()
    {
        string dir = Path.Combine(install.Prefix, "md");
        Harness.Ok(install.Bin("maildirmake"), dir);
        foreach (string d in (string[])["", "tmp", "new", "cur"])
            Assert.Equal("drwx------", Harness.Ok("stat", "-c", "%A", Path.Combine(dir, d)).Stdout.Trim());
        Ran again = Harness.Run(install.Bin("maildirmake"), [dir]);
        Assert.Equal(111, again.Exit);
        Assert.Contains("maildirmake: fatal: unable to mkdir", again.Stderr);
        Assert.Equal(100, Harness.Run(install.Bin("maildirmake"), []).Exit);
    }

    [Fact]
    public void Setuidgid_drops_to_qmaild_with_its_own_groups()
    {
        string expected = Harness.Ok("id", "qmaild").Stdout.Trim();
        Ran r = Harness.Ok(install.Bin("setuidgid"), "qmaild", "id");
        Assert.Equal(expected, r.Stdout.Trim());
        Assert.StartsWith("uid=", expected);
        Assert.Contains("(nofiles)", expected);
        // ...and the dropped process really cannot get root back: /proc shows all four ids.
        string status = Harness.Ok(install.Bin("setuidgid"), "qmaild", "grep", "-E", "^(Uid|Gid):", "/proc/self/status").Stdout;
        string uid = Harness.Ok("id", "-u", "qmaild").Stdout.Trim();
        string gid = Harness.Ok("id", "-g", "qmaild").Stdout.Trim();
        Assert.Contains($"Uid:\t{uid}\t{uid}\t{uid}\t{uid}", status);
        Assert.Contains($"Gid:\t{gid}\t{gid}\t{gid}\t{gid}", status);
    }

    [Theory]
    [InlineData("root", "refusing to run as root: uid 0")]
    [InlineData("no-such-account", "unknown account no-such-account")]
    public void Setuidgid_refuses_root_and_unknown_accounts(string account, string message)
    {
        Ran r = Harness.Run(install.Bin("setuidgid"), [account, "id"]);
        Assert.Equal(111, r.Exit);
        Assert.Equal("", r.Stdout);
        Assert.Contains($"setuidgid: fatal: {message}", r.Stderr);
    }
}
