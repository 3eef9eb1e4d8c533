// SPDX-License-Identifier: MIT
namespace MailSuite.Common.Tests;

// How LineIo reads a line longer than MaxLine: to its end (the conversation goes on), or, for a
// caller that closes instead (qmail-popup, as root), no further than the limit.
public class LineIoTests
{
    [Fact]
    public void A_long_line_is_read_to_its_end_and_the_next_line_follows()
    {
        var input = new MemoryStream("USER "u8.ToArray().Concat(Enumerable.Repeat((byte)'a', 100_000)).Concat("\r\nNOOP\r\n"u8.ToArray()).ToArray());
        var io = new LineIo(input, Stream.Null);
        string? first = io.ReadLine(out bool tooLong);
        Assert.True(tooLong);
        Assert.Equal(LineIo.MaxLine, first!.Length);
        Assert.Equal("NOOP", io.ReadLine(out tooLong));
        Assert.False(tooLong);
    }

    [Fact]
    public void With_stopAtLimit_a_10_MB_line_is_read_no_further_than_a_block_past_the_limit()
    {
        var input = new MemoryStream(Enumerable.Repeat((byte)'a', 10_000_000).ToArray());   // 10 MB, no end of line
        var io = new LineIo(input, Stream.Null);
        string? first = io.ReadLine(out bool tooLong, stopAtLimit: true);
        Assert.True(tooLong);
        Assert.Equal(LineIo.MaxLine, first!.Length);
        Assert.InRange(input.Position, LineIo.MaxLine + 1, 2 * 16384);
    }

    [Fact]
    public void With_stopAtLimit_lines_up_to_the_limit_come_whole()
    {
        string exact = new('x', LineIo.MaxLine - 1);
        var io = new LineIo(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(exact + "\r\nQUIT\n")), Stream.Null);
        Assert.Equal(exact, io.ReadLine(out bool tooLong, stopAtLimit: true));
        Assert.False(tooLong);
        Assert.Equal("QUIT", io.ReadLine(out tooLong, stopAtLimit: true));
        Assert.False(tooLong);
    }
}
