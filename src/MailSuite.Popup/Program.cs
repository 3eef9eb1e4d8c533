// SPDX-License-Identifier: MIT
// qmail-popup hostname subprogram...: reads a POP3 login and hands it to subprogram on fd 3. Runs as root.
using MailSuite.Common;

namespace MailSuite.Popup;

internal static class Program
{
    private const int IdleSeconds = 1200;

    // A client has this long to log in, as Dovecot's login processes give one (3 minutes): the
    // idle timeout alone would let a NOOP now and then hold this root process for ever.
    // LOGINSECONDS (set by tcprules for some clients, say) changes it.
    private const long DefaultLoginSeconds = 180;

    private static int Main(string[] args)
    {
        Log.Init("qmail-popup", timestamps: true);
        var client = new FdStream(0) { IdleTimeout = IdleSeconds * 1000 };
        var output = new FdStream(1) { IdleTimeout = IdleSeconds * 1000 };
        var io = new LineIo(new HandOverInput(client), output);
        long loginSeconds = LoginSeconds();
        client.Deadline = output.Deadline = Environment.TickCount64 + loginSeconds * 1000;
        try
        {
            if (args.Length < 2 || args[0].Length == 0)
            {
                io.Reply(Replies.Usage);
                io.Flush();
                return 1;
            }
            return new Popup(io, args[0], args[1..], () => client.Deadline = output.Deadline = 0).Run();
        }
        catch (DeadlineException)
        {
            Log.Event($"{Env.Get("TCPREMOTEIP", "a client")} did not log in within {loginSeconds} s, closing");
            output.Deadline = 0;   // time for the goodbye (the idle timeout still bounds it)
            io.TryReply(Replies.LoginTimeOver);
            return 1;
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            return 1;   // the client went away or went silent
        }
        catch (Exception e)   // the unexpected: a log line and a temporary -ERR, never a crash
        {
            Log.Fatal(e);
            io.TryReply(Replies.TemporaryFailure);
            return 1;
        }
    }

    private static long LoginSeconds() =>
        Env.Get("LOGINSECONDS") is { } text && ControlFile.Number(text) is long n && n > 0 ? Math.Min(n, 86400) : DefaultLoginSeconds;
}
