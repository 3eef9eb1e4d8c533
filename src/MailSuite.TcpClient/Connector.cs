// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.TcpClient;

/// <summary>
/// tcpclient's connection: the host's addresses (an IP address as it is, a name through the
/// system's resolver), each tried for the first timeout, then each again for the second; the
/// first that answers wins. A failure is temporary and names the host, port and reason.
/// </summary>
internal static class Connector
{
    public static Socket Connect(ClientOptions o)
    {
        IPAddress[] addresses = Addresses(o.Host);
        string last = "no address";
        foreach (double seconds in (double[])[o.FirstTry, o.SecondTry])
        {
            if (seconds <= 0) continue;
            foreach (IPAddress address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = o.NoDelay };
                try
                {
                    if (o.LocalIp is not null || o.LocalPort != 0) socket.Bind(new IPEndPoint(o.LocalIp is null ? Any(address) : IPAddress.Parse(o.LocalIp), o.LocalPort));
                    using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
                    socket.ConnectAsync(new IPEndPoint(address, o.Port), limit.Token).AsTask().GetAwaiter().GetResult();
                    return socket;
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or FormatException)
                {
                    socket.Dispose();
                    last = e is OperationCanceledException ? "timed out" : ErrorText.Of(e);
                }
            }
        }
        throw new FailureException(Failure.Temporary("4.4.1", $"unable to connect to {o.Host} port {o.Port}: {last}"));
    }

    private static IPAddress[] Addresses(string host)
    {
        if (IPAddress.TryParse(host, out IPAddress? ip)) return [ip];
        try
        {
            return Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new FailureException(Failure.Temporary("4.4.3", $"unable to figure out IP address for {host}: {ErrorText.Of(e)}"));
        }
    }

    private static IPAddress Any(IPAddress like) => like.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
}
