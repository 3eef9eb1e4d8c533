// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Text;

namespace MailSuite.EndToEnd.Tests;

/// <summary>tshark capturing one loopback port into a pcap file, for tests that look at what crossed the wire.</summary>
internal sealed class Capture : IDisposable
{
    private readonly Process tshark;
    private readonly string file;

    public Capture(string file, int port)
    {
        this.file = file;
        var psi = new ProcessStartInfo("tshark") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-i", "lo", "-f", $"tcp port {port}", "-w", file, "-q" }) psi.ArgumentList.Add(a);
        tshark = Process.Start(psi)!;
        // tshark says "Capturing on 'Loopback: lo'" once the capture runs.
        string? line;
        while ((line = tshark.StandardError.ReadLine()) is not null && !line.Contains("Capturing on", StringComparison.Ordinal)) { }
        tshark.StandardError.ReadToEndAsync();
    }

    /// <summary>Stops the capture and returns every captured byte as Latin-1 text.</summary>
    public string Stop()
    {
        Thread.Sleep(500);   // let the last packets reach the capture buffer
        if (!tshark.HasExited) Harness.Ok("kill", "-INT", tshark.Id.ToString());
        tshark.WaitForExit();
        return Encoding.Latin1.GetString(File.ReadAllBytes(file));
    }

    public void Dispose()
    {
        if (!tshark.HasExited) tshark.Kill();
        tshark.Dispose();
    }
}
