// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>What an entry of the install tree is, and how the installer treats what is already there.</summary>
public enum HierKind
{
    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A program or library copied from the build; replaced when its bytes differ.</summary>
    Binary,

    /// <summary>A file created with Size zero bytes when missing, never rewritten (runtime state).</summary>
    ZeroFile,

    /// <summary>A file created empty when missing, never rewritten (the administrator edits it).</summary>
    EditableFile,

    /// <summary>A named pipe.</summary>
    Fifo,

    /// <summary>The boot script (qmail's rc), written for this prefix when missing, never rewritten.</summary>
    BootScript,
}

/// <summary>One path of the install tree with its owner, group and mode (one line of qmail's hier.c).</summary>
public sealed record HierEntry(HierKind Kind, string Path, Role Owner, GroupRole Group, int Mode, int Size = 0);

/// <summary>
/// The install tree, qmail's hier.c restated: every directory, program and queue file with qmail's
/// owners and modes. The installer lays it out and instcheck verifies it, from this one table.
/// </summary>
public static class Hier
{
    /// <summary>qmail's conf-split: mess, info, local and remote have subdirectories 0..22.</summary>
    public const int Split = 23;

    /// <summary>Every program and library in bin/, with its owner and mode.</summary>
    public static readonly IReadOnlyList<(string Name, Role Owner, int Mode)> Programs =
    [
        ("qmail-showctl", Role.Root, Mode("755")),
        ("maildirmake", Role.Root, Mode("755")),
        ("setuidgid", Role.Root, Mode("755")),
        ("preline", Role.Root, Mode("755")),
        ("forward", Role.Root, Mode("755")),
        ("condredirect", Role.Root, Mode("755")),
        ("bouncesaying", Role.Root, Mode("755")),
        ("except", Role.Root, Mode("755")),
        ("config-fast", Role.Root, Mode("755")),
        ("instcheck", Role.Root, Mode("755")),
        ("mailsuite-check", Role.Root, Mode("700")),
        ("dknewkey", Role.Root, Mode("700")),
        ("qmail-queue", Role.Qmailq, Mode("4711")),
        ("qmail-local", Role.Root, Mode("711")),
        ("qmail-lspawn", Role.Root, Mode("700")),
        ("qmail-clean", Role.Root, Mode("711")),
        ("qmail-rspawn", Role.Root, Mode("711")),
        ("qmail-remote", Role.Root, Mode("711")),
        ("qmail-tcpto", Role.Root, Mode("755")),
        ("qmail-tcpok", Role.Root, Mode("700")),
        ("qmail-send", Role.Root, Mode("711")),
        ("qmail-start", Role.Root, Mode("700")),
        ("splogger", Role.Root, Mode("711")),
        ("qmail-inject", Role.Root, Mode("755")),
        ("qmail-newu", Role.Root, Mode("700")),
        ("qmail-qread", Role.Root, Mode("755")),
        ("qmail-qstat", Role.Root, Mode("755")),
        ("qmail-qcheck", Role.Root, Mode("700")),
        ("qmail-qctl", Role.Root, Mode("700")),
        ("qmail-analog", Role.Root, Mode("755")),
        ("qmail-metrics", Role.Root, Mode("755")),
        ("maildir2mbox", Role.Root, Mode("755")),
        ("qmail-newmrh", Role.Root, Mode("700")),
        ("qmail-pw2u", Role.Root, Mode("711")),
        ("tcpclient", Role.Root, Mode("755")),
        ("qmail-smtpd", Role.Root, Mode("755")),
        ("tcpserver", Role.Root, Mode("755")),
        ("rblsmtpd", Role.Root, Mode("755")),
        ("tcprules", Role.Root, Mode("755")),
        ("tcprulescheck", Role.Root, Mode("755")),
        ("sendmail", Role.Root, Mode("755")),
        ("checkpassword", Role.Root, Mode("711")),
        ("qmail-authd", Role.Root, Mode("700")),
        ("qmail-rcptd", Role.Root, Mode("700")),
        ("qmail-authres", Role.Root, Mode("755")),
        ("qmail-authresd", Role.Root, Mode("700")),
        ("qmail-queued", Role.Root, Mode("700")),
        ("qmail-scan", Role.Root, Mode("755")),
        ("qmail-submit", Role.Root, Mode("755")),
        ("qmail-popup", Role.Root, Mode("711")),
        ("qmail-pop3d", Role.Root, Mode("711")),
        ("sslserver", Role.Root, Mode("755")),
        ("sslrelay", Role.Root, Mode("755")),
    ];

    /// <summary>The whole table, parents before children.</summary>
    public static IReadOnlyList<HierEntry> Entries { get; } = Build();

