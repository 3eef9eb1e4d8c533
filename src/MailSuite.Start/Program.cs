// SPDX-License-Identifier: MIT
// qmail-start [defaultdelivery [logger arg...]]: starts qmail-send, its spawners, qmail-clean and the logger. Root.
using MailSuite.Common;

namespace MailSuite.Start;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-start", timestamps: true);
        string defaultDelivery = args.Length > 0 ? args[0] : "./Mailbox";
        string[] logger = args.Length > 1 ? args[1..] : [];
        try
        {
            return new Starter(defaultDelivery, logger).Run();
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
