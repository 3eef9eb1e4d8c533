// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Programs.Tests.Dialogues;
using MailSuite.Smtpd;

namespace MailSuite.Programs.Tests.Smtpd;

// A client that only marks time (NOOP, VRFY, HELP, RSET, MAIL) is closed after a hundred such
// commands (Postfix's smtpd_junk_command_limit), counted again from each message accepted.
public class JunkLimitTests
{
    [Fact]
    public void A_hundred_commands_without_mail_close_the_session_and_an_accepted_message_starts_the_count_again()
    {
        string message = "MAIL FROM:<a@example.com>\r\nRCPT TO:<bob@mail.example.test>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n";
        string input = "HELO client.example\r\n" + Repeat("NOOP\r\n", 98) + message + Repeat("VRFY bob\r\nRSET\r\n", 50) + "HELP\r\nQUIT\r\n";
        string[] replies = Converse(input);
        Assert.Single(replies, r => r.StartsWith("250 ok ", StringComparison.Ordinal) && r.Contains(" qp "));   // the message went through
        Assert.Equal(98, replies.Count(r => r == "250 ok") - 2);   // NOOPs before it (MAIL and RCPT said "250 ok" too)
        Assert.Equal(50, replies.Count(r => r.StartsWith("252 ", StringComparison.Ordinal)));
        Assert.Equal(50, replies.Count(r => r == "250 flushed"));
        Assert.Equal("421 too many commands without mail, closing (#4.7.0)", replies[^1]);
        Assert.DoesNotContain(replies, r => r.StartsWith("214 ", StringComparison.Ordinal) || r.StartsWith("221 ", StringComparison.Ordinal));
    }

    // Each MAIL may start an SPF check (DNS queries): a client that only ever begins transactions
    // is closed at the same hundred.
    [Fact]
    public void A_hundred_mail_commands_without_a_message_close_the_session()
    {
        string input = "HELO client.example\r\n" + Repeat("MAIL FROM:<a@example.com>\r\nRCPT TO:<bob@mail.example.test>\r\n", 120) + "QUIT\r\n";
        string[] replies = Converse(input);
        Assert.Equal(100 + 99, replies.Count(r => r == "250 ok"));   // the hundredth MAIL is answered, then the session ends
        Assert.Equal("421 too many commands without mail, closing (#4.7.0)", replies[^1]);
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    private static string[] Converse(string input)
    {
        Environment.SetEnvironmentVariable("QMAILQUEUE", Path.Combine(Dialogue.Root, "queue-sink"));   // DATA's queue: reads all, keeps nothing
        var inStream = new MemoryStream(Encoding.ASCII.GetBytes(input));
        var outStream = new MemoryStream();
        new SmtpSession(new LineIo(inStream, outStream), SmtpdDialogueTests.Config(), inStream, outStream).Run();
        return Encoding.ASCII.GetString(outStream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}
