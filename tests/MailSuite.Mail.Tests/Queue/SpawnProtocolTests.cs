// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail.Tests.Queue;

// qmail's spawn protocol, both halves: what qmail-send writes a spawner reads, and back.
public class SpawnProtocolTests
{
    [Fact]
    public void Commands_round_trip_even_when_they_arrive_in_pieces()
    {
        byte[] wire = [.. SpawnProtocol.Command(3, "12/345", "a@b.test", "c@d.test"), .. SpawnProtocol.Command(7, "0/9", "", "\u00e9@d.test")];
        for (int split = 0; split <= wire.Length; split++)
        {
            byte[] buffer = new byte[wire.Length];
            Array.Copy(wire, buffer, split);
            int length = split;
            var got = SpawnProtocol.ReadCommands(buffer, ref length);
            Array.Copy(wire, split, buffer, length, wire.Length - split);
            length += wire.Length - split;
            got.AddRange(SpawnProtocol.ReadCommands(buffer, ref length));
            Assert.Equal([new SpawnCommand(3, "12/345", "a@b.test", "c@d.test"), new SpawnCommand(7, "0/9", "", "\u00e9@d.test")], got);
            Assert.Equal(0, length);
        }
    }

    [Fact]
    public void Reports_round_trip_and_a_nul_in_the_text_cannot_end_one_early()
    {
        var wire = new MemoryStream([.. SpawnProtocol.Report(2, "Kdid 1+0+0/"), .. SpawnProtocol.Report(5, "Zbad\0text")]);
        Assert.Equal(new SpawnAnswer(2, 'K', "did 1+0+0/"), SpawnProtocol.ReadReport(wire));
        Assert.Equal(new SpawnAnswer(5, 'Z', "bad_text"), SpawnProtocol.ReadReport(wire));
        Assert.Null(SpawnProtocol.ReadReport(wire));
        Assert.Null(SpawnProtocol.ReadReport(new MemoryStream(Encoding.Latin1.GetBytes("\u0001Kcut short"))));
    }

    [Fact]
    public void A_nul_in_a_command_field_is_refused() =>
        Assert.Throws<MailSuite.Common.FailureException>(() => SpawnProtocol.Command(1, "1/2", "a\0b", "c@d"));
}
