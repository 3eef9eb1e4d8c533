// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.NewU;

/// <summary>
/// qmail-users(5): each line of users/assign is "=local:user:uid:gid:homedir:dash:ext:" (one
/// address) or "+prefix:user:uid:gid:homedir:dash:pre:" (every address starting with prefix); a
/// line "." ends the file. The cdb holds "!local" NUL (exact) or "!prefix" (wildcard) mapped to the
/// six fields, each NUL-terminated, and under the empty key the set of last characters of all
/// wildcard prefixes, which lets qmail-lspawn probe only the prefixes that can match. Nothing is
/// replaced unless the whole file is valid and ends with ".".
/// </summary>
internal static class AssignCompiler
{
    public static void Compile(byte[] assign, string cdbPath)
    {
        string[] lines = Encoding.Latin1.GetString(assign).Split('\n');
        var wildChars = new StringBuilder();
        using var cdb = new CdbWriter(cdbPath, tmp: cdbPath + ".tmp");
        bool ended = false;
        foreach (string raw in lines)
        {
            if (raw == ".") { ended = true; break; }
            if (raw.Length == 0) continue;
            string[] f = raw[1..].Split(':');
            if (raw[0] is not ('=' or '+') || f.Length < 8 || !uint.TryParse(f[2], out _) || !uint.TryParse(f[3], out _))
                throw new FailureException(Failure.Permanent("5.3.0", $"unable to parse this line: {raw}"));
            string key = "!" + AsciiCase.Lower(f[0]) + (raw[0] == '=' ? "\0" : "");
            string data = string.Concat(f[1..7].Select(x => x + "\0"));
            cdb.Add(Encoding.Latin1.GetBytes(key), Encoding.Latin1.GetBytes(data));
            if (raw[0] == '+' && f[0].Length > 0 && !wildChars.ToString().Contains(f[0][^1])) wildChars.Append(f[0][^1]);
        }
        if (!ended) throw new FailureException(Failure.Permanent("5.3.0", "users/assign does not end with a line containing a single dot"));
        cdb.Add([], Encoding.Latin1.GetBytes(wildChars.ToString()));
        cdb.Commit();
    }
}
