// SPDX-License-Identifier: MIT
// qmail-authd: answers "is this password right?" on PREFIX/authd/socket for checkpassword run
// without root (SMTP AUTH in qmail-smtpd). Started as root; serves as qmailp with the shadow group.
using MailSuite.Common;

namespace MailSuite.AuthD;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-authd", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-authd");
            return ExitCodes.Permanent;
        }
        try
        {
            using var server = AuthServer.Listen(Home.Path("authd/socket"), AuthLimits.Load(ControlDir.OfThisInstall()));
            return server.Run();
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: a log line and a temporary failure, never a crash dump
        {
            Log.Fatal($"unexpected {e.GetType().Name}: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
    }
}
