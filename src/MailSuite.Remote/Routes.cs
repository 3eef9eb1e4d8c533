// SPDX-License-Identifier: MIT
namespace MailSuite.Remote;

/// <summary>A relay from smtproutes: a host name or [ip] literal and a port; Host null means "look up MX".</summary>
internal sealed record Relay(string? Host, int Port);

/// <summary>
/// control/smtproutes as qmail-remote reads it: lines "domain:relay[:port]"; for host a.b.c the
/// keys a.b.c, .b.c, .c and the empty default are tried in that order; an empty relay means the
/// usual MX lookup for that domain.
/// </summary>
internal static class Routes
{
    public const int SmtpPort = 25;

    public static Relay? Find(IReadOnlyList<string> smtproutes, string host) =>
        Lookup(smtproutes, host) is string relay ? Parse(relay) : null;

    /// <summary>
    /// The value for host in "domain:value" lines, qmail-remote's way (smtproutes, and
    /// tlsdestinations alike): the first line for a.b.c, else .b.c, else .c, else the empty default.
    /// </summary>
    public static string? Lookup(IReadOnlyList<string> lines, string host)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':');
            if (colon >= 0) map.TryAdd(line[..colon], line[(colon + 1)..]);
        }
        for (int i = 0; i <= host.Length; i++)
        {
            if (i != 0 && i != host.Length && host[i] != '.') continue;
            if (map.TryGetValue(host[i..], out string? value)) return value;
        }
        return null;
    }

    /// <summary>Whether a line for host itself or one of its suffixes exists (the empty default aside).</summary>
    public static bool Names(IReadOnlyList<string> lines, string host) =>
        lines.Any(line => line.IndexOf(':') is int colon and > 0 && Matches(line[..colon], host));

    private static bool Matches(string key, string host) =>
        key.StartsWith('.') ? host.EndsWith(key, StringComparison.OrdinalIgnoreCase) : host.Equals(key, StringComparison.OrdinalIgnoreCase);

    private static Relay Parse(string relay)
    {
        if (relay.Length == 0) return new Relay(null, SmtpPort);
        int colon = relay.LastIndexOf(':');
        if (colon > 0 && !relay.EndsWith(']') && int.TryParse(relay[(colon + 1)..], out int port) && port is > 0 and < 65536)
            return new Relay(relay[..colon], port);
        return new Relay(relay, SmtpPort);
    }
}
