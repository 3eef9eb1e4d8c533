// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Common.Tests.Posix;

// qmail-popup's way of reading (LeavesUnreadInput): its lines come out, and whatever the client
// sent after them stays in the descriptor for the program it hands the descriptor to, whether
// that is a socket (tcpserver's, sslrelay's socketpair) or a pipe.
public sealed class LineIoHandOverTests
{
    private const string Sent = "USER ann\r\nPASS secret\r\nSTAT\r\nQUIT\r\n";

    [Fact]
    public void On_a_socket_the_bytes_after_the_lines_read_stay_for_the_next_reader()
    {
        using SocketPair pair = SocketPair.Create();
        Assert.Equal("STAT\r\nQUIT\r\n", ReadTwoLinesThenTheRest(pair.First, pair.Second, Sent));
    }

    [Fact]
    public void On_a_pipe_the_bytes_after_the_lines_read_stay_for_the_next_reader()
    {
        using Pipe pipe = Pipe.Create();
        Assert.Equal("STAT\r\nQUIT\r\n", ReadTwoLinesThenTheRest(pipe.Write, pipe.Read, Sent));
    }

    [Fact]
    public void An_overlong_line_is_cut_and_what_follows_it_is_still_read_line_by_line()
    {
        using SocketPair pair = SocketPair.Create();
        string sent = "USER " + new string('a', 40_000) + "\r\nPASS secret\r\nSTAT\r\n";
        Assert.Equal("STAT\r\n", ReadTwoLinesThenTheRest(pair.First, pair.Second, sent, firstTooLong: true));
    }

    private static string ReadTwoLinesThenTheRest(SafeFileHandle writer, SafeFileHandle reader, string sent, bool firstTooLong = false)
    {
        var w = new FdStream(Pipe.Number(writer));
        w.Write(Encoding.ASCII.GetBytes(sent));
        var io = new LineIo(new FdStream(Pipe.Number(reader)), Stream.Null) { LeavesUnreadInput = true };
        string? first = io.ReadLine(out bool tooLong);
        Assert.Equal(firstTooLong, tooLong);
        Assert.StartsWith("USER ", first);
        Assert.Equal("PASS secret", io.ReadLine(out _));

        byte[] rest = new byte[100];
        int n = new FdStream(Pipe.Number(reader)).Read(rest);   // the next program's first read
        return Encoding.ASCII.GetString(rest, 0, n);
    }
}
