// SPDX-License-Identifier: MIT
using MimeKit;

namespace MailSuite.Remote;

/// <summary>
/// Which header fields a signature covers: those of OpenDKIM's default list (RFC 6376 5.4.1's
/// "SHOULD sign" fields and the MIME ones) that the message has, each as often as it occurs, and
/// From once more than it occurs (oversigned, as Debian's OpenDKIM does): a From: added on the
/// way breaks the signature instead of riding on it.
/// </summary>
internal static class SignedHeaders
{
    private static readonly string[] Candidates =
    [
        "From", "Sender", "Reply-To", "Subject", "Date", "Message-ID", "To", "Cc", "MIME-Version",
        "Content-Type", "Content-Transfer-Encoding", "Content-ID", "Content-Description",
        "Resent-Date", "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Message-ID",
        "In-Reply-To", "References", "List-Id", "List-Help", "List-Unsubscribe", "List-Subscribe",
        "List-Post", "List-Owner", "List-Archive",
    ];

    public static List<string> Of(MimeMessage message)
    {
        var names = new List<string>();
        foreach (string name in Candidates)
        {
            // MimeKit keeps the top-level Content-* fields with the body, as DkimSigner looks for them.
            HeaderList? headers = name.StartsWith("Content-", StringComparison.Ordinal) ? message.Body?.Headers : message.Headers;
            int count = headers?.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? 0;
            for (int i = 0; i < count; i++) names.Add(name);
        }
        names.Add("From");
        return names;
    }
}
