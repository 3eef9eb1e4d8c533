// SPDX-License-Identifier: MIT
// splogger [tag [facility]]: sends each line of fd 0 to syslog. Runs as qmaill.
using MailSuite.Common;

namespace MailSuite.Splogger;

internal static class Program
{
    private const int LogMail = 2;

    private static int Main(string[] args)
    {
        Log.Init("splogger");
        string tag = args.Length > 0 ? args[0] : "splogger";
        int facility = args.Length > 1 && int.TryParse(args[1], out int f) ? f : LogMail;
        try
        {
            using var syslog = new Syslog(tag, facility);
            syslog.CopyLines(Fd.OpenRead(0));
            return ExitCodes.Success;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
