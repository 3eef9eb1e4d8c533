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
            using SessionPool? pool = Pool(ControlDir.OfThisInstall());
            var deliveries = new RemoteDeliveries(QueueLayout.OfThisInstall(), pool);
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

    // control/remotereuse: messages per connection (1: one qmail-remote and one connection per
    // message, as qmail); control/remoteidle: seconds a connection waits for the next message.
    private static SessionPool? Pool(ControlDir control)
    {
        int reuse = (int)Math.Clamp(control.Number("remotereuse", 100), 1, 100_000);
        int idle = (int)Math.Clamp(control.Number("remoteidle", 5), 0, 3600);
        return reuse > 1 && idle > 0 ? new SessionPool(reuse, idle) : null;
    }
}
