// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.Smtpd;

/// <summary>The outcome of an AUTH command.</summary>
internal enum AuthOutcome { Authenticated, Refused, ConnectionGone }

/// <summary>
/// SMTP AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, checked through the checkpassword
/// interface (the smtp-auth patch's): the check program gets name\0password\0\0 on fd 3 and
/// answers with its exit code, 0 yes, 111 temporary, anything else no. qmail-smtpd itself never
/// sees the password database; our checkpassword, run as qmaild, asks qmail-authd.
/// </summary>
internal static class SmtpAuth
{
    public static AuthOutcome Run(LineIo io, SmtpConfig c, string arg, out string? user)
    {
        user = null;
        string[] parts = arg.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        string mechanism = parts.Length == 0 ? "" : parts[0].ToUpperInvariant();
        string? initial = parts.Length > 1 ? parts[1].Trim() : null;
        string? name, password;
        switch (mechanism)
        {
            case "PLAIN":
                string? plain = initial ?? Ask(io, Replies.AskPlain);
                if (plain is null) return AuthOutcome.ConnectionGone;
                if (!DecodePlain(io, plain, out name, out password)) return AuthOutcome.Refused;
                break;
            case "LOGIN":
                string? first = initial ?? Ask(io, Replies.AskUsername);
                if (first is null) return AuthOutcome.ConnectionGone;
                if (!Decode(io, first, out name)) return AuthOutcome.Refused;
                string? second = Ask(io, Replies.AskPassword);
                if (second is null) return AuthOutcome.ConnectionGone;
                if (!Decode(io, second, out password)) return AuthOutcome.Refused;
                break;
            default:
                io.Reply(Replies.AuthMechanism);
                return AuthOutcome.Refused;
        }
        ExitStatus status = Check(c.Auth.CheckProgram!, new Login(name!, password!));
        if (status.Exited && status.Code == 0)
        {
            user = name;
            io.Reply(Replies.AuthOk);
            return AuthOutcome.Authenticated;
        }
        Log.Event($"ip={c.RemoteIp} auth failed for {name}: check program {status}");
        io.Reply(status.Exited && status.Code == ExitCodes.Temporary ? Replies.AuthTemporary : Replies.AuthFailed);
        return AuthOutcome.Refused;
    }

    private static string? Ask(LineIo io, string prompt)
    {
        io.Reply(prompt);
        return io.ReadLine(out _);
    }

    // authzid\0authcid\0password; an authzid other than the authcid is not ours to grant.
    private static bool DecodePlain(LineIo io, string text, out string? name, out string? password)
    {
        name = password = null;
        if (!Decode(io, text, out string? decoded)) return false;
        string[] f = decoded!.Split('\0');
        if (f.Length != 3 || f[1].Length == 0 || (f[0].Length > 0 && f[0] != f[1]))
        {
            io.Reply(Replies.AuthSyntax);
            return false;
        }
        (name, password) = (f[1], f[2]);
        return true;
    }

    private static bool Decode(LineIo io, string text, out string? decoded)
    {
        decoded = null;
        if (text == "*") { io.Reply(Replies.AuthCancelled); return false; }
        if (text == "=") { decoded = ""; return true; }
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(text));
            return true;
        }
        catch (FormatException)
        {
            io.Reply(Replies.AuthSyntax);
            return false;
        }
    }

    private static ExitStatus Check(string[] program, Login login)
    {
        using var nothing = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        int devNull = (int)nothing.DangerousGetHandle();
        return CheckProgram.Run(program, login.ToBytes(), devNull, devNull);
    }
}
