// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>The control files qmail-send reads (qmail-send(8)), with qmail's defaults.</summary>
internal sealed record Controls(
    RoutingControls Routing,
    string BounceFrom,
    string BounceHost,
    string DoubleBounceHost,
    string DoubleBounceTo,
    int ConcurrencyLocal,
    int ConcurrencyRemote,
    long QueueLifetime,
    bool QsbmfOnly)
{
    public static Controls Load(ControlDir c)
    {
        return new Controls(
            RoutingControls.Load(c),
            c.LineOr("bouncefrom", "MAILER-DAEMON"),
            c.LineOrMe("bouncehost"),
            c.LineOrMe("doublebouncehost"),
            c.LineOr("doublebounceto", "postmaster"),
            (int)Math.Clamp(c.Number("concurrencylocal", 10), 0, 120),
            (int)Math.Clamp(c.Number("concurrencyremote", 20), 0, 120),
            c.Number("queuelifetime", 604800),
            string.Equals(c.Line("bounceformat")?.Trim(), "qsbmf", StringComparison.OrdinalIgnoreCase));
    }
}
