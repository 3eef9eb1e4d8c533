// SPDX-License-Identifier: MIT
// qmail-tcpok: forgets every host qmail-remote remembers for timing out (qmail-tcpok(8)).
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.TcpOk;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-tcpok");
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-tcpok");
            return ExitCodes.Permanent;
        }
        try
        {
            TcpTimeouts.ClearAll(QueueLayout.OfThisInstall().TcpTo);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to clear lock/tcpto: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
