// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Text;

namespace MailSuite.EndToEnd.Tests;

/// <summary>
/// The local mail service of a temporary install, started as the boot script starts it
/// (env - PATH=prefix/bin:... qmail-start ./Maildir/ [logger]), with qmail-send's log captured
/// when no logger is named.
/// </summary>
internal sealed class MailService : IDisposable
{
    private readonly TempInstall install;
    private readonly StringBuilder log = new();
    private readonly string[] wrapper;
    private Process? start;

    public MailService(TempInstall install, params string[] logger) : this(install, [], logger)
    {
    }

    private MailService(TempInstall install, string[] wrapper, string[] logger)
    {
        this.install = install;
        this.wrapper = wrapper;
        Start(logger);
    }

    /// <summary>The service started through a wrapper that execs the rest of its arguments in its own process (unshare, sh -c 'exec "$@"').</summary>
    public static MailService Wrapped(TempInstall install, params string[] wrapper) => new(install, wrapper, []);

    public int Pid => start!.Id;

    /// <summary>Where qmail-remote sends its DNS queries (a test's own DNS server, or nobody).</summary>
    public string DnsCacheIp { get; set; } = "127.0.0.1";

    public string Log
    {
        get { lock (log) return log.ToString(); }
    }

    public void Start(params string[] logger)
    {
        // DNS at a loopback address where nobody answers: no test ever asks the network's resolver.
        string[] argv = [.. wrapper, "/usr/bin/env", "-", $"PATH={install.Prefix}/bin:/usr/bin:/bin", $"DNSCACHEIP={DnsCacheIp}", install.Bin("qmail-start"), "./Maildir/", .. logger];
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (string a in argv[1..]) psi.ArgumentList.Add(a);
        start = Process.Start(psi)!;
        start.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Append(e.Data).Append('\n'); };
        start.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Append(e.Data).Append('\n'); };
        start.BeginOutputReadLine();
        start.BeginErrorReadLine();
        try
        {
            WaitUntil(() => ProcessIds("qmail-send").Length > 0, "qmail-send to start");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; qmail-start {(start.HasExited ? $"exited {start.ExitCode}" : "runs")}; log:\n{Log}");
        }
    }

    /// <summary>Pids of the suite's processes of this install, by program name.</summary>
    public int[] ProcessIds(string program) => Harness.Pids(exe => exe == install.Bin(program));

    public static void Signal(string signal, int pid) => Harness.Ok("kill", "-" + signal, pid.ToString());

    /// <summary>Stops the service with SIGTERM and waits for every process to end.</summary>
    public int Stop()
    {
        if (start is null || start.HasExited) return start?.ExitCode ?? 0;
        Signal("TERM", start.Id);
        if (!start.WaitForExit(TimeSpan.FromMinutes(2))) throw new TimeoutException("qmail-start did not stop");
        start.WaitForExit();
        return start.ExitCode;
    }

    public void WaitForExit()
    {
        if (start is not null && !start.WaitForExit(TimeSpan.FromMinutes(2))) throw new TimeoutException("qmail-start did not end");
    }

    public static void WaitUntil(Func<bool> done, string what, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"gave up waiting for {what}");
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (TimeoutException)
        {
            start?.Kill(entireProcessTree: true);
        }
        start?.Dispose();
    }
}
