// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Pw2u;

/// <summary>
/// qmail-pw2u's rules: from passwd lines (user:password:uid:gid:gecos:home:shell), skip uid 0,
/// names with capitals (unless -u), users not in users/include or in users/exclude, and (by -o,
/// -h, -H) homes missing or not the user's; print "=name:user:uid:gid:home:::" and
/// "+nameBREAK:user:uid:gid:home:-::" for the user or each of its users/mailnames, "+:alias:...:-::"
/// for the catch-all account alias, then users/subusers ("sub:user:pre:") and users/append, and
/// the final ".". A line holding NUL, or too few fields, is skipped.
/// </summary>
internal sealed class Assignments(Options o, UsersFiles files, TextWriter output)
{
    private const string AliasUser = "alias";
    private readonly Dictionary<string, string> fieldsOf = new(StringComparer.Ordinal);   // user -> ":user:uid:gid:home:"
    private bool sawAlias;

    public void Account(string line)
    {
        if (line.Contains('\0', StringComparison.Ordinal)) return;
        string[] f = line.Split(':');
        if (f.Length < 7) return;
        (string user, string uid, string gid, string home) = (f[0], f[2], f[3], f[5]);
        if (!ulong.TryParse(uid, out ulong id) || id == 0) return;
        if (o.NoUpper && user.Any(c => c is >= 'A' and <= 'Z')) return;
        if (files.Include is { } include && !include.Contains(user)) return;
        if (files.Exclude is { } exclude && exclude.Contains(user)) return;
        if (!HomeIsUsable(home, id)) return;
        string fields = $":{user}:{uid}:{gid}:{home}:";
        fieldsOf.TryAdd(user, fields);
        if (user == AliasUser)
        {
            output.Write($"+{fields}{o.DashColon}:\n");
            sawAlias = true;
        }
        foreach (string name in (files.MailNames?.GetValueOrDefault(user) ?? user).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            output.Write($"={name}{fields}::\n");
            if (o.Break is { } brk) output.Write($"+{name}{brk}{fields}{o.DashColon}:\n");
        }
    }

    /// <summary>After the passwd file: the catch-all must exist; then subusers, append and the end mark.</summary>
    public void Finish()
    {
        if (!sawAlias) throw new FailureException(Failure.Temporary("4.3.0", $"unable to find {AliasUser} user"));
        foreach (string line in files.SubUsers) SubUser(line);
        output.Write(files.Append);
        output.Write(".\n");
    }

    // sub:user:pre: -> sub is delivered by user's .qmail-pre, subBREAKext by .qmail-pre-ext.
    private void SubUser(string line)
    {
        string[] f = line.Split(':');
        if (f.Length < 4) return;
        if (!fieldsOf.TryGetValue(f[1], out string? fields))
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to find {f[1]} user for subuser"));
        output.Write($"={f[0]}{fields}{o.DashColon}{f[2]}:\n");
        if (o.Break is { } brk) output.Write($"+{f[0]}{brk}{fields}{o.DashColon}{f[2]}-:\n");
    }

    private bool HomeIsUsable(string home, ulong uid)
    {
        if (o.Home == HomeCheck.None) return true;
        FileStatus? st = FileStatus.Of(home);
        if (st is null)
        {
            if (o.Home == HomeCheck.StopIfMissing) throw new FailureException(Failure.Temporary("4.3.0", $"unable to stat {home}"));
            return false;
        }
        return st.Uid == uid;
    }
}
