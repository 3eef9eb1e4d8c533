// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Smtpd;

namespace MailSuite.Programs.Tests.Dialogues;

// qmail-smtpd's dialogue in memory: each transcript of tests/TestData/dialogues/smtpd drives an
// SmtpSession over memory streams (EndToEnd's DialogueTests drive the real binary with them).
public class SmtpdDialogueTests
{
    public static TheoryData<string> Transcripts() => Dialogue.Names("smtpd");

    private static SmtpConfig Config() => new(
        Greeting: "mail.example.test",
        LocalIpHost: "mail.example.test",
        RcptHosts: new HashSet<string>(["mail.example.test"], StringComparer.OrdinalIgnoreCase),
        MoreRcptHostsCdb: "/nonexistent/morercpthosts.cdb",
        BadMailFrom: new HashSet<string>(["@spam.example"], StringComparer.OrdinalIgnoreCase),
        DataBytes: 0,
        TimeoutSeconds: 1200,
        SessionSeconds: 3600,
        RelayClient: null,
        RemoteIp: "127.0.0.1",
        RemoteHost: "unknown",
        RemoteInfo: null,
        LocalHost: "mail.example.test",
        Auth: SmtpAuthConfig.From([], null),
        TlsSession: null,
        CertFile: "/nonexistent/servercert.pem");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Session_answers_as_the_transcript_says(string name)
    {
        Dialogue d = Dialogue.Load("smtpd", name);
        Environment.SetEnvironmentVariable("QMAILQUEUE", Path.Combine(Dialogue.Root, "queue-sink"));   // DATA's queue: reads all, keeps nothing
        var input = new MemoryStream(d.Input);
        var output = new MemoryStream();
        new SmtpSession(new LineIo(input, output), Config(), input, output).Run();
        if (d.Mismatch(output.ToArray()) is string why) Assert.Fail(why);
    }
}
