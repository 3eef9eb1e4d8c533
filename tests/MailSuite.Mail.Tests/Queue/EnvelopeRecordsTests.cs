// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail.Tests.Queue;

// Every writer of the queue's text0 records refuses a NUL inside a value: it would end the record
// and start one of the writer's caller's choosing (an extra recipient).
public class EnvelopeRecordsTests
{
    [Fact]
    public void Envelope_is_qmail_queues_format()
    {
        byte[] e = EnvelopeRecords.Envelope("a@b.test", ["x@y.test", "z@y.test"]);
        Assert.Equal("Fa@b.test\0Tx@y.test\0Tz@y.test\0\0", Encoding.Latin1.GetString(e));
    }

    [Theory]
    [InlineData("a@b.test\0Tvictim@elsewhere.test", "x@y.test")]
    [InlineData("a@b.test", "victim@elsewhere.test\0Tx@y.test")]
    public void A_nul_inside_an_address_is_refused_permanently(string sender, string recipient)
    {
        var e = Assert.Throws<FailureException>(() => EnvelopeRecords.Envelope(sender, [recipient]));
        Assert.True(e.Failure.IsPermanent);
        Assert.Throws<FailureException>(() => EnvelopeRecords.Recipients([recipient, sender]));
    }

    [Fact]
    public void Spawn_fields_refuse_a_nul_too()
    {
        Assert.Throws<FailureException>(() => EnvelopeRecords.AppendField(new StringBuilder(), "x\0y"));
        Assert.Equal("12/34\0", EnvelopeRecords.AppendField(new StringBuilder(), "12/34").ToString());
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        byte[] e = EnvelopeRecords.Envelope("a@b.test", ["x@y.test", "\u00e9@y.test"]);
        Assert.Equal([('F', "a@b.test"), ('T', "x@y.test"), ('T', "\u00e9@y.test")], EnvelopeRecords.Read(e).ToArray());
        Assert.Equal([('T', "x"), ('D', "y")], EnvelopeRecords.Read(Encoding.Latin1.GetBytes("Tx\0\0Dy\0")).ToArray());
    }
}
