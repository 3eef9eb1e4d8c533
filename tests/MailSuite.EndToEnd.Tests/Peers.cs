// SPDX-License-Identifier: MIT
using System.Diagnostics;

namespace MailSuite.EndToEnd.Tests;

/// <summary>A peer process of a test (dnsmasq, smtp-sink, aiosmtpd), killed with the test.</summary>
internal sealed class Peer : IDisposable
{
    private readonly Process process;

    public Peer(string program, IEnumerable<string> args, string? waitForLine = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        process = Process.Start(psi)!;
        if (waitForLine is not null)
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && line != waitForLine) { }
            if (line is null) throw new InvalidOperationException($"{program} ended: {process.StandardError.ReadToEnd()}");
        }
        process.StandardError.ReadToEndAsync();
    }

    /// <summary>The peer's pid.</summary>
    public int Pid => process.Id;

    /// <summary>dnsmasq answering for *.test from its command line only, on 127.0.0.153:53 (DNSCACHEIP's port).</summary>
    public static Peer Dns(params string[] records)
    {
        string[] args = ["-k", "--conf-file=/dev/null", "--listen-address=" + DnsAddress, "--bind-interfaces", "--port=53",
            "--no-resolv", "--no-hosts", "-u", "root", "--pid-file=", "--local=/test/", .. records];
        var peer = new Peer("dnsmasq", args);
        WaitForPort(DnsAddress, 53, udp: true);
        return peer;
    }

    public const string DnsAddress = "127.0.0.153";

    /// <summary>Postfix's smtp-sink on address:25, dumping each message into dir.</summary>
    public static Peer Sink(string address, string dir, params string[] options)
    {
        var peer = new Peer("smtp-sink", ["-u", "root", "-d", Path.Combine(dir, "%H%M%S."), .. options, $"{address}:25", "20"]);
        WaitForPort(address, 25);
        return peer;
    }

    private static void WaitForPort(string address, int port, bool udp = false) => MailService.WaitUntil(() =>
    {
        if (udp) return Harness.Run("sh", ["-c", $"ss -Hlun 'src {address}:{port}' | grep -q ."]).Exit == 0;
        try
        {
            using var c = new System.Net.Sockets.TcpClient(address, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }, $"{address}:{port} to listen", 20);

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
