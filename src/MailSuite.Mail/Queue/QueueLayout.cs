// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// qmail's queue, by path (INTERNALS). A message is named by the inode number n of its mess file.
/// States, as qmail's INTERNALS lists them (+ exists, - absent, ? either):
/// S1 nothing; S2 +mess; S3 +mess +intd; S4 (queued) +mess ?intd +todo ?info ?local ?remote -bounce;
/// S5 (preprocessed) +mess -intd -todo +info ?local ?remote ?bounce. Every state after a crash is
/// recoverable: S2/S3 leftovers are removed after 36 hours, S4 is preprocessed again, S5 resumes.
/// </summary>
public sealed class QueueLayout(string dir)
{
    /// <summary>The queue directory, such as /var/qmail/queue.</summary>
    public string Dir { get; } = dir;

    /// <summary>The queue of the install this program belongs to.</summary>
    public static QueueLayout OfThisInstall() => new(Home.Path("queue"));

    /// <summary>The split subdirectory of message n.</summary>
    public static ulong SplitOf(ulong n) => n % (ulong)Hier.Split;

    /// <summary>"S/n": a message's mess file relative to mess/, as the spawners receive it.</summary>
    public static string MessRelative(ulong n) => $"{SplitOf(n)}/{n}";

    /// <summary>A temporary file in pid/.</summary>
    public string Pid(string name) => Path.Combine(Dir, "pid", name);

    /// <summary>mess/S/n: the message.</summary>
    public string Mess(ulong n) => Path.Combine(Dir, "mess", MessRelative(n));

    /// <summary>intd/n: the envelope being written.</summary>
    public string Intd(ulong n) => Path.Combine(Dir, "intd", n.ToString());

    /// <summary>todo/n: the committed envelope, waiting for qmail-send.</summary>
    public string Todo(ulong n) => Path.Combine(Dir, "todo", n.ToString());

    /// <summary>info/S/n: sender; its mtime is the message's birth.</summary>
    public string Info(ulong n) => Path.Combine(Dir, "info", MessRelative(n));

    /// <summary>local/S/n: local recipients.</summary>
    public string Local(ulong n) => Path.Combine(Dir, "local", MessRelative(n));

    /// <summary>remote/S/n: remote recipients.</summary>
    public string Remote(ulong n) => Path.Combine(Dir, "remote", MessRelative(n));

    /// <summary>bounce/n: collected permanent failures.</summary>
    public string Bounce(ulong n) => Path.Combine(Dir, "bounce", n.ToString());

    /// <summary>lock/trigger: the FIFO qmail-queue pokes to wake qmail-send.</summary>
    public string Trigger => Path.Combine(Dir, "lock", "trigger");

    /// <summary>lock/sendmutex: held by the one running qmail-send.</summary>
    public string SendMutex => Path.Combine(Dir, "lock", "sendmutex");

    /// <summary>qmail-remote's memory of hosts that time out (qmail-tcpto).</summary>
    public string TcpTo => Path.Combine(Dir, "lock", "tcpto");

    /// <summary>qmail-remote's MTA-STS policies, one file per domain (qmailr's).</summary>
    public string MtaSts => Path.Combine(Dir, "mtasts");

    /// <summary>Wakes qmail-send, if it is listening.</summary>
    public void PullTrigger() => Fifo.Poke(Trigger);
}
