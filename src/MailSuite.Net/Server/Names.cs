// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>Reverse lookups for TCPLOCALHOST and TCPREMOTEHOST; with -p the name must lead back to the address.</summary>
public static class Names
{
    /// <summary>The name of an address, or null.</summary>
    public static string? Reverse(IPAddress address, bool paranoid = false)
    {
        try
        {
            string name = Dns.GetHostEntry(address).HostName.ToLowerInvariant();
            if (name.Length == 0 || IPAddress.TryParse(name, out _)) return null;
            if (paranoid && !Dns.GetHostAddresses(name).Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)) return null;
            return name;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>RFC 1413 ident: ask the client's port 113 who owns the connection (TCPREMOTEINFO), within -t seconds.</summary>
public static class Ident
{
    /// <summary>The user name the client's identd gives, or null.</summary>
    public static string? Query(IPEndPoint local, IPEndPoint remote, int timeoutSeconds)
    {
        try
        {
            using var s = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(local.Address, 0));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            s.ConnectAsync(new IPEndPoint(remote.Address, 113), cts.Token).AsTask().Wait(cts.Token);
            s.ReceiveTimeout = s.SendTimeout = timeoutSeconds * 1000;
            s.Send(System.Text.Encoding.ASCII.GetBytes($"{remote.Port} , {local.Port}\r\n"));
            byte[] buffer = new byte[512];
            int n = s.Receive(buffer);
            string[] parts = System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim().Split(':');
            return parts.Length >= 4 && parts[1].Trim() == "USERID" ? parts[3].Trim() : null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or AggregateException or IOException)
        {
            return null;
        }
    }
}
