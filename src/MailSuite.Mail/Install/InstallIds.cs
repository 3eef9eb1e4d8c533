// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// The numeric ids behind each role in one install. A system install (the tree belongs to root)
/// uses the real qmail accounts. A private install, made by an ordinary user for development,
/// maps every role to that user: the tree itself says which, so nothing needs configuring.
/// </summary>
public sealed class InstallIds
{
    private readonly Func<Role, Account> user;
    private readonly Func<GroupRole, uint> group;

    private InstallIds(bool isPrivate, Func<Role, Account> user, Func<GroupRole, uint> group)
    {
        IsPrivate = isPrivate;
        this.user = user;
        this.group = group;
    }

    /// <summary>True when every role is one ordinary user.</summary>
    public bool IsPrivate { get; }

    /// <summary>The account playing a role.</summary>
    public Account User(Role role) => user(role);

    /// <summary>The gid of a group role.</summary>
    public uint Group(GroupRole role) => group(role);

    /// <summary>The real qmail accounts; a missing one is a temporary failure naming it.</summary>
    public static InstallIds System() => new(
        isPrivate: false,
        role => role == Role.Root ? new Account("root", 0, 0, "/root", "/bin/sh") : Accounts.Require(RoleNames.Of(role)),
        g => Accounts.FindGroup(RoleNames.Of(g))
            ?? throw new FailureException(Failure.Temporary("4.3.0", $"no group named {RoleNames.Of(g)}")));

    /// <summary>Every role played by one account (a private install).</summary>
    public static InstallIds Private(Account owner) => new(isPrivate: true, _ => owner, _ => owner.Gid);

    /// <summary>The ids of an existing tree: system if root owns it, else private to its owner.</summary>
    public static InstallIds OfTree(string prefix)
    {
        FileStatus st = FileStatus.Of(prefix)
            ?? throw new FailureException(Failure.Temporary("4.3.0", $"{prefix} does not exist"));
        return st.Uid == 0 ? System() : Private(Accounts.Find(st.Uid)
            ?? throw new FailureException(Failure.Temporary("4.3.0", $"{prefix} belongs to uid {st.Uid}, which has no account")));
    }

    /// <summary>The ids for a new install made by this process: system as root, private otherwise.</summary>
    public static InstallIds ForInstaller()
    {
        uint uid = Privileges.EffectiveUid;
        return uid == 0 ? System() : Private(Accounts.Find(uid)
            ?? throw new FailureException(Failure.Temporary("4.3.0", $"uid {uid} has no account")));
    }
}
