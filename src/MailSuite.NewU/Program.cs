// SPDX-License-Identifier: MIT
// qmail-newu: compiles users/assign into users/cdb for qmail-lspawn.
using MailSuite.Common;

namespace MailSuite.NewU;

internal static class Program
{
    private static int Main()
    {
        Log.Init("qmail-newu");
        try
        {
            string users = Home.Path("users");
            byte[] assign = File.ReadAllBytes(Path.Combine(users, "assign"));
            AssignCompiler.Compile(assign, Path.Combine(users, "cdb"));
            return ExitCodes.Success;
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (IOException e)
        {
            Log.Fatal("unable to read users/assign: " + ErrorText.Of(e));
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
