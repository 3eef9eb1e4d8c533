// SPDX-License-Identifier: MIT
// qmail-qcheck [--repair]: reports what a crash or a careless administrator left in the queue,
// and with --repair (qmail-send stopped) puts it right.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QCheck;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-qcheck");
        bool repair = args is ["--repair"];
        if (args.Length > 1 || (args.Length == 1 && !repair))
        {
            Log.Fatal("usage: qmail-qcheck [--repair]");
            return ExitCodes.Permanent;
        }
        try
        {
            QueueLayout queue = QueueLayout.OfThisInstall();
            using FileStream mutex = new(queue.SendMutex, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (repair && !PosixFile.TryLockExclusive((int)mutex.SafeFileHandle.DangerousGetHandle()))
            {
                Log.Fatal("qmail-send is running: stop it before --repair (the report alone is safe any time)");
                return ExitCodes.Temporary;
            }
            var problems = new QueueCheck(queue, InstallIds.OfTree(Home.Prefix), repair).Run();
            using Stream stdout = Fd.OpenWrite(1);
            foreach (string p in problems) stdout.Write(System.Text.Encoding.UTF8.GetBytes(p + "\n"));
            return problems.Count == 0 || repair ? ExitCodes.Success : 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FailureException)
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
