// SPDX-License-Identifier: MIT
// qmail-smtpd: receives mail by SMTP on fds 0/1 (set up by tcpserver). Runs as qmaild.
using MailSuite.Common;

namespace MailSuite.Smtpd;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-smtpd", timestamps: true);
        var input = new FdStream(0);
        var output = new FdStream(1);
        var io = new LineIo(input, output);
        SmtpConfig config;
        try
        {
            config = SmtpConfig.Load(ControlDir.OfThisInstall(), args);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            io.Reply(Replies.ControlsUnreadable);
            io.Flush();
            return 1;
        }
        input.IdleTimeout = output.IdleTimeout = config.TimeoutSeconds * 1000;
        input.Deadline = output.Deadline = Environment.TickCount64 + config.SessionSeconds * 1000L;
        try
        {
            return new SmtpSession(io, config, input, output).Run();
        }
        catch (DeadlineException)
        {
            Log.Event($"ip={config.RemoteIp} session time limit of {config.SessionSeconds} s reached, closing");
            output.Deadline = 0;   // time for the goodbye (the idle timeout still bounds it)
            io.TryReply(Replies.SessionTooLong);
            return 1;
        }
        catch (TimeoutException)
        {
            io.TryReply(Replies.Timeout);
            return 1;
        }
        catch (IOException)
        {
            return 1;   // the client went away
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            io.TryReply(Replies.InternalError);
            return 1;
        }
        catch (Exception e)   // the unexpected: a log line and 421, never a crash
        {
            Log.Fatal(e);
            io.TryReply(Replies.InternalError);
            return 1;
        }
    }
}
