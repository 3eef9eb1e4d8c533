// SPDX-License-Identifier: MIT
// qmail-queue: message on fd 0, envelope on fd 1; queues it. Setuid qmailq. Exit codes: README.md.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Queue;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-queue");
        // The caller's environment reaches the runtime before Main (DOTNET_* settings): start
        // over with none, so nothing the caller set can shape what a setuid program does.
        if (Environment.GetEnvironmentVariables().Count > 0)
            throw Exec.Replace(Home.Executable, ["qmail-queue"], []);
        if (!Fd.IsOpen(0) || !Fd.IsOpen(1)) return QqExit.ReadError;
        // Before anything loads a library from beside the executable, make sure nobody but root
        // can have put one there.
        if (Privileges.RealUid != Privileges.EffectiveUid && !TrustedLocation()) return QqExit.HomeTrouble;
        try
        {
            Fd.EnsureStandardOpen();
            PosixFile.Umask(Convert.ToInt32("033", 8));
            ProcessDeadline.Arm(TimeSpan.FromHours(24), QqExit.Timeout);
            var queue = QueueLayout.OfThisInstall();
            int pid = Environment.ProcessId;
            return new QueueInjector(queue, Fd.OpenRead(0), () => Fd.OpenRead(1), Privileges.RealUid, pid, pid.ToString()).Run();
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return QqExit.HomeTrouble;
        }
        catch (Exception e)
        {
            Log.Fatal(e);
            return QqExit.InternalBug;
        }
    }

    // Running setuid: refuse unless our own location is one no caller can have arranged.
    private static bool TrustedLocation()
    {
        IReadOnlyList<string> problems = TrustedTree.Problems(Home.Executable, Privileges.EffectiveUid);
        foreach (string problem in problems) Log.Fatal("refusing to run setuid: " + problem);
        return problems.Count == 0;
    }
}
