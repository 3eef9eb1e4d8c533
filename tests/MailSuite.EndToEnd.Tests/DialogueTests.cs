// SPDX-License-Identifier: MIT
using MailSuite.Programs.Tests.Dialogues;

namespace MailSuite.EndToEnd.Tests;

// The transcripts of tests/TestData/dialogues/smtpd, now against the real qmail-smtpd binary of
// an install (Programs.Tests drives SmtpSession in memory with the same files).
public sealed class DialogueTests : IDisposable
{
    private readonly TempInstall install = new();

    public DialogueTests() => File.WriteAllText(Path.Combine(install.Prefix, "control/badmailfrom"), "@spam.example\n");

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
            env: new Dictionary<string, string> { ["TCPREMOTEIP"] = "127.0.0.1", ["CERTFILE"] = "/nonexistent/servercert.pem" });
        Assert.True(r.Exit is 0 or 1, r.Stderr);
        Assert.Null(d.Mismatch(File.ReadAllBytes(output)));
    }
}
