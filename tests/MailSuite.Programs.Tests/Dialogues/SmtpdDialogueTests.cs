// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;
using MailSuite.Smtpd;

namespace MailSuite.Programs.Tests.Dialogues;

// qmail-smtpd's dialogue in memory: each transcript of tests/TestData/dialogues/smtpd drives an
// SmtpSession over memory streams (EndToEnd's DialogueTests drive the real binary with them).
public class SmtpdDialogueTests
{
    public static TheoryData<string> Transcripts() => Dialogue.Names("smtpd");

    internal static SmtpConfig Config(bool tlsWithAuth = false) => new(
        Greeting: "mail.example.test",
        LocalIpHost: "mail.example.test",
        RcptHosts: new HashSet<string>(["mail.example.test"], StringComparer.OrdinalIgnoreCase),
        MoreRcptHostsCdb: "/nonexistent/morercpthosts.cdb",
        BadMailFrom: new HashSet<string>(["@spam.example"], StringComparer.OrdinalIgnoreCase),
        DataBytes: 0,
        TimeoutSeconds: 1200,
        SessionSeconds: 3600,
        RelayClient: null,
        CheckRecipients: false,
        SpfBehavior: 0,
        UnknownRecipientLimit: 10,
        RemoteIp: "127.0.0.1",
        RemoteHost: "unknown",
        RemoteInfo: null,
        LocalHost: "mail.example.test",
        Auth: tlsWithAuth ? SmtpAuthConfig.From(["mail.example.test", Path.Combine(Dialogue.Root, "checkpassword-ann"), "/bin/true"], null)
            : SmtpAuthConfig.From([], null),
        TlsSession: tlsWithAuth ? "TLSv1.3 TLS_AES_256_GCM_SHA384" : null,
        CertFile: "/nonexistent/servercert.pem",
        Senders: new SenderPolicy(["mail.example.test"], [], []),
        SendLimit: null);

    public static TheoryData<string> AuthTranscripts() => Dialogue.Names("smtpd-auth");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Session_answers_as_the_transcript_says(string name) => Run("smtpd", name, Config());

    // AUTH needs TLS: these run in memory only, on a session that is already inside it.
    [Theory]
    [MemberData(nameof(AuthTranscripts))]
    public void Session_inside_tls_with_auth_answers_as_the_transcript_says(string name) => Run("smtpd-auth", name, Config(tlsWithAuth: true));

    private static void Run(string folder, string name, SmtpConfig config)
    {
        Dialogue d = Dialogue.Load(folder, name);
        Environment.SetEnvironmentVariable("QMAILQUEUE", Path.Combine(Dialogue.Root, "queue-sink"));   // DATA's queue: reads all, keeps nothing
        var input = new MemoryStream(d.Input);
        var output = new MemoryStream();
        new SmtpSession(new LineIo(input, output), config, input, output).Run();
        if (d.Mismatch(output.ToArray()) is string why) Assert.Fail(why);
    }
}
