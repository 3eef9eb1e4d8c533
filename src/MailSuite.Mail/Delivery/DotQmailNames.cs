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
        yield return ($".qmail{dash}{safeExt}", null);
        // Every prefix of ext that is empty or ends just after a '-', longest first.
        for (int i = safeExt.Length; i >= 0; i--)
        {
            if (i > 0 && safeExt[i - 1] != '-') continue;
            yield return ($".qmail{dash}{safeExt[..i]}default", ext[i..]);
        }
    }
}
