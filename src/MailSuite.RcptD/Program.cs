// SPDX-License-Identifier: MIT
// qmail-rcptd: answers "would this recipient be delivered?" on PREFIX/rcptd/socket, so that
// qmail-smtpd (qmaild, which may not look into users' homes) can refuse unknown users at RCPT.
// Started as root: it binds the socket, then runs its unprivileged half as qmailp and stays
// behind only to stat .qmail paths for it.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MailSuite.Common;

namespace MailSuite.RcptD;

internal static class Program
{
    private const string Unprivileged = "lookup";   // argv[1] of the half started by the root half
    private const int ListenerFd = 0;
    private const int StatFd = 3;

    private static int Main(string[] args)
    {
        Log.Init("qmail-rcptd", timestamps: true);
        try
        {
            if (args is [Unprivileged]) return Lookup();
            if (args.Length != 0)
            {
                Log.Fatal("usage: qmail-rcptd");
                return ExitCodes.Permanent;
            }
            return Supervise();
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

    // Root: the socket, the unprivileged half with the socket on fd 0 and the stat channel on
    // fd 3, then stat answers until that half ends.
    private static int Supervise()
    {
        if (Privileges.EffectiveUid != 0) throw new FailureException(Failure.Temporary("4.3.0", "qmail-rcptd must be started as root"));
        Account qmailp = Accounts.Require("qmailp");
        string path = Home.Path("rcptd/socket");
        using Socket listener = Listen(path, qmailp);
        using SocketPair pair = SocketPair.Create();
        var request = new SpawnRequest(Home.Executable, ["qmail-rcptd", Unprivileged], Env.Current(),
            new Dictionary<int, int> { [ListenerFd] = (int)listener.Handle, [StatFd] = Pipe.Number(pair.Second), [2] = 2 });
        int child = Spawn.Start(request);
        pair.Second.Dispose();
        // listener stays open here, unused: closing it would make .NET unlink the socket's path.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
        {
            Spawn.Signal(child, 15);
            Environment.Exit(ExitCodes.Success);
        });
        using (var channel = new FdStream(Pipe.Number(pair.First))) StatHelper.Serve(channel);
        ExitStatus status = Spawn.Wait(child);
        Log.Fatal($"the lookup half ended ({status})");
        return ExitCodes.Temporary;
    }

    private static Socket Listen(string path, Account owner)
    {
        Socket listener = LocalSocket.Listen(path);
        FileStatus.Chown(path, owner.Uid, owner.Gid);
        return listener;
    }

    // qmailp, before anything from a client is read.
    private static int Lookup()
    {
        if (Privileges.EffectiveUid == 0) Privileges.DropTo(Accounts.Require("qmailp"), supplementary: false);
        using var listener = new Socket(new SafeSocketHandle(ListenerFd, ownsHandle: true));
        using var channel = new FdStream(StatFd);
        return new RcptServer(listener, channel).Run();
    }
}
