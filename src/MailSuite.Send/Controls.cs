// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Send;

/// <summary>The control files qmail-send reads (qmail-send(8)), with qmail's defaults.</summary>
internal sealed record Controls(
    HashSet<string> Locals,
    List<(string Key, string Prepend)> VirtualDomains,
    HashSet<string> PercentHack,
    string EnvNoAtHost,
    string BounceFrom,
    string BounceHost,
    string DoubleBounceHost,
    string DoubleBounceTo,
    int ConcurrencyLocal,
    int ConcurrencyRemote,
    long QueueLifetime)
{
    public static Controls Load(ControlDir c)
    {
        string me = c.Me;
        var locals = new HashSet<string>(c.List("locals") ?? [me], StringComparer.OrdinalIgnoreCase);
        var virtuals = (c.List("virtualdomains") ?? [])
            .Select(line => line.IndexOf(':') is var colon and >= 0 ? (line[..colon], line[(colon + 1)..]) : (line, ""))
            .ToList();
        return new Controls(
            locals,
            virtuals,
            new HashSet<string>(c.List("percenthack") ?? [], StringComparer.OrdinalIgnoreCase),
            c.LineOrMe("envnoathost"),
            c.LineOr("bouncefrom", "MAILER-DAEMON"),
            c.LineOrMe("bouncehost"),
            c.LineOrMe("doublebouncehost"),
            c.LineOr("doublebounceto", "postmaster"),
            (int)Math.Clamp(c.Number("concurrencylocal", 10), 0, 120),
            (int)Math.Clamp(c.Number("concurrencyremote", 20), 0, 120),
            c.Number("queuelifetime", 604800));
    }
}
