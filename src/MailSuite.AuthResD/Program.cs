// SPDX-License-Identifier: MIT
// qmail-authresd: qmail-authres, resident. It takes qmail-queue's interface on
// PREFIX/authres/socket (QMAILQUEUE names that socket), verifies each message as qmail-authres
// does and hands it on, so that no process starts per message for the checks. Started as root
// only to bind the socket; it runs as qmaild, and answers qmaild (qmail-smtpd) and root alone.
using System.Net.Sockets;
using MailSuite.Common;

namespace MailSuite.AuthResD;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-authresd", timestamps: true);
        try
        {
            if (args.Length != 0)
            {
                Log.Fatal("usage: qmail-authresd");
                return ExitCodes.Permanent;
            }
            return Serve();
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

    // The socket as root, owned by qmaild; then qmaild for good, before any client is read.
    private static int Serve()
    {
        if (Privileges.EffectiveUid != 0) throw new FailureException(Failure.Temporary("4.3.0", "qmail-authresd must be started as root"));
        Account qmaild = Accounts.Require("qmaild");
        string path = Home.Path("authres/socket");
        using Socket listener = LocalSocket.Listen(path);
        FileStatus.Chown(path, qmaild.Uid, qmaild.Gid);
        Privileges.DropTo(qmaild, supplementary: false);
        return new AuthResServer(listener, qmaild.Uid).Run();
    }
}
