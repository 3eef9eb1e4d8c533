// SPDX-License-Identifier: MIT
// maildir2mbox: moves the messages of $MAILDIR into the mbox $MAIL, through $MAILTMP (qmail's
// interface): nothing leaves the Maildir before the new mbox is on disk in MAIL's place.
using MailSuite.Common;

namespace MailSuite.Maildir2Mbox;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("maildir2mbox");
        if (args.Length != 0)
        {
            Log.Fatal("usage: maildir2mbox (MAILDIR, MAIL and MAILTMP from the environment)");
            return ExitCodes.Permanent;
        }
        try
        {
            PosixFile.Umask(Convert.ToInt32("077", 8));
            string maildir = Required("MAILDIR"), mbox = Required("MAIL"), tmp = Required("MAILTMP");
            return Mover.Run(maildir, mbox, tmp);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    private static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v
        ? v
        : throw new FailureException(Failure.Temporary("4.3.0", $"{name} not set"));
}
