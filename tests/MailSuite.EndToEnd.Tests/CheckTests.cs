// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace MailSuite.EndToEnd.Tests;

// mailsuite-check, the guide's "Check Configuration" list, on an install running under rc/mailsuite.
public sealed class CheckTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser bob = new("mstestbob");
    private readonly Dictionary<string, string> env;
    private readonly string passwordFile;

    public CheckTests()
    {
        Harness.Ok(install.Bin("setuidgid"), bob.Name, install.Bin("maildirmake"), bob.Path("Maildir"));
        bob.SetPassword(Pop3Tests.Password);
        passwordFile = Path.Combine(install.Prefix, "password");
        File.WriteAllText(passwordFile, Pop3Tests.Password + "\n");
        env = new Dictionary<string, string>
        {
            ["PREFIX"] = install.Prefix, ["SMTP_PORT"] = RcTests.FreePort(), ["SMTPS_PORT"] = RcTests.FreePort(),
            ["SUBMISSION_PORT"] = RcTests.FreePort(), ["POP3_PORT"] = RcTests.FreePort(), ["POP3S_PORT"] = RcTests.FreePort(),
            ["PIDDIR"] = Path.Combine(install.Prefix, "run"), ["LOGDIR"] = Path.Combine(install.Prefix, "log"),
        };
        Ran started = Harness.Run(Path.Combine(Harness.RepoRoot, "rc/mailsuite"), ["start"], env: env);
        Assert.True(started.Exit == 0, started.Stderr);
        Harness.Ok(Path.Combine(Harness.RepoRoot, "scripts/baseline"), "--prefix", install.Prefix);
    }

    public void Dispose()
    {
        Harness.Run(Path.Combine(Harness.RepoRoot, "rc/mailsuite"), ["stop"], env: env);
        install.Dispose();
    }

    private Ran Check() => Harness.Run(install.Bin("mailsuite-check"), ["--prefix", install.Prefix, "--user", bob.Name, "--password-file", passwordFile,
        "--ports", $"smtp={env["SMTP_PORT"]},smtps={env["SMTPS_PORT"]},submission={env["SUBMISSION_PORT"]},pop3={env["POP3_PORT"]},pop3s={env["POP3S_PORT"]}"]);

    [Fact]
    public void A_fresh_install_passes_every_item()
    {
        Ran r = Check();
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(10, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("ok    ", l));
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/new")));   // the round trip cleaned up after itself
    }

    [Fact]
    public void A_stray_listener_a_world_writable_control_file_and_changed_files_each_fail_their_line()
    {
        using (var stray = Process.Start(new ProcessStartInfo(install.Bin("tcpserver"), ["-1", "127.0.0.1", "0", "/bin/true"]) { RedirectStandardOutput = true })!)
        {
            string port = stray.StandardOutput.ReadLine()!;
            Ran r = Check();
            Assert.Equal(1, r.Exit);
            Assert.Contains($"FAIL  listening ports are exactly the configured ones: unexpected listener 127.0.0.1:{port} (tcpserver, pid {stray.Id})\n", r.Stdout);
            stray.Kill();
        }

        Harness.Ok("chmod", "0666", Path.Combine(install.Prefix, "control/me"));
        Ran writable = Check();
        Assert.Contains($"FAIL  no control file is writable by group or others: {install.Prefix}/control/me (mode 666)\n", writable.Stdout);
        Assert.Contains("ok    listening ports are exactly the configured ones\n", writable.Stdout);
        Harness.Ok("chmod", "0644", Path.Combine(install.Prefix, "control/me"));

        File.AppendAllText(Path.Combine(install.Prefix, "control/smtpgreeting"), "changed by hand\n");
        Harness.Ok("chmod", "0700", install.Bin("qmail-qstat"));
        Ran changed = Check();
        string line = changed.Stdout.Split('\n').Single(l => l.Contains("integrity baseline", StringComparison.Ordinal));
        Assert.StartsWith("FAIL  the integrity baseline (AIDE) is unchanged: differs: ", line);
        Assert.Contains($"{install.Prefix}/control/smtpgreeting", line);
        Assert.Contains($"{install.Prefix}/bin/qmail-qstat", line);
        Assert.Contains("FAIL  instcheck is clean", changed.Stdout);   // the mode, which instcheck knows too
    }
}
