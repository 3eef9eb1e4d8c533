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

/// <summary>
/// A fresh install as root in a temporary prefix. scripts/install itself runs once per host name
/// per test run (into a template, as an administrator would run it; ~1.4 s of fsyncs and 90 MB);
/// each test gets a copy of that template (cp -a keeps owners, modes, the setuid bit and the
/// FIFO), its own to change. InstallTests run scripts/install themselves.
/// </summary>
internal sealed class TempInstall : IDisposable
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> Templates = new();

    public string Prefix { get; } = Path.Combine("/tmp", "mailsuite-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public TempInstall(string fqdn = "mail.example.test")
    {
        Harness.RequireRoot();
        _ = Harness.Build;
        string template = Templates.GetOrAdd(fqdn, f => new Lazy<string>(() => MakeTemplate(f))).Value;
        Harness.Ok("cp", "-a", template, Prefix);
        string boot = Path.Combine(Prefix, "rc");   // the one installed file that names its prefix
        File.WriteAllText(boot, File.ReadAllText(boot).Replace(template, Prefix, StringComparison.Ordinal));
        // Tests talk to loopback only: remote mail goes to a closed port unless a test routes it.
        File.WriteAllText(Path.Combine(Prefix, "control/smtproutes"), Unreachable + "\n");
    }

    /// <summary>The default route of a test install: a closed loopback port.</summary>
    public const string Unreachable = ":[127.0.0.1]:1";

    private static string MakeTemplate(string fqdn)
    {
        string dir = Path.Combine("/tmp", "mailsuite-e2e-template-" + Guid.NewGuid().ToString("N")[..8]);
        Harness.Ok(Path.Combine(Harness.RepoRoot, "scripts", "install"), "--prefix", dir, "--no-build", "--fqdn", fqdn);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        return dir;
    }

    public string Bin(string program) => Path.Combine(Prefix, "bin", program);

    public void Dispose()
    {
        if (Directory.Exists(Prefix)) Directory.Delete(Prefix, recursive: true);
    }
}
