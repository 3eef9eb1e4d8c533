// SPDX-License-Identifier: MIT
// setuidgid account child...: becomes the account (groups, gid, uid) and runs child (daemontools' interface).
using MailSuite.Common;

namespace MailSuite.SetUidGid;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("setuidgid");
        if (args.Length < 2)
        {
            Log.Fatal("usage: setuidgid account child");
            return ExitCodes.Permanent;
        }
        try
        {
            Account account = Accounts.Find(args[0])
                ?? throw new FailureException(Failure.Temporary("4.3.0", $"unknown account {args[0]}"));
            Privileges.DropTo(account);
            throw Exec.Replace(args[1..]);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
