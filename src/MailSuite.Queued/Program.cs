// SPDX-License-Identifier: MIT
// qmail-queued: qmail-queue, resident. Clients on PREFIX/queued/socket (anyone, as anyone may run
// qmail-queue) hand it a message and an envelope as QueueSocket describes; it does qmail-queue's
// steps for each, the caller's uid by the kernel's word (SO_PEERCRED), and answers with
// qmail-queue's exit code. Started as root only to bind the socket; it runs as qmailq.
using System.Net.Sockets;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Queued;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-queued", timestamps: true);
        try
        {
            if (args.Length != 0)
            {
                Log.Fatal("usage: qmail-queued");
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

    // The socket as root, open to everyone (0666: connecting needs write permission); then
    // qmailq for good, before any client is read.
    private static int Serve()
    {
        if (Privileges.EffectiveUid != 0) throw new FailureException(Failure.Temporary("4.3.0", "qmail-queued must be started as root"));
        Account qmailq = Accounts.Require("qmailq");
        string path = QueueClient.QueuedSocket;
        using Socket listener = LocalSocket.Listen(path);
        FileStatus.Chmod(path, Convert.ToInt32("666", 8));
        Privileges.DropTo(qmailq, supplementary: false);
        PosixFile.Umask(Convert.ToInt32("033", 8));
        return new QueueServer(listener, QueueLayout.OfThisInstall()).Run();
    }
}
