// SPDX-License-Identifier: MIT
// qmail-pop3d maildirname: serves the user's Maildir by POP3 on fds 0/1. Runs as the user, in $HOME.
using MailSuite.Common;

namespace MailSuite.Pop3d;

internal static class Program
{
    private const int IdleSeconds = 1200;

    private static int Main(string[] args)
    {
        Log.Init("qmail-pop3d", timestamps: true);
        var io = new LineIo(new FdStream(0) { IdleTimeout = IdleSeconds * 1000 }, new FdStream(1) { IdleTimeout = IdleSeconds * 1000 });
        try
        {
            if (Privileges.RealUid == 0 || Privileges.EffectiveUid == 0)
            {
                Log.Fatal("qmail-pop3d invoked as uid 0, terminating");
                return 1;
            }
            if (args.Length != 1 || args[0].Length == 0)
            {
                io.Reply(Replies.Usage);
                io.Flush();
                return 1;
            }
            Mailbox? box = Mailbox.Open(args[0]);
            if (box is null)
            {
                io.Reply(Replies.NoMaildir);
                io.Flush();
                return 1;
            }
            return new Pop3Session(io, box).Run();
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            return 0;   // the client went away or went silent: nothing is deleted
        }
        catch (Exception e)   // the unexpected: a log line, nothing deleted, never a crash
        {
            return Log.Unexpected(e, 1);
        }
    }
}
