// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// tcpserver's -c (children at once) and -C (per client address) under 100 concurrent connections.
public sealed class TcpServerLimitTests
{
    private static Socket Connect(string from, int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        s.Connect(IPAddress.Loopback, port);
        return s;
    }

    private static string ReadAll(Socket s)
    {
        s.ReceiveTimeout = 60_000;
        var buffer = new byte[256];
        var text = new System.Text.StringBuilder();
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0) text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }
        catch (SocketException)
        {
            // reset: counts as closed
        }
        return text.ToString();
    }

    [Fact]
    public void Never_more_than_c_children_and_every_client_is_served_in_turn()
    {
        using var server = new SmtpServer(Path.Combine(Harness.Build, "tcpserver"), "-1", "-v", "-R", "-H", "-l", "0", "-c", "10", "-b", "128",
            "127.0.0.1", "0", "/bin/sh", "-c", "echo served; read line");
        var clients = Enumerable.Range(0, 100).Select(_ => Connect("127.0.0.1", server.Port)).ToList();
        MailService.WaitUntil(() => Regex.Count(server.Log, "tcpserver: ok ") >= 10, "ten children");
        foreach (Socket c in clients) c.Send("done\n"u8.ToArray());   // each child ends when it reads a line
        string[] answers = clients.Select(ReadAll).ToArray();
        foreach (Socket c in clients) c.Dispose();
        Assert.All(answers, a => Assert.Equal("served\n", a));
        int most = Regex.Matches(server.Log, @"tcpserver: status: (\d+)/10").Select(m => int.Parse(m.Groups[1].Value)).Max();
        Assert.Equal(10, most);
    }

    [Fact]
    public void Per_address_limit_drops_the_excess_from_one_address_only()
    {
        using var server = new SmtpServer(Path.Combine(Harness.Build, "tcpserver"), "-1", "-v", "-R", "-H", "-l", "0", "-c", "50", "-C", "5",
            "127.0.0.1", "0", "/bin/sh", "-c", "echo served; read line");
        var a = Enumerable.Range(0, 20).Select(_ => Connect("127.0.0.1", server.Port)).ToList();
        var b = Enumerable.Range(0, 20).Select(_ => Connect("127.0.0.2", server.Port)).ToList();
        MailService.WaitUntil(() => Regex.Count(server.Log, "tcpserver: ok ") + Regex.Count(server.Log, "per-address limit") >= 40, "every connection handled");
        foreach (Socket c in a.Concat(b)) { try { c.Send("done\n"u8.ToArray()); } catch (SocketException) { } }
        Assert.Equal(5, a.Select(ReadAll).Count(x => x == "served\n"));
        Assert.Equal(5, b.Select(ReadAll).Count(x => x == "served\n"));
        foreach (Socket c in a.Concat(b)) c.Dispose();
        Assert.Equal(30, Regex.Count(server.Log, "dropping connection from 127.0.0.[12]: per-address limit 5 reached"));
    }
}
