// SPDX-License-Identifier: MIT
// qmail-local [-nN] user homedir local dash ext domain sender defaultdelivery: delivers the message
// on fd 0 (a seekable file) as a .qmail file says. Runs as the recipient. Exit codes: README.md.
using MailSuite.Common;

namespace MailSuite.Local;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-local");
        bool dryRun = false;
        int i = 0;
        for (; i < args.Length && args[i].StartsWith('-') && args[i].Length > 1; i++)
        {
            if (args[i] == "--") { i++; break; }
            if (args[i] is "-n") dryRun = true;
            else if (args[i] is not "-N") return Report.Usage();
        }
        if (args.Length - i != 8) return Report.Usage();
        var r = new Recipient(args[i], args[i + 1], args[i + 2], args[i + 3], args[i + 4], args[i + 5], args[i + 6], args[i + 7]);
        if (Privileges.RealUid == 0 && !dryRun) return Report.Fail(Failure.Temporary("4.3.0", "Not allowed to perform deliveries as root."));
        try
        {
            PosixFile.Umask(Convert.ToInt32("077", 8));
            return new LocalDelivery(r, dryRun).Run();
        }
        catch (FailureException e)
        {
            return Report.Fail(e.Failure);
        }
        catch (SilentExit e)
        {
            return e.Code;
        }
        catch (Exception e)
        {
            return Report.Fail(Failure.Unexpected("qmail-local", e));
        }
    }
}
