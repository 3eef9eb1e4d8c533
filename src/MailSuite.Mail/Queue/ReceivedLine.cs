// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// The line qmail-queue puts on top of every message: who handed it over, by the kernel's real
/// uid (never a claim of the caller): "invoked by alias", "from network" (qmaild), "for bounce"
/// (qmails), or "by uid N".
/// </summary>
public static class ReceivedLine
{
    /// <summary>The line for a message queued by process pid for the caller uid at now.</summary>
    public static byte[] For(int pid, uint uid, DateTimeOffset now) =>
        Encoding.ASCII.GetBytes($"Received: (qmail {pid} {Invoker(uid)}); {MailDate.Rfc822(now)}\n");

    // One lookup of the caller's name, rather than one per special account. A database that does
    // not answer gives the number, as for an account without a name: the message still queues.
    private static string Invoker(uint uid) => Accounts.UserName(uid) switch
    {
        "alias" => "invoked by alias",
        "qmaild" => "invoked from network",
        "qmails" => "invoked for bounce",
        _ => $"invoked by uid {uid}",
    };
}
