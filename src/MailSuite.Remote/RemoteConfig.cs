// SPDX-License-Identifier: MIT
using System.Net;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>qmail-remote's control files (qmail-control(5)) and the one variable it reads.</summary>
internal sealed record RemoteConfig(
    string HeloHost,
    IReadOnlyList<string> SmtpRoutes,
    IReadOnlyList<string> TlsDestinations,
    int TimeoutConnect,
    int TimeoutRemote,
    IPAddress[] DnsServers,
    TrustAnchors Anchors)
{
    public static RemoteConfig Load(ControlDir c) => new(
        c.LineOrMe("helohost"),
        c.List("smtproutes") ?? [],
        c.List("tlsdestinations") ?? [],
        (int)Math.Clamp(c.Number("timeoutconnect", 60), 1, 3600),
        (int)Math.Clamp(c.Number("timeoutremote", 1200), 1, 86400),
        MailSuite.Dns.DnsServers.FromEnvironment(),
        TrustAnchors.Load(c));
}
