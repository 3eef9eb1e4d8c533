// SPDX-License-Identifier: MIT
// qmail-local [-nN] user homedir local dash ext domain sender defaultdelivery: delivers the message
// on fd 0 (a seekable file) as a .qmail file says. Runs as the recipient. Exit codes: README.md.
using MailSuite.Common;

namespace MailSuite.Local;

internal static class Program
{
    private static int? BecomeRecipient(string ids)
    {
        string[] parts = ids.Split(':');
        if (parts.Length != 2 || !uint.TryParse(parts[0], out uint uid) || !uint.TryParse(parts[1], out uint gid)) return Report.Usage();
        try
        {
            Privileges.DropTo(new Account(uid.ToString(), uid, gid, "/", ""), supplementary: false);
            return null;
        }
        catch (FailureException e)
        {
            return Report.Fail(e.Failure);
        }
    }

    private static int Main(string[] args)
    {
        Log.Init("qmail-local");
        bool dryRun = false;
        string? runAs = null;
        int i = 0;
        for (; i < args.Length && args[i].StartsWith('-') && args[i].Length > 1; i++)
        {
            if (args[i] == "--") { i++; break; }
            if (args[i] is "-n") dryRun = true;
            else if (args[i] is "-U" && i + 1 < args.Length) runAs = args[++i];
            else if (args[i] is not "-N") return Report.Usage();
        }
        if (args.Length - i != 8) return Report.Usage();
        // qmail-lspawn starts us as root with -U uid:gid: become the recipient before anything
        // else is read (qmail's lspawn child did the same between fork and exec).
        if (runAs is not null && BecomeRecipient(runAs) is { } refused) return refused;
        // The address parts come as text (argv is UTF-8); inside they are byte strings, as in the queue.
        var r = new Recipient(args[i], args[i + 1], ByteString.FromText(args[i + 2]), args[i + 3], ByteString.FromText(args[i + 4]),
            ByteString.FromText(args[i + 5]), ByteString.FromText(args[i + 6]), args[i + 7]);
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
