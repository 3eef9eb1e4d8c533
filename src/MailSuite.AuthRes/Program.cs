// SPDX-License-Identifier: MIT
// qmail-authres: a QMAILQUEUE filter (qmail-queue's interface in and out) that verifies DKIM,
// ARC and DMARC, adds one Authentication-Results field with qmail-smtpd's SPF result, and hands
// the message on to qmail-queue. One process a message; qmail-authresd does the same resident.
using MailSuite.AuthResults;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.AuthRes;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-authres", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-authres (as QMAILQUEUE: the message on fd 0, the envelope on fd 1)");
            return QueueFilter.Bug;
        }
        try
        {
            FilterInput? input = QueueFilter.Read(AuthResFilter.MaxMessage);
            return input is null ? QueueFilter.ReadFailed : AuthResFilter.Pass(input, Env.Snapshot()).Code;
        }
        catch (IOException e)
        {
            Log.Fatal($"unable to read the message or envelope: {ErrorText.Of(e)}");
            return QueueFilter.ReadFailed;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, QueueFilter.Bug);
        }
    }
}
