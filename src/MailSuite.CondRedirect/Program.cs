// SPDX-License-Identifier: MIT
// condredirect newaddress program [arg...]: when program exits 0, the message goes to newaddress
// and the .qmail file stops here (99); 111 stays 111; anything else lets the file go on.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.CondRedirect;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("condredirect");
        if (args.Length < 2)
        {
            Log.Fatal("usage: condredirect newaddress program [ arg ... ]");
            return ExitCodes.Permanent;
        }
        try
        {
            int? code = MessageCommand.Run(args[1..], out bool crashed);
            if (crashed || code == ExitCodes.Temporary) return ExitCodes.Temporary;
            if (code != 0) return ExitCodes.Success;
            int qp = MessageCommand.Forward([args[0]]);
            Log.Event($"qp {qp}");
            return ExitCodes.SuccessStop;
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
