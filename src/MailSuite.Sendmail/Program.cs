// SPDX-License-Identifier: MIT
// sendmail: the sendmail command line every Unix program expects, carried out by qmail-inject.
using MailSuite.Common;

namespace MailSuite.Sendmail;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("sendmail");
        SendmailCommand? command = SendmailCommand.Parse(Path.GetFileName(Environment.GetCommandLineArgs()[0]), args);
        if (command is null)
        {
            Log.Fatal("usage: sendmail [ -t ] [ -fsender ] [ -Fname ] [ -bp ] [ -bs ] [ arg ... ]");
            return ExitCodes.Permanent;
        }
        if (command.Refusal is { } refusal)
        {
            Log.Fatal(refusal.Text);
            return refusal.ExitCode;
        }
        try
        {
            throw Exec.Replace(Home.Path("bin/" + command.Program), [command.Program, .. command.Arguments], command.Environment());
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
