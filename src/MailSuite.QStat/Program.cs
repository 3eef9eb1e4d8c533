// SPDX-License-Identifier: MIT
// qmail-qstat: how many messages are in the queue, and how many of them wait for preprocessing.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QStat;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-qstat");
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-qstat");
            return ExitCodes.Permanent;
        }
        try
        {
            QueueLayout q = QueueLayout.OfThisInstall();
            int all = Directory.EnumerateFiles(Path.Combine(q.Dir, "mess"), "*", SearchOption.AllDirectories).Count();
            int todo = Directory.EnumerateFiles(Path.Combine(q.Dir, "todo"), "*", SearchOption.AllDirectories).Count();
            using Stream stdout = Fd.OpenWrite(1);
            stdout.Write(System.Text.Encoding.ASCII.GetBytes($"messages in queue: {all}\nmessages in queue but not yet preprocessed: {todo}\n"));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to read the queue: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
