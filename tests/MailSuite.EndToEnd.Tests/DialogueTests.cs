// SPDX-License-Identifier: MIT
using MailSuite.Programs.Tests.Dialogues;

namespace MailSuite.EndToEnd.Tests;

// The transcripts of tests/TestData/dialogues, now against the real binaries of an install
// (Programs.Tests drives SmtpSession and Pop3Session in memory with the same files).
public sealed class DialogueTests : IDisposable
{
    private readonly TempInstall install = new();

    // The transcripts' configuration (tests/TestData/dialogues/smtpd/README.md): no size limit, so
    // the install's databytes goes.
    public DialogueTests()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/badmailfrom"), "@spam.example\n");
        File.Delete(Path.Combine(install.Prefix, "control/databytes"));
    }

    public void Dispose() => install.Dispose();

    public static TheoryData<string> Transcripts() => Dialogue.Names("smtpd");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void The_binary_answers_as_the_transcript_says(string name)
    {
        Dialogue d = Dialogue.Load("smtpd", name);
        string input = Path.Combine(install.Prefix, "dialogue.in");
        File.WriteAllBytes(input, d.Input);

        string output = Path.Combine(install.Prefix, "dialogue.out");
        // Bytes in and out exactly: files on fds 0 and 1, where tcpserver would give a socket.
        Ran r = Harness.Run("sh", ["-c", "exec \"$0\" <\"$1\" >\"$2\"", install.Bin("qmail-smtpd"), input, output],
            env: new Dictionary<string, string>
            {
                ["TCPREMOTEIP"] = "127.0.0.1", ["CERTFILE"] = "/nonexistent/servercert.pem",
                ["QMAILQUEUE"] = Path.Combine(Dialogue.Root, "queue-sink"),
            });
        Assert.True(r.Exit is 0 or 1, r.Stderr);
        if (d.Mismatch(File.ReadAllBytes(output)) is string why) Assert.Fail(why);
    }

    public static TheoryData<string> Pop3Transcripts() => Dialogue.Names("pop3d");

    [Theory]
    [MemberData(nameof(Pop3Transcripts))]
    public void Qmail_pop3d_answers_as_the_transcript_says(string name)
    {
        var ann = new TestUser("mstestann");
        Dialogue d = Dialogue.Load("pop3d", name);
        Pop3Fixture.Make(ann.Home);
        string input = ann.Path("dialogue.in"), output = ann.Path("dialogue.out");
        File.WriteAllBytes(input, d.Input);
        Harness.Ok("chown", "-R", $"{ann.Name}:", ann.Home);
        // As checkpassword leaves it: the user, in the home directory, the Maildir named relative.
        Ran r = Harness.Run(install.Bin("setuidgid"), [ann.Name, "sh", "-c", "cd \"$0\" && exec \"$1\" Maildir <dialogue.in >dialogue.out",
            ann.Home, install.Bin("qmail-pop3d")]);
        Assert.True(r.Exit == 0, r.Stderr);
        if (d.Mismatch(File.ReadAllBytes(output)) is string why) Assert.Fail(why);
    }
}
