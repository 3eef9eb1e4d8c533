// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Inject;

/// <summary>
/// Who is sending and how bare names are completed, from qmail-inject's environment variables
/// (which win) and control files: user QMAILUSER/MAILUSER/USER/LOGNAME, host QMAILHOST/MAILHOST
/// or defaulthost, name QMAILNAME/MAILNAME/NAME, envelope sender QMAILSUSER@QMAILSHOST, and
/// defaulthost, defaultdomain, plusdomain, idhost (each default: me).
/// </summary>
internal sealed record Identity(string User, string Host, string? Name, string EnvelopeUser, string EnvelopeHost,
    string DefaultHost, string DefaultDomain, string PlusDomain, string IdHost)
{
    public static Identity Load(ControlDir control)
    {
        string defaultHost = Env.Get("QMAILDEFAULTHOST", control.LineOrMe("defaulthost"));
        string user = First("QMAILUSER", "MAILUSER", "USER", "LOGNAME") ?? Accounts.UserName(Privileges.RealUid);
        string host = First("QMAILHOST", "MAILHOST") ?? defaultHost;
        return new Identity(
            user, host, First("QMAILNAME", "MAILNAME", "NAME"),
            Env.Get("QMAILSUSER", user), Env.Get("QMAILSHOST", host),
            defaultHost,
            Env.Get("QMAILDEFAULTDOMAIN", control.LineOrMe("defaultdomain")),
            Env.Get("QMAILPLUSDOMAIN", control.LineOrMe("plusdomain")),
            Env.Get("QMAILIDHOST", control.LineOrMe("idhost")));
    }

    /// <summary>
    /// Completes an address as qmail-inject does: no '@' gets @defaulthost; a domain ending in '+'
    /// gets plusdomain in place of the '+'; a domain without a dot gets .defaultdomain.
    /// </summary>
    public string Qualify(string address)
    {
        if (address.Length == 0) return address;
        int at = address.LastIndexOf('@');
        if (at < 0) return $"{address}@{DefaultHost}";
        string local = address[..at], domain = address[(at + 1)..];
        if (domain.EndsWith('+')) domain = domain[..^1] + (domain.Length > 1 && domain[^2] != '.' ? "." : "") + PlusDomain;
        else if (!domain.Contains('.') && !domain.StartsWith('[')) domain = $"{domain}.{DefaultDomain}";
        return $"{local}@{domain}";
    }

    private static string? First(params string[] names)
    {
        foreach (string n in names)
            if (Env.Get(n) is { Length: > 0 } v) return v;
        return null;
    }
}
