// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// qmail's alarm(DEATH): if the process is still running after the deadline, it ends at once
/// with the given exit code, whatever it is blocked on. _exit(2) skips every cleanup, as qmail's
/// SIGALRM handler does: a half-written queue file is left for qmail-send's cleanup, never
/// committed.
/// </summary>
public static class ProcessDeadline
{
    private static Timer? timer;

    /// <summary>Arms the deadline; arming again replaces the previous one.</summary>
    public static void Arm(TimeSpan after, int exitCode)
    {
        timer?.Dispose();
        timer = new Timer(_ => Native.Exit(exitCode), null, after, Timeout.InfiniteTimeSpan);
    }
}
