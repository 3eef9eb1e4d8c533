// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>
/// A relay's login from control/remoteauth: lines "relay:user:password" (the password is the rest
/// of the line), relay as smtproutes names it. The file belongs to qmailr, mode 0600: only
/// qmail-remote and root read it.
/// </summary>
internal sealed record Credentials(string User, string Password)
{
    public static Credentials? For(ControlDir control, string relay)
    {
        foreach (string line in control.List("remoteauth") ?? [])
        {
            string[] f = line.Split(':', 3);
            if (f.Length == 3 && string.Equals(f[0], relay, StringComparison.OrdinalIgnoreCase)) return new Credentials(f[1], f[2]);
        }
        return null;
    }
}
