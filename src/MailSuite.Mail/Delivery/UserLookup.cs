// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>Who receives mail for a local part: qmail-local's user, uid, gid, homedir, dash and ext.</summary>
public sealed record Owner(string User, uint Uid, uint Gid, string Home, string Dash, string Ext);

/// <summary>
/// Address ownership, as qmail-lspawn finds it: users/cdb first (qmail-users(5): an exact
/// "=local" entry, else the longest "+prefix" wildcard), else qmail-getpw's rule: the longest
/// prefix of the local part, ending at its end or just before a '-', that is an account with a
/// uid other than 0 and a home directory it owns; else the alias account, with dash "-" and the
/// whole local part as ext. The alias's home is this install's alias/ directory, so a relocated
/// tree delivers to its own aliases.
/// </summary>
public static class UserLookup
{
    private const int MaxAccountName = 32;

    /// <summary>The owner of a local part (qmail-lspawn's question), given users/cdb and the alias home.</summary>
    public static Owner Find(string local, string usersCdb, string aliasHome)
    {
        string lower = AsciiCase.Lower(local);
        return FromCdb(lower, usersCdb) ?? FromPasswd(lower) ?? Alias(lower, aliasHome);
    }

    private static Owner? FromCdb(string local, string path)
    {
        using CdbReader? cdb = CdbReader.Open(path);
        if (cdb is null) return null;
        if (cdb.Find(Encoding.Latin1.GetBytes($"!{local}\0")) is { } exact) return Parse(exact, "");
        string wildChars = Encoding.Latin1.GetString(cdb.Find([]) ?? []);
        for (int i = local.Length; i > 0; i--)
        {
            if (!wildChars.Contains(local[i - 1])) continue;
            if (cdb.Find(Encoding.Latin1.GetBytes("!" + local[..i])) is { } wild) return Parse(wild, local[i..]);
        }
        return null;
    }

    // user NUL uid NUL gid NUL home NUL dash NUL ext[NUL]; a wildcard's ext gets the rest of local.
    private static Owner Parse(byte[] data, string rest)
    {
        string text = Encoding.Latin1.GetString(data);
        string[] f = (text.EndsWith('\0') ? text[..^1] : text).Split('\0');
        if (f.Length < 6 || !uint.TryParse(f[1], out uint uid) || !uint.TryParse(f[2], out uint gid))
            throw new FailureException(Failure.Temporary("4.3.0", "Trouble reading users/cdb in qmail-lspawn."));
        return new Owner(f[0], uid, gid, f[3], f[4], f[5] + rest);
    }

    private static Owner? FromPasswd(string local)
    {
        for (int i = local.Length; i > 0; i--)
        {
            if (i < local.Length && local[i] != '-') continue;
            string name = local[..i];
            if (name.Length >= MaxAccountName) continue;
            Account? a = Accounts.Find(name);
            if (a is null || a.Uid == 0) continue;
            FileStatus? home = FileStatus.OfTarget(a.Home);
            if (home is null || home.Kind != FileKind.Directory || home.Uid != a.Uid) continue;
            return i == local.Length
                ? new Owner(a.Name, a.Uid, a.Gid, a.Home, "", "")
                : new Owner(a.Name, a.Uid, a.Gid, a.Home, "-", local[(i + 1)..]);
        }
        return null;
    }

    private static Owner Alias(string local, string aliasHome)
    {
        Account alias = Accounts.Find("alias")
            ?? throw new FailureException(Failure.Temporary("4.3.0", "Unable to find alias user!"));
        return new Owner(alias.Name, alias.Uid, alias.Gid, aliasHome, "-", local);
    }
}
