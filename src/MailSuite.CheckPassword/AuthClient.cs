// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.CheckPassword;

/// <summary>
/// Asks qmail-authd (PREFIX/authd/socket), which keeps the per-address failure counts for every
/// service: SMTP AUTH (where this process may not read the password database) and POP3 alike.
/// </summary>
internal static class AuthClient
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>qmail-authd's verdict and, for an invalid login, why; null when it is not there to ask (no socket, nobody listening).</summary>
    public static (PasswordVerdict Verdict, InvalidLogin Why)? Ask(Login login) =>
        LocalSocket.Ask(Home.Path("authd/socket"), login.ToBytes(), Limit, "qmail-authd") is byte answer ? AuthAnswers.Read(answer) : null;
}
