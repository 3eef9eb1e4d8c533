// SPDX-License-Identifier: MIT
namespace MailSuite.Programs.Tests.Dialogues;

/// <summary>
/// The Maildir the qmail-pop3d transcripts talk about: two messages in cur/, in this order. The
/// first was written by another program (no size in its name: it is counted), the second by
/// qmail-local (its ,W= is read).
/// </summary>
public static class Pop3Fixture
{
    public static readonly (string Name, string Content, DateTime Time)[] Messages =
    [
        ("1700000001.M1P1.test:2,", "Subject: one\n\n.dot line\nbody\n", new DateTime(2023, 11, 14, 22, 13, 21, DateTimeKind.Utc)),
        ("1700000002.M2P2.test,S=9,W=15:2,", "a\nb\nc\nd\ne", new DateTime(2023, 11, 14, 22, 13, 22, DateTimeKind.Utc)),
    ];

    /// <summary>Makes the Maildir under <paramref name="parent"/> and returns its path.</summary>
    public static string Make(string parent)
    {
        string maildir = Path.Combine(parent, "Maildir");
        foreach (string d in (string[])["tmp", "new", "cur"]) Directory.CreateDirectory(Path.Combine(maildir, d));
        foreach ((string name, string content, DateTime time) in Messages)
        {
            string path = Path.Combine(maildir, "cur", name);
            File.WriteAllText(path, content);
            File.SetLastWriteTimeUtc(path, time);
        }
        return maildir;
    }
}
