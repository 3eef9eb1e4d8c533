// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// What qmail's small delivery helpers (bouncesaying, condredirect, except, forward, preline)
/// share, run from a .qmail line by qmail-local: the message is fd 0 (a file, so it can be read
/// again from its start), the delivery is described by qmail-command(8)'s variables.
/// </summary>
public static class MessageCommand
{
    /// <summary>
    /// Runs program with the message on fd 0 from its start and the same environment; its exit
    /// code, or null when it could not be started (it does not exist) or was killed by a signal
    /// (<paramref name="crashed"/> then says which).
    /// </summary>
    public static int? Run(IReadOnlyList<string> argv, out bool crashed)
    {
        crashed = false;
        string path;
        try
        {
            path = Spawn.FindInPath(argv[0]);
        }
        catch (FailureException)
        {
            return null;
        }
        Fd.Rewind(0);
        ExitStatus status;
        try
        {
            status = Spawn.Run(new SpawnRequest(path, argv, Env.Current(), new Dictionary<int, int> { [0] = 0, [1] = 1, [2] = 2 }));
        }
        catch (FailureException)
        {
            return null;   // not executable: as if it did not exist
        }
        crashed = !status.Exited;
        return status.Exited ? status.Code : null;
    }

    /// <summary>A variable qmail-local sets; its absence is a permanent failure (not run by qmail-local).</summary>
    public static string Required(string name) =>
        Env.Get(name) ?? throw new FailureException(Failure.Permanent("5.3.5", $"{name} not set: run me from a .qmail file"));

    /// <summary>
    /// forward(1): the message (DTLINE on top, as qmail-local's own forwarding) to the
    /// recipients, envelope sender NEWSENDER, through qmail-queue; its pid, or a failure.
    /// </summary>
    public static int Forward(IEnumerable<string> recipients)
    {
        string sender = Required("NEWSENDER");
        string dtline = Required("DTLINE");
        Fd.Rewind(0);
        using var message = new FdStream(0);
        QueueResult result = QueueClient.Submit(output =>
        {
            output.Write(Encoding.Latin1.GetBytes(dtline));
            message.CopyTo(output);
        }, sender, recipients);
        if (result.Failure is { } f) throw new FailureException(f);
        return result.QueuePid;
    }
}
