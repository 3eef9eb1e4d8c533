// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>What a rule says: allow or deny, and the environment variables to set, in order.</summary>
public sealed record RuleDecision(bool Allow, IReadOnlyList<KeyValuePair<string, string>> Environment)
{
    /// <summary>No rule matched: ucspi-tcp allows, with nothing set.</summary>
    public static readonly RuleDecision Default = new(true, []);

    /// <summary>The cdb data tcprules writes: "D" NUL for deny, then "+VAR=value" NUL per variable.</summary>
    public byte[] ToCdbData()
    {
        var b = new StringBuilder();
        if (!Allow) b.Append("D\0");
        foreach (var (k, v) in Environment) b.Append('+').Append(k).Append('=').Append(v).Append('\0');
        return Encoding.Latin1.GetBytes(b.ToString());
    }

    /// <summary>Reads cdb data as tcpserver does: NUL-terminated entries, 'D' denies, '+' sets.</summary>
    public static RuleDecision FromCdbData(byte[] data)
    {
        bool allow = true;
        var env = new List<KeyValuePair<string, string>>();
        foreach (string entry in Encoding.Latin1.GetString(data).Split('\0'))
        {
            if (entry.Length == 0) continue;
            if (entry[0] == 'D') allow = false;
            else if (entry[0] == '+' && entry.IndexOf('=') is var eq and > 1)
                env.Add(new(entry[1..eq], entry[(eq + 1)..]));
        }
        return new RuleDecision(allow, env);
    }
}

/// <summary>One line of a rules file: the keys it stands for (ranges expanded) and its decision.</summary>
public sealed record TcpRule(IReadOnlyList<string> Keys, RuleDecision Decision)
{
    /// <summary>
    /// Parses tcprules(1) syntax: address:allow|deny[,VAR=Xvalue X]... where X is any quote
    /// character. A line without ':' is not a rule (null), as in ucspi-tcp; '#' lines and blank
    /// lines likewise. The address may end in a last-component range, 1.2.3.4-7. An IPv6 address
    /// is split from its instruction at the colon before "allow" or "deny".
    /// </summary>
    public static TcpRule? Parse(string line, out string? error)
    {
        error = null;
        line = line.TrimEnd(' ', '\t', '\r');
        if (line.Length == 0 || line[0] == '#' || !line.Contains(':')) return null;
        int colon = InstructionColon(line);
        string address = line[..colon];
        string rest = line[(colon + 1)..];
        int comma = rest.IndexOf(',');
        string instruction = comma < 0 ? rest : rest[..comma];
        if (instruction is not ("allow" or "deny"))
        {
            error = line;
            return null;
        }
        var env = new List<KeyValuePair<string, string>>();
        if (comma >= 0 && !ParseVariables(rest[(comma + 1)..], env))
        {
            error = line;
            return null;
        }
        return new TcpRule(ExpandRange(address), new RuleDecision(instruction == "allow", env));
    }

    private static int InstructionColon(string line)
    {
        foreach (string word in (string[])[":allow", ":deny"])
            for (int at = line.IndexOf(word, StringComparison.Ordinal); at >= 0; at = line.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                int end = at + word.Length;
                if (end == line.Length || line[end] == ',') return at;
            }
        return line.IndexOf(':');
    }

    // VAR=Xvalue X[,VAR=Xvalue X]...
    private static bool ParseVariables(string s, List<KeyValuePair<string, string>> env)
    {
        int i = 0;
        while (i < s.Length)
        {
            int eq = s.IndexOf('=', i);
            if (eq <= i || eq + 1 >= s.Length) return false;
            char quote = s[eq + 1];
            int close = s.IndexOf(quote, eq + 2);
            if (close < 0) return false;
            env.Add(new(s[i..eq], s[(eq + 2)..close]));
            i = close + 1;
            if (i < s.Length && s[i] != ',') return false;
            i++;
        }
        return true;
    }

    // "1.2.3.10-12" stands for 1.2.3.10, 1.2.3.11 and 1.2.3.12.
    private static List<string> ExpandRange(string address)
    {
        int dot = address.LastIndexOf('.');
        int dash = address.IndexOf('-', dot + 1);
        if (dot < 0 || dash < 0 || address.StartsWith('=')
            || !int.TryParse(address.AsSpan(dot + 1, dash - dot - 1), out int from)
            || !int.TryParse(address.AsSpan(dash + 1), out int to) || from > to || to > 255)
            return [address];
        return Enumerable.Range(from, to - from + 1).Select(n => $"{address[..(dot + 1)]}{n}").ToList();
    }
}
