// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Popup;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Programs.Tests.Popup;

// qmail-popup's reading of its client, over a real socketpair (what tcpserver and sslrelay give
// it) and a pipe: the lines come out, and on a socket whatever follows the PASS line stays in
// the descriptor for the program fd 0 is handed to.
public sealed class HandOverInputTests
{
    public static TheoryData<string, string> Logins => new()
    {
        { "CAPA\r\nUSER ann\r\nPASS secret\r\nSTAT\r\nQUIT\r\n", "STAT\r\nQUIT\r\n" },
        { "USER " + new string('a', 40_000) + "\r\npAsS secret\r\nSTAT\r\n", "STAT\r\n" },   // an overlong line first; pass in any case
    };

    [Theory]
    [MemberData(nameof(Logins))]
    public void Commands_sent_with_the_login_stay_for_the_next_program(string sent, string rest)
    {
        using SocketPair pair = SocketPair.Create();
        LineIo io = Reader(pair.Second);
        Send(pair.First, sent);
        string? line;
        do line = io.ReadLine(out _);
        while (line is not null && !line.StartsWith("pass ", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("secret", line?[5..]);
        Assert.Equal(rest, Rest(pair.Second));
    }

    [Fact]
    public void A_pass_line_that_arrives_in_two_pieces_is_still_the_last_line_read()
    {
        using SocketPair pair = SocketPair.Create();
        LineIo io = Reader(pair.Second);
        Send(pair.First, "USER ann\r\nPA");
        Assert.Equal(["USER ann"], Lines(io, 1));
        Send(pair.First, "SS secret\r\nSTAT\r\n");
        Assert.Equal(["PASS secret"], Lines(io, 1));
        Assert.Equal("STAT\r\n", Rest(pair.Second));
    }

    [Fact]
    public void A_pipe_is_read_ahead_as_qmail_did_and_gives_the_same_lines()
    {
        using Pipe pipe = Pipe.Create();
        LineIo io = Reader(pipe.Read);
        Send(pipe.Write, "USER ann\r\nPASS secret\r\nSTAT\r\n");
        Assert.Equal(["USER ann", "PASS secret", "STAT"], Lines(io, 3));
    }

    private static LineIo Reader(SafeFileHandle end) => new(new HandOverInput(new FdStream(Pipe.Number(end))), Stream.Null);

    private static void Send(SafeFileHandle end, string text) => new FdStream(Pipe.Number(end)).Write(Encoding.ASCII.GetBytes(text));

    private static string[] Lines(LineIo io, int count) => Enumerable.Range(0, count).Select(i => io.ReadLine(out _)!).ToArray();

    // The next program's first read of the same descriptor (nothing there: a timeout, not a hang).
    private static string Rest(SafeFileHandle end)
    {
        byte[] rest = new byte[100];
        int n = new FdStream(Pipe.Number(end)) { IdleTimeout = 5000 }.Read(rest);
        return Encoding.ASCII.GetString(rest, 0, n);
    }
}
