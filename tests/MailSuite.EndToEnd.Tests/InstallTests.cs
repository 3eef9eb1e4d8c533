// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace MailSuite.EndToEnd.Tests;

public sealed class InstallTests : IDisposable
{
    private readonly TempInstall install = new();

    public void Dispose() => install.Dispose();

    [Fact]
    public void Install_creates_qmails_accounts_and_a_tree_instcheck_accepts()
    {
        foreach (string user in (string[])["alias", "qmaild", "qmaill", "qmailp"])
            Assert.Equal("nofiles", Harness.Ok("id", "-gn", user).Stdout.Trim());
        foreach (string user in (string[])["qmailq", "qmailr", "qmails"])
            Assert.Equal("qmail", Harness.Ok("id", "-gn", user).Stdout.Trim());
        Ran check = Harness.Run(install.Bin("instcheck"), []);
        Assert.Equal((0, ""), (check.Exit, check.Stderr));
        Assert.Equal("prw--w--w- qmails qmail", Harness.Ok("stat", "-c", "%A %U %G", Path.Combine(install.Prefix, "queue/lock/trigger")).Stdout.Trim());
        Assert.Equal("drwx------ qmails qmail", Harness.Ok("stat", "-c", "%A %U %G", Path.Combine(install.Prefix, "queue/remote/22")).Stdout.Trim());
        Assert.Equal("drwxr-sr-x alias qmail", Harness.Ok("stat", "-c", "%A %U %G", Path.Combine(install.Prefix, "alias")).Stdout.Trim());
    }

    [Fact]
    public void A_test_install_is_a_copy_that_names_no_other_tree()
    {
        // TempInstall copies one scripts/install per run: nothing in the copy may still point at
        // the template, or a test would run another tree's programs and queue.
        Ran grep = Harness.Run("grep", ["-rl", "mailsuite-e2e-template-", install.Prefix]);
        Assert.True(grep.Exit == 1 && grep.Stdout.Length == 0, grep.Stdout);
        Assert.Contains($"PATH=\"{install.Prefix}/bin:", File.ReadAllText(Path.Combine(install.Prefix, "rc")));
    }

    [Fact]
    public void Instcheck_names_each_discrepancy_and_fails()
    {
        string showctl = install.Bin("qmail-showctl");
        string todo = Path.Combine(install.Prefix, "queue/todo");
        Harness.Ok("chmod", "0775", showctl);
        Harness.Ok("chown", "qmails", todo);
        Harness.Ok("ln", showctl, install.Bin("qmail-showctl.copy"));

        Ran check = Harness.Run(install.Bin("instcheck"), []);

        Assert.Equal(1, check.Exit);
        Assert.Contains($"instcheck: warning: {showctl}: mode 0775, expected 0755", check.Stderr);
        Assert.Contains($"instcheck: warning: {todo}: owner qmails, expected qmailq", check.Stderr);
        Assert.Contains($"instcheck: warning: {showctl}: has 2 links, expected 1", check.Stderr);
        Assert.Contains($"instcheck: warning: {install.Bin("qmail-showctl.copy")}: not part of the install", check.Stderr);
    }

    [Fact]
    public void Installing_again_changes_nothing()
    {
        string before = Snapshot(install.Prefix);
        string accounts = File.ReadAllText("/etc/passwd") + File.ReadAllText("/etc/group");
        Thread.Sleep(1100);   // into the next second, so that any rewrite shows in an mtime

        Ran again = Harness.Ok(Path.Combine(Harness.RepoRoot, "scripts", "install"), "--prefix", install.Prefix, "--no-build");

        Assert.Equal("", again.Stdout);
        Assert.Equal(before, Snapshot(install.Prefix));
        Assert.Equal(accounts, File.ReadAllText("/etc/passwd") + File.ReadAllText("/etc/group"));
    }

    [Fact]
    public void Install_repairs_what_was_broken_and_says_what_it_did()
    {
        string showctl = install.Bin("qmail-showctl");
        Harness.Ok("chmod", "0700", showctl);
        Directory.Delete(Path.Combine(install.Prefix, "queue/mess/7"));
        File.WriteAllText(install.Bin("qmail-oldprogram"), "#!/bin/sh\n");

        Ran again = Harness.Ok(Path.Combine(Harness.RepoRoot, "scripts", "install"), "--prefix", install.Prefix, "--no-build");

        Assert.Contains($"chmod 0755 {showctl}", again.Stdout);
        Assert.Contains($"created {install.Prefix}/queue/mess/7", again.Stdout);
        Assert.Contains($"removed {install.Bin("qmail-oldprogram")}", again.Stdout);
        Assert.Equal(0, Harness.Run(install.Bin("instcheck"), []).Exit);
    }

    [Fact]
    public void Tree_is_relocatable_without_a_rebuild()
    {
        string moved = install.Prefix + "-moved";
        Directory.Move(install.Prefix, moved);
        try
        {
            Ran show = Harness.Ok(Path.Combine(moved, "bin", "qmail-showctl"));
            Assert.Contains($"qmail home directory: {moved}.", show.Stdout);
            Assert.Contains("me: My name is mail.example.test.", show.Stdout);
            Assert.Equal(0, Harness.Run(Path.Combine(moved, "bin", "instcheck"), []).Exit);
        }
        finally
        {
            Directory.Move(moved, install.Prefix);
        }
    }

    [Fact]
    public void Private_install_maps_every_role_to_the_installing_user()
    {
        // Run the installer as 'nobody' from a world-readable copy of the build.
        string build = Path.Combine("/tmp", "mailsuite-build-" + Guid.NewGuid().ToString("N")[..8]);
        string prefix = build + "-tree";
        Harness.Ok("cp", "-r", Harness.Build, build);
        Harness.Ok("chmod", "-R", "a+rX", build);
        try
        {
            Ran r = Harness.Run(install.Bin("setuidgid"), ["nobody", Path.Combine(build, "mailsuite-install"), "--prefix", prefix, "--from", build]);
            Assert.True(r.Exit == 0, r.Stderr);
            Assert.Equal("nobody", Harness.Ok("stat", "-c", "%U", Path.Combine(prefix, "queue/lock/trigger")).Stdout.Trim());
            Assert.Equal("nobody", Harness.Ok("stat", "-c", "%U", Path.Combine(prefix, "bin/qmail-showctl")).Stdout.Trim());
            Assert.Equal(0, Harness.Run(Path.Combine(prefix, "bin", "instcheck"), []).Exit);
        }
        finally
        {
            Directory.Delete(build, recursive: true);
            if (Directory.Exists(prefix)) Directory.Delete(prefix, recursive: true);
        }
    }

    // Path, kind, owner, group, mode, size, mtime and content hash of everything in the tree.
    private static string Snapshot(string prefix)
    {
        var lines = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(prefix, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string stat = Harness.Ok("stat", "-c", "%F %U %G %a %s %Y", path).Stdout.Trim();
            string hash = File.GetAttributes(path).HasFlag(FileAttributes.Directory) || stat.StartsWith("fifo")
                ? "" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
            lines.Add($"{path} {stat} {hash}");
        }
        return string.Join('\n', lines);
    }
}
