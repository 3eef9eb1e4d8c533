// SPDX-License-Identifier: MIT
// except program [arg...]: program's exit 0 becomes 100, 111 stays 111, anything else becomes 0.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Except;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("except");
        if (args.Length == 0)
        {
            Log.Fatal("usage: except program [ arg ... ]");
            return ExitCodes.Permanent;
        }
        try
        {
            int? code = MessageCommand.Run(args, out bool crashed);
            if (crashed || code == ExitCodes.Temporary) return ExitCodes.Temporary;
            return code == 0 ? ExitCodes.Permanent : ExitCodes.Success;
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
}
