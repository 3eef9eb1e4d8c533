// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail.Tests.Queue;

// The framing of the queue socket (qmail-authresd's side): whatever lengths a client writes, the
// service allocates no more than its bounds, and a message cut short is never taken as whole.
public class QueueSocketTests
{
    private static MemoryStream Bytes(string s) => new(Encoding.Latin1.GetBytes(s));

    [Fact]
    public void A_request_reads_back_as_written()
    {
        var wire = new MemoryStream();
        QueueSocket.WriteEnvironment(wire, ["SPFRESULT=pass", "TCPREMOTEIP=192.0.2.1", "EMPTY="]);
        Netstring.Write(wire, "Subject: a\n"u8);
        Netstring.Write(wire, "\nbody\n"u8);
        Netstring.Write(wire, []);
        Netstring.Write(wire, "Fa@b.test\0Tc@d.test\0\0"u8);
        wire.Position = 0;

        Dictionary<string, string> env = QueueSocket.ReadEnvironment(wire);
        FilterInput input = QueueFilter.ReadSocket(wire, 1 << 20);

        Assert.Equal("pass", env["SPFRESULT"]);
        Assert.Equal("", env["EMPTY"]);
        Assert.Equal("Subject: a\n\nbody\n", Encoding.Latin1.GetString(input.Message));
        Assert.Null(input.Rest);
        Assert.Equal("Fa@b.test\0Tc@d.test\0\0", Encoding.Latin1.GetString(input.Envelope));
    }

    [Fact]
    public void A_message_over_the_bound_keeps_its_rest_and_its_envelope_for_later()
    {
        var wire = new MemoryStream();
        Netstring.Write(wire, "0123456789"u8);
        Netstring.Write(wire, "abcdef"u8);
        Netstring.Write(wire, []);
        Netstring.Write(wire, "F\0\0"u8);
        wire.Position = 0;

        FilterInput input = QueueFilter.ReadSocket(wire, 4);

        Assert.NotNull(input.Rest);
        var rest = new MemoryStream();
        input.Rest.CopyTo(rest);
        Assert.Equal("0123456789abcdef", Encoding.Latin1.GetString(input.Message) + Encoding.Latin1.GetString(rest.ToArray()));
        Assert.Equal("F\0\0", Encoding.Latin1.GetString(input.Envelope));
    }

    [Theory]
    [InlineData("99999999999:x,")]     // longer than any bound: refused before anything is allocated
    [InlineData("70000:x,")]           // a piece longer than the 64 KiB a client may send
    [InlineData("3:abc;0:,")]          // no comma after the piece
    [InlineData("x:,")]                // no length
    public void A_malformed_message_is_refused(string message)
    {
        Stream reader = QueueSocket.MessageReader(Bytes(message));
        Assert.Throws<InvalidDataException>(() => reader.CopyTo(Stream.Null));
    }

    [Theory]
    [InlineData("")]                   // the client went away before the message
    [InlineData("5:abc")]              // ... in the middle of a piece
    [InlineData("3:abc,")]             // ... before the empty piece that ends the message
    public void A_message_cut_short_is_never_whole(string message)
    {
        Stream reader = QueueSocket.MessageReader(Bytes(message));
        Assert.Throws<EndOfStreamException>(() => reader.CopyTo(Stream.Null));
    }

    [Fact]
    public void An_environment_over_its_bound_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => QueueSocket.ReadEnvironment(Bytes($"{QueueSocket.MaxEnvironment + 1}:")));
    }
}
