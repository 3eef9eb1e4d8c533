// SPDX-License-Identifier: MIT
using System.IO.Enumeration;
using MailSuite.Mail;

namespace MailSuite.QCtl;

/// <summary>
/// Which messages a pattern picks: shell-like patterns (* any run, ? one character) over the whole
/// address, in any case, as postmasters write them ("*@spam.example"). A sender pattern matches the
/// envelope sender; a recipient pattern any recipient still to do. Several patterns of one kind:
/// any may match; both kinds: both must.
/// </summary>
internal static class Selection
{
    public static bool Matches(QueuedEntry m, string[] from, string[] to) =>
        (from.Length == 0 || from.Any(p => Glob(p, m.Sender))) &&
        (to.Length == 0 || to.Any(p => m.Pending.Any(r => Glob(p, r.Address))));

    private static bool Glob(string pattern, string address) =>
        FileSystemName.MatchesSimpleExpression(pattern, address, ignoreCase: true);
}
