// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>The accounts of qmail's INSTALL.ids, by the job they do.</summary>
public enum Role
{
    /// <summary>Owner of binaries and configuration (qmail's auto_uido).</summary>
    Root,

    /// <summary>Owns ~alias and receives mail for postmaster, root and unknown names.</summary>
    Alias,

    /// <summary>Runs the network daemons: qmail-smtpd, qmail-popup.</summary>
    Qmaild,

    /// <summary>Runs the logger.</summary>
    Qmaill,

    /// <summary>Runs qmail-getpw's password lookups.</summary>
    Qmailp,

    /// <summary>Owns the queue; qmail-queue is setuid to it; runs qmail-clean.</summary>
    Qmailq,

    /// <summary>Runs remote delivery.</summary>
    Qmailr,

    /// <summary>Runs qmail-send; owns info, local, remote, bounce.</summary>
    Qmails,

    /// <summary>Runs the TLS side of sslserver's connections (sslrelay) when sslserver itself runs as root.</summary>
    Qmailtls,
}

/// <summary>The groups of qmail's INSTALL.ids.</summary>
public enum GroupRole
{
    /// <summary>qmailq, qmailr, qmails; group of the tree.</summary>
    Qmail,

    /// <summary>alias, qmaild, qmaill, qmailp: accounts that own no files.</summary>
    Nofiles,
}

/// <summary>The Unix names of each role, as qmail's conf-users and conf-groups give them.</summary>
public static class RoleNames
{
    /// <summary>Every account role with its account name.</summary>
    public static readonly IReadOnlyList<(Role Role, string Name, GroupRole Group)> Users =
    [
        (Role.Alias, "alias", GroupRole.Nofiles),
        (Role.Qmaild, "qmaild", GroupRole.Nofiles),
        (Role.Qmaill, "qmaill", GroupRole.Nofiles),
        (Role.Qmailp, "qmailp", GroupRole.Nofiles),
        (Role.Qmailq, "qmailq", GroupRole.Qmail),
        (Role.Qmailr, "qmailr", GroupRole.Qmail),
        (Role.Qmails, "qmails", GroupRole.Qmail),
        (Role.Qmailtls, "qmailtls", GroupRole.Nofiles),
    ];

    /// <summary>The account name of a role.</summary>
    public static string Of(Role role) => role == Role.Root ? "root" : Users.First(u => u.Role == role).Name;

    /// <summary>The group name of a group role.</summary>
    public static string Of(GroupRole group) => group == GroupRole.Qmail ? "qmail" : "nofiles";
}
