// SPDX-License-Identifier: MIT
// qmail-lspawn defaultdelivery: runs local deliveries for qmail-send (commands fd 0, reports fd 1). Root.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Lspawn;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-lspawn", timestamps: true);
        if (args.Length != 1)
        {
            Log.Fatal("usage: qmail-lspawn defaultdelivery");
            return ExitCodes.Permanent;
        }
        try
        {
            var deliveries = new LocalDeliveries(args[0], QueueLayout.OfThisInstall());
            new SpawnLoop(Fd.OpenRead(0), Fd.OpenWrite(1), deliveries.Run).Run();
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
