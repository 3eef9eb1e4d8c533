// SPDX-License-Identifier: MIT
// qmail-qread: lists the messages in the queue, their senders and recipients (qmail's format).
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QRead;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-qread");
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-qread");
            return ExitCodes.Permanent;
        }
        try
        {
            using Stream stdout = Fd.OpenWrite(1);
            QueueListing.Write(QueueLayout.OfThisInstall(), stdout);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to read the queue: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
