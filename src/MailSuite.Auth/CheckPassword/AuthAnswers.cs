// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Auth;

/// <summary>
/// qmail-authd's one-byte answer to a login: `Y` valid; an invalid one says why, for
/// checkpassword's log line (the client still gets one answer for all): `N` wrong password, `U`
/// unknown user, `K` account locked or expired, `M` empty or malformed; `L` address locked out;
/// `T` (anything else) unable to check.
/// </summary>
public static class AuthAnswers
{
    /// <summary>The answer for an invalid login, by its reason.</summary>
    public static byte Invalid(InvalidLogin why) => why switch
    {
        InvalidLogin.UnknownUser => (byte)'U',
        InvalidLogin.AccountLocked => (byte)'K',
        InvalidLogin.Malformed => (byte)'M',
        _ => (byte)'N',
    };

    /// <summary>The verdict an answer means, and for an invalid login why.</summary>
    public static (PasswordVerdict Verdict, InvalidLogin Why) Read(byte answer) => answer switch
    {
        (byte)'Y' => (PasswordVerdict.Valid, InvalidLogin.None),
        (byte)'N' => (PasswordVerdict.Invalid, InvalidLogin.WrongPassword),
        (byte)'U' => (PasswordVerdict.Invalid, InvalidLogin.UnknownUser),
        (byte)'K' => (PasswordVerdict.Invalid, InvalidLogin.AccountLocked),
        (byte)'M' => (PasswordVerdict.Invalid, InvalidLogin.Malformed),
        (byte)'L' => (PasswordVerdict.Locked, InvalidLogin.None),
        _ => (PasswordVerdict.Unavailable, InvalidLogin.None),
    };
}
