// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// dot-qmail(5)'s search: which files in the home directory govern a delivery, in the order
/// qmail-local tries them. For ext "a-b-c" and dash "-": .qmail-a-b-c, then .qmail-a-b-default,
/// .qmail-a-default, .qmail-default (ext lower-cased, '.' read as ':'). Each default file comes
/// with the part of ext it stands for ($DEFAULT). qmail-local reads the files; the recipient
/// check only asks whether one exists, so both come to the same answer.
/// </summary>
public static class DotQmailNames
{
    /// <summary>The file names to try, first match wins; Default is null for the exact one.</summary>
    public static IEnumerable<(string Name, string? Default)> Candidates(string dash, string ext)
    {
        string safeExt = AsciiCase.Lower(ext).Replace('.', ':');
        // ext is a byte string (the address's bytes); a file name is text. Bytes that are not
        // UTF-8 can name no file here, so such a candidate is skipped.
        if (ByteString.ToText($".qmail{dash}{safeExt}") is { } exact) yield return (exact, null);
        // Every prefix of ext that is empty or ends just after a '-', longest first.
        for (int i = safeExt.Length; i >= 0; i--)
        {
            if (i > 0 && safeExt[i - 1] != '-') continue;
            if (ByteString.ToText($".qmail{dash}{safeExt[..i]}default") is { } wild) yield return (wild, ext[i..]);
        }
    }
}
