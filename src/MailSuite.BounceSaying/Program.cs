// SPDX-License-Identifier: MIT
// bouncesaying error [program [arg...]]: in a .qmail file, bounce the message with error when
// program exits 0 (always, without a program); 111 stays 111; anything else lets the file go on.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.BounceSaying;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("bouncesaying", withoutName: true);   // the error alone: it is the bounce's text
        if (args.Length == 0)
        {
            Log.Fatal("usage: bouncesaying error [ program [ arg ... ] ]");
            return ExitCodes.Permanent;
        }
        try
        {
            int? code = args.Length == 1 ? 0 : MessageCommand.Run(args[1..], out bool crashed) ?? (crashed ? ExitCodes.Temporary : 1);
            if (code == ExitCodes.Temporary) return ExitCodes.Temporary;
            if (code != 0) return ExitCodes.Success;
            Log.Event(args[0]);   // qmail-local puts it into the bounce
            return ExitCodes.Permanent;
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return e.Failure.ExitCode;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
