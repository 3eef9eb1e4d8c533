// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>A Unix account as the password database describes it.</summary>
public sealed record Account(string Name, uint Uid, uint Gid, string Home, string Shell);

/// <summary>
/// Looks accounts and groups up by name, at run time (notqmail's inituid), never by compiled-in
/// number. "No such account" is null; a database that does not answer (nsswitch's LDAP down, an
/// unreadable /etc/passwd) is a temporary FailureException, so nobody bounces mail on it.
/// </summary>
public static class Accounts
{
    /// <summary>The account, or null if no such account exists.</summary>
    public static Account? Find(string name) => ToAccount(UserDatabase.User(name));

    /// <summary>The account with this uid, or null.</summary>
    public static Account? Find(uint uid) => ToAccount(UserDatabase.User(uid));

    /// <summary>The account; its absence is a temporary failure (an install problem, not the mail's fault).</summary>
    public static Account Require(string name) =>
        Find(name) ?? throw new FailureException(Failure.Temporary("4.3.0", $"no account named {name}"));

    /// <summary>The gid of a group, or null if there is no such group.</summary>
    public static uint? FindGroup(string name) => UserDatabase.Group(name)?.Gid;

    /// <summary>The name of a group, or its number as text (also when the database does not answer).</summary>
    public static string GroupName(uint gid) => NameOr(() => UserDatabase.Group(gid)?.Name, gid);

    /// <summary>The name of an account, or its number as text (also when the database does not answer).</summary>
    public static string UserName(uint uid) => NameOr(() => UserDatabase.User(uid)?.Name, uid);

    private static string NameOr(Func<string?> lookup, uint number)
    {
        try
        {
            return lookup() ?? number.ToString();
        }
        catch (FailureException)
        {
            return number.ToString();
        }
    }

    private static Account? ToAccount(PasswdEntry? pw) => pw is null ? null : new Account(pw.Name, pw.Uid, pw.Gid, pw.Home, pw.Shell);
}
