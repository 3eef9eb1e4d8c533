// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSuite.EndToEnd.Tests;

/// <summary>A tcpserver (ours or Debian's) on 127.0.0.1 with a port the OS picks, running a program, its log captured.</summary>
internal sealed class SmtpServer : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private bool disposed;

    public SmtpServer(string tcpserver, params string[] args) : this(new Dictionary<string, string>(), tcpserver, args)
    {
    }

    /// <summary>tcpserver or sslserver with extra environment (CERTFILE, ...).</summary>
    public SmtpServer(IDictionary<string, string> env, string tcpserver, params string[] args)
    {
        var psi = new ProcessStartInfo(tcpserver) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Append(e.Data).Append('\n'); };
        process.BeginErrorReadLine();
        Port = int.Parse(process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("tcpserver printed no port"));
    }

    public int Port { get; }

    /// <summary>The server's process id (for signals).</summary>
    public int Pid => process.Id;

    public string Log
    {
        get { lock (log) return log.ToString(); }
    }

    /// <summary>
    /// Runs a raw dialogue from a given loopback address: sends everything, then reads until the
    /// server closes (or readSeconds pass). With hangUp the client closes its sending side right
    /// after sending, as a client that goes away does.
    /// </summary>
    public string Converse(string send, string from = "127.0.0.1", int readSeconds = 30, bool hangUp = false)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        s.Connect(IPAddress.Loopback, Port);
        s.ReceiveTimeout = readSeconds * 1000;
        s.Send(Encoding.Latin1.GetBytes(send));
        if (hangUp) s.Shutdown(SocketShutdown.Send);
        var all = new MemoryStream();
        byte[] buffer = new byte[8192];
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0) all.Write(buffer, 0, n);
        }
        catch (SocketException)
        {
            // reset by peer: what arrived is the answer
        }
        return Encoding.Latin1.GetString(all.ToArray());
    }

    public void Dispose()
    {
        if (disposed) return;   // a test may stop the server before the fixture does
        disposed = true;
        if (!process.HasExited) process.Kill();
        process.WaitForExit();
        process.Dispose();
    }
}
