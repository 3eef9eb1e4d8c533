// SPDX-License-Identifier: MIT
// qmail-popup hostname subprogram...: reads a POP3 login and hands it to subprogram on fd 3. Runs as root.
using MailSuite.Common;

namespace MailSuite.Popup;

internal static class Program
{
    private const int IdleSeconds = 1200;

    private static int Main(string[] args)
    {
        Log.Init("qmail-popup", timestamps: true);
        var input = new HandOverInput(new FdStream(0) { IdleTimeout = IdleSeconds * 1000 });
        var output = new FdStream(1) { IdleTimeout = IdleSeconds * 1000 };
        var io = new LineIo(input, output);
        try
        {
            if (args.Length < 2 || args[0].Length == 0)
            {
                io.Reply(Replies.Usage);
                io.Flush();
                return 1;
            }
            return new Popup(io, args[0], args[1..]).Run();
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
}
