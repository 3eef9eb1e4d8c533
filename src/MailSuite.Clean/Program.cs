// SPDX-License-Identifier: MIT
// qmail-clean: removes queue files on qmail-send's request (fd 0 requests, fd 1 answers). Runs as qmailq.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Clean;

internal static class Program
{
    private static int Main()
    {
        Log.Init("qmail-clean", timestamps: true);
        try
        {
            new Cleaner(QueueLayout.OfThisInstall(), Fd.OpenRead(0), Fd.OpenWrite(1)).Run();
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or FailureException)
        {
            Log.Fatal(ErrorText.Of(e));
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
