// SPDX-License-Identifier: MIT
using System.Diagnostics;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MailSuite.EndToEnd.Tests;

/// <summary>What a finished command left behind.</summary>
internal sealed record Ran(int Exit, string Stdout, string Stderr);

/// <summary>Finds the repository and its published binaries, and runs real commands.</summary>
internal static class Harness
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>artifacts/bin: the Native AOT programs, published once per test run by scripts/test.</summary>
    public static string Build
    {
        get
        {
            string bin = Path.Combine(RepoRoot, "artifacts", "bin");
            if (!File.Exists(Path.Combine(bin, "mailsuite-install")))
                throw new InvalidOperationException($"{bin} has no published programs: run scripts/build (scripts/test does)");
            return bin;
        }
    }

    public static Ran Run(string file, IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? RepoRoot,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish");
        }
        return new Ran(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a command and insists it succeeds, showing its output if not.</summary>
    public static Ran Ok(string file, params string[] args)
    {
        Ran r = Run(file, args);
        Assert.True(r.Exit == 0, $"{file} {string.Join(' ', args)} exited {r.Exit}\n{r.Stdout}\n{r.Stderr}");
        return r;
    }

    /// <summary>Pids of the running processes whose executable satisfies <paramref name="exe"/> (from /proc).</summary>
    public static int[] Pids(Func<string, bool> exe) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return exe(new FileInfo($"/proc/{pid}/exe").LinkTarget ?? ""); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            }).ToArray();

    public static void RequireRoot() =>
        Assert.True(Environment.UserName == "root", "end-to-end tests run as root, as CI does (real accounts, chown)");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MailSuite.sln"))) return d.FullName;
        throw new InvalidOperationException("MailSuite.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh install as root into a temporary prefix, made with the project's own script.</summary>
internal sealed class TempInstall : IDisposable
{
    public string Prefix { get; } = Path.Combine("/tmp", "mailsuite-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public TempInstall(string fqdn = "mail.example.test")
    {
        Harness.RequireRoot();
        _ = Harness.Build;
        Install = Harness.Ok(Path.Combine(Harness.RepoRoot, "scripts", "install"), "--prefix", Prefix, "--no-build", "--fqdn", fqdn);
        // Tests talk to loopback only: remote mail goes to a closed port unless a test routes it.
        File.WriteAllText(Path.Combine(Prefix, "control/smtproutes"), Unreachable + "\n");
    }

    /// <summary>The default route of a test install: a closed loopback port.</summary>
    public const string Unreachable = ":[127.0.0.1]:1";

    public Ran Install { get; }

    public string Bin(string program) => Path.Combine(Prefix, "bin", program);

    public void Dispose()
    {
        if (Directory.Exists(Prefix)) Directory.Delete(Prefix, recursive: true);
    }
}
