// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>
/// The listening half of tcpserver: bind and listen (IPv4, IPv6, or both for "::"), then drop to
/// -g/-u before any client is heard; accept while fewer than -c children run (and fewer than -C
/// from the client's address), handing each connection to its own thread. SIGTERM ends the
/// server; running children go on, as in ucspi-tcp.
/// </summary>
public sealed class TcpServer(TcpServerOptions o, IConnectionHandoff handoff) : IDisposable
{
    private readonly object gate = new();
    private readonly Dictionary<string, int> perIp = [];
    private Socket? listener;
    private int children;
    private readonly WorkerThreads workers = new(o.Limit, "connection");

    /// <summary>Binds and listens, prints the port with -1, then gives up root for -u/-g.</summary>
    public void Listen()
    {
        IPAddress address = Resolve(o.Host);
        int port = Services.Port(o.Port) ?? throw new FailureException(Failure.Temporary("4.3.0", $"unable to figure out port number for {o.Port}"));
        listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.Equals(IPAddress.IPv6Any)) listener.DualMode = true;
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(o.Backlog);
        }
        catch (SocketException e)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to bind: {ErrorText.Of(e)}"));
        }
        if (o.PrintPort)
        {
            using var stdout = Fd.OpenWrite(1);
            stdout.Write(System.Text.Encoding.ASCII.GetBytes($"{((IPEndPoint)listener.LocalEndPoint!).Port}\n"));
        }
        if (o.Uid is uint uid)
            Privileges.DropTo(new Account("tcpserver", uid, o.Gid ?? Privileges.RealGid, "/", ""), supplementary: false);
    }

    /// <summary>Accepts for ever (until SIGTERM).</summary>
    public int Run()
    {
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Environment.Exit(ExitCodes.Success));
        Status();
        while (true)
        {
            lock (gate)
                while (children >= o.Limit) Monitor.Wait(gate);
            Socket client;
            try
            {
                client = listener!.Accept();
            }
            catch (SocketException e)
            {
                Report($"warning: unable to accept: {ErrorText.Of(e)}");
                continue;
            }
            string ip = TcpConnection.RemoteIp(client);
            lock (gate)
            {
                if (o.PerIpLimit > 0 && perIp.GetValueOrDefault(ip) >= o.PerIpLimit)
                {
                    Report($"warning: dropping connection from {ip}: per-address limit {o.PerIpLimit} reached");
                    client.Dispose();
                    continue;
                }
                children++;
                perIp[ip] = perIp.GetValueOrDefault(ip) + 1;
            }
            Status();
            workers.Run(() => Serve(client, ip));
        }
    }

    private void Serve(Socket client, string ip)
    {
        try
        {
            new TcpConnection(client, o, handoff, Report).Run();
        }
        finally
        {
            lock (gate)
            {
                children--;
                if (--perIp[ip] == 0) perIp.Remove(ip);
                Monitor.PulseAll(gate);
            }
            Status();
        }
    }

    private void Status()
    {
        if (o.Verbosity == Verbosity.Verbose) Report($"status: {Volatile.Read(ref children)}/{o.Limit}");
    }

    // One line per event on fd 2, as ucspi-tcp prints them: "tcpserver: ok 123 ...".
    private void Report(string line)
    {
        bool isError = line.StartsWith("warning:", StringComparison.Ordinal) || line.StartsWith("fatal:", StringComparison.Ordinal);
        if (o.Verbosity == Verbosity.Verbose || (isError && o.Verbosity == Verbosity.Errors)) Log.Event(line);
    }

    private static IPAddress Resolve(string host)
    {
        if (host is "0" or "") return IPAddress.Any;
        if (IPAddress.TryParse(host, out IPAddress? ip)) return ip;
        try
        {
            return Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to figure out IP address for {host}"));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => listener?.Dispose();
}
