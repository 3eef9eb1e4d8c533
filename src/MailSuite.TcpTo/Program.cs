// SPDX-License-Identifier: MIT
// qmail-tcpto: lists the hosts qmail-remote remembers for timing out (qmail-tcpto(8)'s lines).
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.TcpTo;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-tcpto");
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-tcpto");
            return ExitCodes.Permanent;
        }
        try
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var text = new System.Text.StringBuilder();
            foreach (TcpTimeout t in TcpTimeouts.Read(QueueLayout.OfThisInstall().TcpTo).OrderBy(t => t.Last))
                text.Append($"{t.Address} timed out {(long)(now - t.Last).TotalSeconds} seconds ago; # recent timeouts: {t.Count}\n");
            using Stream stdout = Fd.OpenWrite(1);
            stdout.Write(System.Text.Encoding.ASCII.GetBytes(text.ToString()));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to read lock/tcpto: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
