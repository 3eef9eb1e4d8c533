// SPDX-License-Identifier: MIT
// checkpassword prog...: checks the login on fd 3, becomes the user and runs prog (djb's interface).
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.CheckPassword;

internal static class Program
{
    private const int Bad = 1;
    private const int Misuse = 2;

    private static int Main(string[] args)
    {
        Log.Init("checkpassword", timestamps: true);
        if (args.Length == 0)
        {
            Log.Fatal("usage: checkpassword prog...");
            return Misuse;
        }
        Login? login = Login.ReadFrom(3);
        if (login is null)
        {
            Log.Warning("misuse: fd 3 must carry name\\0password\\0timestamp\\0, at most 512 bytes");
            return Misuse;
        }
        try
        {
            return Checker.Run(login, args);
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
