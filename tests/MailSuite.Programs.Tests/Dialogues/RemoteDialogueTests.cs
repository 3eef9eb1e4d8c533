// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using MailSuite.Remote;

namespace MailSuite.Programs.Tests.Dialogues;

// qmail-remote's side of SMTP in memory: each transcript of tests/TestData/dialogues/remote feeds
// the peer's replies to SmtpDialogue and checks what it sent and what it reported on fd 1. As
// qmail-remote host sender recip... does, a finished conversation ends with QUIT.
public class RemoteDialogueTests
{
    public static TheoryData<string> Transcripts() => Dialogue.Names("remote");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Qmail_remote_speaks_and_reports_as_the_transcript_says(string name)
    {
        Dialogue d = Dialogue.LoadClientSide("remote", name);
        var sent = new MemoryStream();
        var reports = new MemoryStream();
        string file = Path.GetTempFileName();
        File.WriteAllText(file, "Subject: x\n\n.dot\nbody\n");
        using var message = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.DeleteOnClose);
        MessageShape shape = WireMessage.Measure(message);
        message.Position = 0;
        var outgoing = new OutgoingMessage(message, shape, signer: null);
        var config = new RemoteConfig("client.example", [], [], 60, 1200, [IPAddress.Loopback], new TrustAnchors([]));
        var dialogue = new SmtpDialogue(config, new Hop("mx.example", IPAddress.Parse("192.0.2.1"), 25), new TlsPolicy(TlsLevel.May), null);
        var channel = new SmtpChannel(new MailSuite.Smtpd.DuplexStream(new MemoryStream(d.Input), sent));

        if (dialogue.Run(channel, new Envelope("joe@sender.test", ["a@example.com", "b@example.com"], outgoing), useTls: true, new Results(reports)) == HopOutcome.Done)
            SmtpDialogue.TryQuit(channel);

        if (d.Mismatch(sent.ToArray()) is string why) Assert.Fail(why);
        Assert.Equal(d.Results, Encoding.Latin1.GetString(reports.ToArray()).Split('\0', StringSplitOptions.RemoveEmptyEntries));
    }
}
