// SPDX-License-Identifier: MIT
// tcpclient [opts] host port program [arg...]: connects to host:port and runs program with the
// connection on fds 6 (read) and 7 (write), and the TCP* variables set (ucspi-tcp's interface).
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.TcpClient;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("tcpclient");
        if (ClientOptions.Parse(args) is not { } o)
        {
            Log.Fatal("usage: tcpclient [ -hHrRdDqQv ] [ -i localip ] [ -p localport ] [ -T timeoutconn ] [ -l localname ] [ -t timeoutinfo ] host port program");
            return ExitCodes.Permanent;
        }
        try
        {
            using Socket socket = Connector.Connect(o);
            var local = (IPEndPoint)socket.LocalEndPoint!;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (o.Verbose) Log.Info($"connected to {remote.Address} port {remote.Port}");
            int fd = (int)socket.Handle;
            Blocking.Clear(fd);   // .NET's connect left it non-blocking: a shell's read would see EAGAIN as an error
            ExitStatus status = Spawn.Run(new SpawnRequest(Spawn.FindInPath(o.Program[0]), o.Program, Env.Strings(Environment(o, local, remote)),
                new Dictionary<int, int> { [0] = 0, [1] = 1, [2] = 2, [6] = fd, [7] = fd }));
            return status.Exited ? status.Code : ExitCodes.Temporary;
        }
        catch (FailureException e)
        {
            if (!o.Quiet) Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    // The environment ucspi-tcp's tcpclient gives the program: PROTO=TCP and the TCP* variables of
    // both ends (a stale TCPREMOTEINFO or host name from our own environment is removed).
    private static Dictionary<string, string> Environment(ClientOptions o, IPEndPoint local, IPEndPoint remote)
    {
        Dictionary<string, string> env = Env.Snapshot();
        foreach (string stale in (string[])["TCPLOCALHOST", "TCPREMOTEHOST", "TCPREMOTEINFO"]) env.Remove(stale);
        env["PROTO"] = "TCP";
        env["TCPLOCALIP"] = Text(local.Address);
        env["TCPLOCALPORT"] = local.Port.ToString(CultureInfo.InvariantCulture);
        env["TCPREMOTEIP"] = Text(remote.Address);
        env["TCPREMOTEPORT"] = remote.Port.ToString(CultureInfo.InvariantCulture);
        if (o.LocalName is not null) env["TCPLOCALHOST"] = o.LocalName;
        if (o.LookUpRemote && ReverseName(remote.Address) is { } name) env["TCPREMOTEHOST"] = name;
        return env;
    }

    private static string Text(IPAddress a) => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();

    private static string? ReverseName(IPAddress address)
    {
        try
        {
            return Dns.GetHostEntry(address).HostName;
        }
        catch (SocketException)
        {
            return null;   // no name: TCPREMOTEHOST stays unset, as in ucspi-tcp
        }
    }
}
