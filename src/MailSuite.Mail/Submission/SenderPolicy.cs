// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// Which envelope senders an authenticated user may use. By default their own addresses: USER@
/// and USER-anything@ each domain in control/locals (qmail's extension addresses are the user's),
/// every address of a virtual domain that control/virtualdomains gives to USER (or to one of
/// USER's extensions), and the null sender (bounces, receipts). control/sendas adds more, one
/// line per grant: "USER:ADDRESS", "USER:@DOMAIN" (the whole domain) or "USER:*" (anything, for
/// a trusted account such as a mailing-list manager); several grants may share a line, separated
/// by commas. Addresses compare without regard to case, as qmail delivers them.
/// </summary>
public sealed class SenderPolicy
{
    private readonly HashSet<string> locals;
    private readonly Dictionary<string, string> virtualDomains;
    private readonly Dictionary<string, List<string>> grants = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The policy from control/locals (or me), control/virtualdomains and control/sendas.</summary>
    public static SenderPolicy Load(ControlDir c) => new(c.List("locals") ?? [c.Me], c.List("virtualdomains") ?? [], c.List("sendas") ?? []);

    /// <summary>A policy from the three files' lines.</summary>
    public SenderPolicy(IEnumerable<string> locals, IEnumerable<string> virtualDomains, IEnumerable<string> sendAs)
    {
        this.locals = new HashSet<string>(locals, StringComparer.OrdinalIgnoreCase);
        this.virtualDomains = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in virtualDomains)
            if (line.IndexOf(':') is int colon and > 0) this.virtualDomains.TryAdd(line[..colon], line[(colon + 1)..]);
        foreach (string line in sendAs)
        {
            if (line.IndexOf(':') is not (int colon and > 0)) continue;
            if (!grants.TryGetValue(line[..colon].Trim(), out List<string>? list)) grants[line[..colon].Trim()] = list = [];
            list.AddRange(line[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }

    /// <summary>True when <paramref name="user"/> (an AUTH login name) may use <paramref name="sender"/>.</summary>
    public bool MayUse(string user, string sender)
    {
        if (sender.Length == 0 || sender.Equals(user, StringComparison.OrdinalIgnoreCase)) return true;
        int at = sender.LastIndexOf('@');
        string local = at < 0 ? sender : sender[..at], domain = at < 0 ? "" : sender[(at + 1)..];
        if (IsOwn(user, local) && (domain.Length == 0 || locals.Contains(domain))) return true;
        if (virtualDomains.TryGetValue(domain, out string? prefix) && IsOwn(user, prefix)) return true;
        return grants.TryGetValue(user, out List<string>? list) && list.Any(g => Grants(g, sender, domain));
    }

    // USER itself or one of its extensions (USER-anything), qmail's ownership of local names.
    private static bool IsOwn(string user, string local) =>
        local.Equals(user, StringComparison.OrdinalIgnoreCase)
        || (local.Length > user.Length && local[user.Length] == '-' && local.StartsWith(user, StringComparison.OrdinalIgnoreCase));

    private static bool Grants(string grant, string sender, string domain) =>
        grant == "*"
        || (grant.StartsWith('@') && grant[1..].Equals(domain, StringComparison.OrdinalIgnoreCase))
        || grant.Equals(sender, StringComparison.OrdinalIgnoreCase);
}
