// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// qmail-qctl's channel to qmail-send: a Unix socket in PREFIX/qmgr/ (qmails 0700, so only
/// qmails and root reach it; qmail-send answers root alone, by SO_PEERCRED). The client sends
/// lines "VERB ID"; qmail-send answers each with one line, "ok ..." or "no ...". A hold is kept in
/// the queue itself, qmail's layout unchanged: a held channel file's mtime (its next try, as in
/// qmail) is <see cref="HeldUntil"/>.
/// </summary>
public static class QueueManagement
{
    /// <summary>qmail-send's management socket.</summary>
    public static string SocketPath => Home.Path("qmgr/socket");

    /// <summary>The next try of a held channel: 1 January 2100, later than any real retry.</summary>
    public const long HeldUntil = 4102444800;

    /// <summary>Whether a channel file's mtime (its next try) says the message is held.</summary>
    public static bool IsHeld(long nextTry) => nextTry >= HeldUntil;

    /// <summary>The longest request line: a verb and a message number.</summary>
    public const int MaxLine = 64;

    /// <summary>What qmail-send can be asked, each with a message number.</summary>
    public static IReadOnlyList<string> Verbs { get; } = ["delete", "bounce", "resend", "hold", "release"];
}
