// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Smtpd;

/// <summary>
/// Whether a recipient may be accepted without RELAYCLIENT: an address without '@' always; else
/// its lower-cased domain, or a ".suffix" of it, must be in rcpthosts or morercpthosts.cdb. No
/// rcpthosts file at all means every domain (qmail's documented open relay; the install always
/// writes one). And badmailfrom: the whole address or "@domain", case-insensitively.
/// </summary>
internal static class RelayPolicy
{
    public static bool Allowed(string address, SmtpConfig c)
    {
        int at = address.LastIndexOf('@');
        if (at < 0) return true;
        if (c.RcptHosts is null) return true;
        string domain = address[(at + 1)..].ToLowerInvariant();
        using CdbReader? more = CdbReader.Open(c.MoreRcptHostsCdb);
        foreach (string key in Candidates(domain))
        {
            if (c.RcptHosts.Contains(key)) return true;
            if (more?.Find(Encoding.Latin1.GetBytes(key)) is not null) return true;
        }
        return false;
    }

    // "a.b.c", ".b.c", ".c"
    private static IEnumerable<string> Candidates(string domain)
    {
        yield return domain;
        for (int dot = domain.IndexOf('.'); dot >= 0; dot = domain.IndexOf('.', dot + 1)) yield return domain[dot..];
    }

    public static bool BadMailFrom(string sender, SmtpConfig c)
    {
        if (c.BadMailFrom.Contains(sender)) return true;
        int at = sender.LastIndexOf('@');
        return at >= 0 && c.BadMailFrom.Contains(sender[at..]);
    }
}
