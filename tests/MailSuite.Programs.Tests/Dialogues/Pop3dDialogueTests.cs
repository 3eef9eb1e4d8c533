// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Pop3d;

namespace MailSuite.Programs.Tests.Dialogues;

// qmail-pop3d's dialogue in memory: each transcript of tests/TestData/dialogues/pop3d drives a
// Pop3Session on a fresh copy of Pop3Fixture's Maildir (EndToEnd's DialogueTests: the binary).
public class Pop3dDialogueTests
{
    public static TheoryData<string> Transcripts() => Dialogue.Names("pop3d");

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Session_answers_as_the_transcript_says(string name)
    {
        Dialogue d = Dialogue.Load("pop3d", name);
        string home = Directory.CreateTempSubdirectory("pop3d-dialogue").FullName;
        try
        {
            Mailbox box = Mailbox.Open(Pop3Fixture.Make(home))!;
            var input = new MemoryStream(d.Input);
            var output = new MemoryStream();
            new Pop3Session(new LineIo(input, output), box).Run();
            if (d.Mismatch(output.ToArray()) is string why) Assert.Fail(why);
        }
        finally
        {
            Directory.SetCurrentDirectory("/");   // Mailbox.Open entered the Maildir, as qmail-pop3d does
            Directory.Delete(home, recursive: true);
        }
    }
}
