// SPDX-License-Identifier: MIT
// forward address...: the message to the addresses through qmail-queue, envelope sender
// $NEWSENDER, $DTLINE on top: what listing each address in the .qmail file does.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Forward;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("forward");
        if (args.Length == 0)
        {
            Log.Fatal("usage: forward address ...");
            return ExitCodes.Permanent;
        }
        try
        {
            int qp = MessageCommand.Forward(args);
            Log.Event($"qp {qp}");
            return ExitCodes.Success;
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
