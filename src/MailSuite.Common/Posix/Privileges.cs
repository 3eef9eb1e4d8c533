// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// The one way the suite gives up root: supplementary groups, then gid, then uid, each checked,
/// then verified from the kernel's point of view (qmail's prot.c, daemontools' setuidgid).
/// </summary>
public static class Privileges
{
    /// <summary>The real uid of this process: who called us, whatever argv or the environment claim.</summary>
    public static uint RealUid => Native.GetUid();

    /// <summary>The real gid of this process.</summary>
    public static uint RealGid => Native.GetGid();

    /// <summary>The effective uid of this process.</summary>
    public static uint EffectiveUid => Native.GetEuid();

    /// <summary>
    /// Becomes the account for good. Refuses uid 0 as a target: nothing is ever "dropped" to root.
    /// With <paramref name="supplementary"/> false the process keeps only the primary group, as
    /// qmail-lspawn does for deliveries.
    /// </summary>
    public static void DropTo(Account account, bool supplementary = true) => DropTo(account, supplementary, []);

    /// <summary>
    /// Becomes the account with exactly its primary group plus <paramref name="extraGroups"/> as
    /// supplementary groups (qmail-authd: qmailp with Debian's shadow group), without the account
    /// needing to be listed in /etc/group.
    /// </summary>
    public static void DropTo(Account account, uint[] extraGroups) => DropTo(account, false, extraGroups);

    private static void DropTo(Account account, bool supplementary, uint[] extraGroups)
    {
        if (account.Uid == 0)
            throw new FailureException(Failure.Temporary("4.3.0", $"refusing to run as {account.Name}: uid 0"));
        if (extraGroups.Length > 0)
        {
            uint[] groups = [account.Gid, .. extraGroups];
            if (Native.SetGroups((nuint)groups.Length, groups) != 0) throw Errno.Temporary("setgroups");
        }
        else if (supplementary)
        {
            if (Native.InitGroups(account.Name, account.Gid) != 0)
                throw new FailureException(Failure.Temporary("4.3.0", $"initgroups {account.Name} failed"));
        }
        else if (Native.SetGroups(1, [account.Gid]) != 0)
        {
            throw Errno.Temporary("setgroups");
        }
        if (Native.SetGid(account.Gid) != 0) throw Errno.Temporary("setgid");
        if (Native.SetUid(account.Uid) != 0) throw Errno.Temporary("setuid");
        Verify(account);
    }

    /// <summary>The supplementary groups of this process.</summary>
    public static uint[] Groups()
    {
        int count = Native.GetGroups(0, []);
        var groups = new uint[Math.Max(count, 0)];
        int got = Native.GetGroups(groups.Length, groups);
        return got < 0 ? [] : groups[..got];
    }

    // Trust the kernel's answer, not the return codes: every id must be the target's, and root
    // must be out of reach for good.
    private static void Verify(Account account)
    {
        bool ok = Native.GetUid() == account.Uid && Native.GetEuid() == account.Uid
            && Native.GetGid() == account.Gid && Native.GetEgid() == account.Gid
            && Native.SetUid(0) != 0;
        if (!ok) throw new FailureException(Failure.Temporary("4.3.0", $"privileges not dropped to {account.Name}"));
    }
}
