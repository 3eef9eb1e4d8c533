// SPDX-License-Identifier: MIT
// qmail-showctl: prints the install's settings and every control file in force, with defaults.
using MailSuite.Common;

namespace MailSuite.ShowCtl;

internal static class Program
{
    private static int Main()
    {
        Log.Init("qmail-showctl");
        try
        {
            using Stream stdout = Fd.OpenWrite(1);
            using var writer = new StreamWriter(stdout) { NewLine = "\n" };
            ShowCtl.Print(Home.Prefix, writer);
            return ExitCodes.Success;
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
