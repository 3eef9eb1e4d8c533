// SPDX-License-Identifier: MIT
// qmail-inject [-nNaAhH] [-fsender] [recip...]: rewrites the header of the message on fd 0 and queues it.
using MailSuite.Common;

namespace MailSuite.Inject;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-inject");
        Options? options = Options.Parse(args);
        if (options is null)
        {
            Log.Fatal("usage: qmail-inject [ -nNaAhH ] [ -fsender ] [ recip ... ]");
            return ExitCodes.Permanent;
        }
        try
        {
            var injection = new Injection(options, Identity.Load(ControlDir.OfThisInstall()));
            return injection.Run(Fd.OpenRead(0), Fd.OpenWrite(1));
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.ToString());
            return e.Failure.ExitCode;
        }
        catch (Exception e) when (e is IOException or FormatException)
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
