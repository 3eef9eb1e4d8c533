// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.CheckPassword;

/// <summary>
/// Verifies the login, then (as root) becomes the user: supplementary groups, gid, uid, HOME as
/// the working directory, USER/HOME/SHELL in the environment, and runs prog in its place. Run by
/// anyone else it only verifies, and runs prog as is (qmail-smtpd's AUTH, as qmaild).
/// qmail-authd is asked first, with the client's address (TCPREMOTEIP): it keeps the failure
/// counts of every service, delays the guesser and locks an address out. Only where it is not
/// running, and this process may read the password database, does it check by itself.
/// A failure takes two seconds or more and tells the client nothing the success would not:
/// unknown user, locked account and wrong password are one answer; the log line names which.
/// </summary>
internal static class Checker
{
    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(2);

    public static int Run(Login login, string[] prog)
    {
        string from = Env.Get("TCPREMOTEIP", "local");
        bool mayRead = Privileges.RealUid == 0 || Passwords.CanReadDatabase;
        (PasswordVerdict Verdict, InvalidLogin Why)? asked = AuthClient.Ask(login with { Client = from });
        bool local = asked is null && mayRead;
        InvalidLogin why = InvalidLogin.None;
        PasswordVerdict verdict;
        try
        {
            verdict = asked?.Verdict ?? (local ? Passwords.Verify(login.Name, login.Password, out why) : PasswordVerdict.Unavailable);
        }
        catch (FailureException e)
        {
            Log.Warning($"unable to check passwords: {e.Failure.Text}");
            return ExitCodes.Temporary;
        }
        if (asked is not null) why = asked.Value.Why;
        if (verdict == PasswordVerdict.Locked)
        {
            Log.Event($"login refused for {Log.Sanitize(login.Name)} from {from}: too many failed logins from there lately");
            return ExitCodes.Temporary;
        }
        if (verdict == PasswordVerdict.Unavailable)
        {
            Log.Warning(asked is null ? $"unable to check passwords: uid {Privileges.RealUid} may not read the password database, and qmail-authd is not running"
                : "unable to check passwords: qmail-authd could not (its log says why)");
            return ExitCodes.Temporary;
        }
        Account? account = verdict == PasswordVerdict.Valid ? Accounts.Find(login.Name) : null;
        if (account is null || account.Uid == 0)
        {
            Log.Event($"login failed for {Log.Sanitize(login.Name)} from {from}: " +
                      (account?.Uid == 0 ? "uid 0 never logs in" : InvalidLoginText.Of(why)));
            if (local) Thread.Sleep(FailureDelay);   // qmail-authd has already made the caller wait
            return 1;
        }
        Log.Event($"login {account.Name} from {from}");
        if (Privileges.RealUid != 0) throw Exec.Replace(prog);
        return BecomeAndRun(account, prog);
    }

    private static int BecomeAndRun(Account account, string[] prog)
    {
        Privileges.DropTo(account);
        try
        {
            Directory.SetCurrentDirectory(account.Home);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to chdir to {account.Home}: {ErrorText.Of(e)}"));
        }
        Dictionary<string, string> env = Env.Snapshot();
        env["USER"] = account.Name;
        env["HOME"] = account.Home;
        env["SHELL"] = account.Shell;
        throw Exec.Replace(Spawn.FindInPath(prog[0]), prog, Env.Strings(env));
    }
}