    /// <summary>
    /// The boot script: qmail-start with ./Maildir/ as the default delivery under a clean
    /// environment (qmail's boot/home, with the guide's Maildir choice). qmail-send's log goes to
    /// standard output, which rc/mailsuite appends to LOGDIR/send.log: it lands in a file even
    /// where no syslog daemon runs. splogger stays for those who want syslog.
    /// </summary>
    public static string BootScript(string prefix) =>
        "#!/bin/sh\n\n" +
        "# qmail-send's log goes to standard output (rc/mailsuite: LOGDIR/send.log, each line stamped).\n" +
        "# For syslog instead, end the last line with: splogger qmail\n" +
        "# Using ./Maildir/ (each user's ~/Maildir/) as the default delivery.\n\n" +
        $"exec env - PATH=\"{prefix}/bin:$PATH\" \\\n" +
        "qmail-start ./Maildir/\n";

    /// <summary>An octal mode written as qmail writes it ("755", "2755", "4711").</summary>
    public static int Mode(string octal) => Convert.ToInt32(octal, 8);

    private static List<HierEntry> Build()
    {
        var e = new List<HierEntry>();
        void Dir(string path, Role owner, string mode, GroupRole group = GroupRole.Qmail) =>
            e.Add(new HierEntry(HierKind.Directory, path, owner, group, Mode(mode)));
        void SplitDir(string path, Role owner, string mode)
        {
            Dir(path, owner, mode);
            for (int i = 0; i < Split; i++) Dir($"{path}/{i}", owner, mode);
        }

        Dir("", Role.Root, "755");
        Dir("control", Role.Root, "755");
        Dir("control/domainkeys", Role.Root, "755");   // DKIM keys by domain (dknewkey writes, qmail-remote reads)
        Dir("users", Role.Root, "755");
        // qmail-remote's logins for smarthosts (control/remoteauth): qmailr's alone.
        e.Add(new HierEntry(HierKind.EditableFile, "control/remoteauth", Role.Qmailr, GroupRole.Qmail, Mode("600")));
        Dir("bin", Role.Root, "755");
        Dir("boot", Role.Root, "755");
        e.Add(new HierEntry(HierKind.BootScript, "rc", Role.Root, GroupRole.Qmail, Mode("755")));
        Dir("alias", Role.Alias, "2755");
        foreach (string name in (string[])[".qmail-postmaster", ".qmail-mailer-daemon", ".qmail-root"])
            e.Add(new HierEntry(HierKind.EditableFile, $"alias/{name}", Role.Alias, GroupRole.Qmail, Mode("644")));
        foreach (string dir in (string[])["alias/Maildir", "alias/Maildir/tmp", "alias/Maildir/new", "alias/Maildir/cur"])
            Dir(dir, Role.Alias, "700");

        Dir("authd", Role.Qmailp, "750", GroupRole.Nofiles);   // qmail-authd's socket: for nofiles (qmaild) only
        Dir("rcptd", Role.Qmailp, "750", GroupRole.Nofiles);   // qmail-rcptd's socket: for nofiles (qmaild) only
        Dir("queued", Role.Root, "755");   // qmail-queued's socket: for everyone, as qmail-queue is
        Dir("qmgr", Role.Qmails, "700");   // qmail-send's management socket: for qmail-qctl, run by root
        Dir("authres", Role.Qmaild, "750", GroupRole.Nofiles);   // qmail-authresd's socket: nofiles may reach it, qmaild alone is answered

        Dir("queue", Role.Qmailq, "750");
        Dir("queue/pid", Role.Qmailq, "700");
        Dir("queue/intd", Role.Qmailq, "700");
        Dir("queue/todo", Role.Qmailq, "750");
        Dir("queue/bounce", Role.Qmails, "700");
        SplitDir("queue/mess", Role.Qmailq, "750");
        SplitDir("queue/info", Role.Qmails, "700");
        SplitDir("queue/local", Role.Qmails, "700");
        SplitDir("queue/remote", Role.Qmails, "700");
        Dir("queue/lock", Role.Qmailq, "750");
        Dir("queue/mtasts", Role.Qmailr, "700");   // qmail-remote's cached MTA-STS policies
        e.Add(new HierEntry(HierKind.ZeroFile, "queue/lock/tcpto", Role.Qmailr, GroupRole.Qmail, Mode("644"), Size: 1024));
        e.Add(new HierEntry(HierKind.ZeroFile, "queue/lock/sendmutex", Role.Qmails, GroupRole.Qmail, Mode("600")));
        e.Add(new HierEntry(HierKind.Fifo, "queue/lock/trigger", Role.Qmails, GroupRole.Qmail, Mode("622")));

        foreach ((string name, Role owner, int mode) in Programs)
            e.Add(new HierEntry(HierKind.Binary, $"bin/{name}", owner, GroupRole.Qmail, mode));
        return e;
    }
}
