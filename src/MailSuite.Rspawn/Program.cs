// SPDX-License-Identifier: MIT
// qmail-rspawn: runs remote deliveries for qmail-send (commands fd 0, reports fd 1). Runs as qmailr.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Rspawn;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-rspawn", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-rspawn");
            return ExitCodes.Permanent;
        }
        try
        {
            var deliveries = new RemoteDeliveries(QueueLayout.OfThisInstall());
            new SpawnLoop(Fd.OpenRead(0), Fd.OpenWrite(1), deliveries.Run, RemoteDeliveries.BatchKey).Run();
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
