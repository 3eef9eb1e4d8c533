// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Smtpd;

/// <summary>
/// qmail-smtpd's addrparse: the address is what stands between '&lt;' and '&gt;' (or, without '&lt;',
/// the word after ':'), a leading source route "@a,@b:" is dropped, quotes and backslash escapes
/// are removed. Nothing else is judged here: qmail accepts what it can store and decides later.
/// A literal [ip] of this host becomes localiphost. Longer than 900 bytes: a syntax error.
/// </summary>
internal static class Address
{
    private const int MaxLength = 900;

    public static string? Parse(string arg, string localIpHost)
    {
        char terminator = '>';
        int lt = arg.IndexOf('<');
        int i;
        if (lt >= 0)
        {
            i = lt + 1;
        }
        else
        {
            terminator = ' ';
            int colon = arg.IndexOf(':');
            i = colon < 0 ? arg.Length : colon + 1;
            while (i < arg.Length && arg[i] == ' ') i++;
        }
        if (i < arg.Length && arg[i] == '@')
        {
            int colon = arg.IndexOf(':', i);
            i = colon < 0 ? arg.Length : colon + 1;
        }
        var addr = new StringBuilder();
        bool escaped = false, quoted = false;
        for (; i < arg.Length; i++)
        {
            char ch = arg[i];
            if (escaped) { addr.Append(ch); escaped = false; continue; }
            if (!quoted && ch == terminator) break;
            if (ch == '\\') escaped = true;
            else if (ch == '"') quoted = !quoted;
            else addr.Append(ch);
        }
        string result = ReplaceOwnLiteral(addr.ToString(), localIpHost);
        return result.Length > MaxLength ? null : result;
    }

    // user@[127.0.0.1] addressed to one of our own IPs means user@localiphost.
    private static string ReplaceOwnLiteral(string address, string localIpHost)
    {
        int at = address.LastIndexOf('@');
        if (at < 0 || at + 2 >= address.Length || address[at + 1] != '[' || address[^1] != ']') return address;
        string literal = address[(at + 2)..^1];
        if (!System.Net.IPAddress.TryParse(literal, out var ip) || !OwnAddresses.Contains(ip)) return address;
        return address[..(at + 1)] + localIpHost;
    }

    /// <summary>
    /// True when the address holds a control character (NUL, CR, LF, TAB, DEL...). No address
    /// needs one, and a NUL would end the queue's record early and smuggle in a recipient of the
    /// client's choosing past every check made on the whole string (qmail's C strings end there).
    /// </summary>
    public static bool HasControlCharacter(string address) => address.Any(ch => ch < ' ' || ch == '\x7f');

    /// <summary>The parameters after the address ("SIZE=123 BODY=8BITMIME"), keyword upper-cased.</summary>
    public static Dictionary<string, string> Parameters(string arg)
    {
        var result = new Dictionary<string, string>();
        int gt = arg.IndexOf('>');
        if (gt < 0) return result;
        foreach (string p in arg[(gt + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = p.IndexOf('=');
            result[(eq < 0 ? p : p[..eq]).ToUpperInvariant()] = eq < 0 ? "" : p[(eq + 1)..];
        }
        return result;
    }
}

/// <summary>This host's own addresses (qmail's ipme), for [ip] literals.</summary>
internal static class OwnAddresses
{
    private static readonly Lazy<HashSet<System.Net.IPAddress>> All = new(() =>
    {
        var set = new HashSet<System.Net.IPAddress> { System.Net.IPAddress.Any, System.Net.IPAddress.Loopback, System.Net.IPAddress.IPv6Loopback };
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            foreach (var a in nic.GetIPProperties().UnicastAddresses) set.Add(a.Address);
        return set;
    });

    public static bool Contains(System.Net.IPAddress ip) => All.Value.Contains(ip);
}
