// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>Where a recipient goes after qmail-send's rewriting: the local or the remote channel.</summary>
public sealed record Route(bool IsLocal, string Address);

/// <summary>The control files that decide a recipient's channel (qmail-send(8)), with qmail's defaults.</summary>
public sealed record RoutingControls(
    HashSet<string> Locals,
    List<(string Key, string Prepend)> VirtualDomains,
    HashSet<string> PercentHack,
    string EnvNoAtHost)
{
    /// <summary>locals (default: me), virtualdomains, percenthack, envnoathost (default: me).</summary>
    public static RoutingControls Load(ControlDir c) => new(
        new HashSet<string>(c.List("locals") ?? [c.Me], StringComparer.OrdinalIgnoreCase),
        (c.List("virtualdomains") ?? [])
            .Select(line => line.IndexOf(':') is var colon and >= 0 ? (line[..colon], line[(colon + 1)..]) : (line, ""))
            .ToList(),
        new HashSet<string>(c.List("percenthack") ?? [], StringComparer.OrdinalIgnoreCase),
        c.LineOrMe("envnoathost"));
}

/// <summary>
/// qmail-send's recipient rewriting, in its order: an address without '@' gets @envnoathost; for a
/// domain in percenthack, user%host@domain becomes user@host (repeatedly); a domain in locals is
/// local as is; a virtualdomains entry (user@domain, domain, .suffix, then the empty catch-all)
/// makes it local as prepend-user@domain (an empty prepend excepts the domain); anything else is
/// remote. Domains compare case-insensitively.
/// </summary>
public static class Routing
{
    /// <summary>The channel and the address as that channel gets it.</summary>
    public static Route Classify(string recipient, RoutingControls c)
    {
        string address = recipient.Contains('@') ? recipient : $"{recipient}@{c.EnvNoAtHost}";
        int at = address.LastIndexOf('@');
        string local = address[..at], domain = address[(at + 1)..];
        while (c.PercentHack.Contains(domain) && local.LastIndexOf('%') is var pct and >= 0)
        {
            (local, domain) = (local[..pct], local[(pct + 1)..]);
            address = $"{local}@{domain}";
        }
        if (c.Locals.Contains(domain)) return new Route(true, address);
        if (VirtualPrepend(address, domain, c) is { } prepend)
            return prepend.Length == 0 ? new Route(false, address) : new Route(true, $"{prepend}-{address}");
        return new Route(false, address);
    }

    // Probed in qmail's order: the address, the domain, each .suffix of it, the catch-all "".
    private static string? VirtualPrepend(string address, string domain, RoutingControls c)
    {
        var keys = new List<string> { address, domain };
        for (int dot = domain.IndexOf('.'); dot >= 0; dot = domain.IndexOf('.', dot + 1)) keys.Add(domain[dot..]);
        keys.Add("");
        foreach (string key in keys)
            if (Lookup(key, c) is { } prepend) return prepend;
        return null;
    }

    private static string? Lookup(string key, RoutingControls c)
    {
        foreach ((string k, string prepend) in c.VirtualDomains)
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) return prepend;
        return null;
    }
}
