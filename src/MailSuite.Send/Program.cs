// SPDX-License-Identifier: MIT
// qmail-send: the scheduler. fd 0 log; fds 1/2 qmail-lspawn; 3/4 qmail-rspawn; 5/6 qmail-clean. Runs as qmails.
using System.Runtime.InteropServices;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

internal static class Program
{
    private const int SIGALRM = 14;

    private static int Main()
    {
        Log.Init("qmail-send", fd: SendFds.Log, withoutName: true, timestamps: true);
        Controls controls;
        try
        {
            controls = Controls.Load(ControlDir.OfThisInstall());
        }
        catch (FailureException e)
        {
            Log.Alert($"cannot start: {e.Failure.Text}");
            return ExitCodes.Temporary;
        }
        try
        {
            PosixFile.Umask(Convert.ToInt32("077", 8));
            var queue = QueueLayout.OfThisInstall();
            using FileStream mutex = new(queue.SendMutex, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (!PosixFile.TryLockExclusive((int)mutex.SafeFileHandle.DangerousGetHandle()))
            {
                Log.Alert("cannot start: qmail-send is already running");
                return ExitCodes.Temporary;
            }
            Spawner?[] spawners =
            [
                Spawner.Connect(Channel.Local, SendFds.LocalCommands, SendFds.LocalReports, controls.ConcurrencyLocal),
                Spawner.Connect(Channel.Remote, SendFds.RemoteCommands, SendFds.RemoteReports, controls.ConcurrencyRemote),
            ];
            if (spawners[Channel.Local] is null)
            {
                Log.Alert("cannot start: qmail-lspawn did not start");
                return ExitCodes.Temporary;
            }
            if (spawners[Channel.Remote] is null) Log.Warning("no qmail-rspawn: remote deliveries wait in the queue");
            var clean = new CleanClient(Fd.OpenWrite(SendFds.CleanRequests), Fd.OpenRead(SendFds.CleanAnswers));
            var scheduler = new Scheduler(queue, controls, spawners, clean);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Post(scheduler, "TERM"));
            using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Post(scheduler, "HUP"));
            using var alrm = PosixSignalRegistration.Create((PosixSignal)SIGALRM, Post(scheduler, "ALRM"));
            TriggerListener.Start(queue.Trigger, scheduler.Events);
            PostmasterListener.Start(QueueManagement.SocketPath, scheduler.Events);
            return scheduler.Run();
        }
        catch (Exception e) when (e is IOException or FailureException or UnauthorizedAccessException)
        {
            Log.Alert("cannot start: " + ErrorText.Of(e));
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    private static Action<PosixSignalContext> Post(Scheduler scheduler, string name) => context =>
    {
        context.Cancel = true;
        scheduler.Events.Add(new SignalEvent(name));
    };
}
