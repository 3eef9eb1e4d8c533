// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.Popup;

/// <summary>
/// The authorization state of POP3 (RFC 1939) as qmail-popup keeps it: USER, PASS, QUIT, NOOP,
/// plus CAPA (RFC 2449). One login attempt per connection: PASS runs the subprogram
/// (checkpassword) with the socket as fds 0/1 and name\0password\0timestamp\0 on fd 3, and
/// whatever the outcome, qmail-popup ends with it. The greeting carries no APOP timestamp, so
/// no client is tempted into MD5 challenge-response.
/// Every quantity a client controls here is bounded, since this process is root: a line's length
/// (a longer one closes the connection unread, as Dovecot's login process does), the number of
/// commands and of errors, and the time (see Program).
/// </summary>
internal sealed class Popup(LineIo io, string hostname, string[] subprogram, Action endLoginTime)
{
    // A client that has got this many -ERR answers before logging in is not a POP3 client that
    // lost its way (probing CAPA, STLS, AUTH, APOP costs a few): it is closed, as Dovecot does.
    private const int MaxErrors = 10;
    // Nor is one that sends this many commands without logging in (NOOP, CAPA, USER cost no
    // error): Postfix's smtpd_junk_command_limit has the same number.
    private const int MaxCommands = 100;
    private string? user;
    private int errors;
    private int commands;

    public int Run()
    {
        io.Reply(Replies.Greeting(hostname));
        while (true)
        {
            string? line = io.ReadLine(out bool tooLong, stopAtLimit: true);
            if (line is null) return 1;
            if (tooLong) return Close(Replies.LineTooLong);
            if (++commands > MaxCommands) return Close(Replies.TooManyCommands);
            int space = line.IndexOf(' ');
            string verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
            string arg = space < 0 ? "" : line[(space + 1)..];
            switch (verb)
            {
                case "USER": User(arg.Trim()); break;
                case "PASS": return Pass(arg);
                case "QUIT": io.Reply(Replies.Ok); io.Flush(); return 0;
                case "NOOP": io.Reply(Replies.Ok); break;
                case "CAPA": io.Reply(Replies.Capabilities); break;
                case "APOP": Error(Replies.NoApop); break;
                default: Error(Replies.AuthorizationFirst); break;
            }
            if (errors >= MaxErrors) return Close(Replies.TooManyErrors);
        }
    }

    private int Close(string reply)
    {
        io.Reply(reply);
        io.Flush();
        return 1;
    }

    private void Error(string reply)
    {
        errors++;
        io.Reply(reply);
    }

    private void User(string name)
    {
        if (name.Length == 0) { Error(Replies.Syntax); return; }
        user = name;
        io.Reply(Replies.Ok);
    }

    private int Pass(string password)
    {
        if (user is null) return Close(Replies.UserFirst);
        io.Flush();
        endLoginTime();   // what follows is the subprogram's, and its answer is owed whenever it ends
        ExitStatus status;
        try
        {
            status = RunSubprogram(user, password);
        }
        catch (FailureException e)
        {
            Log.Warning(e.Failure.Text);
            return Close(Replies.UnableToRun);
        }
        if (status.Exited && status.Code == 0) return 0;
        return Close(!status.Exited ? Replies.ChildCrashed
            : status.Code == ExitCodes.Temporary ? Replies.TemporaryFailure
            : Replies.AuthorizationFailed);
    }

    // qmail's timestamp is still passed on fd 3 (checkpassword's interface has the field), though
    // it was never shown to the client.
    private ExitStatus RunSubprogram(string name, string password)
    {
        string timestamp = $"<{Environment.ProcessId}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}@{hostname}>";
        // The line was read as Latin-1, one char a byte: Latin-1 gives back the client's very bytes
        // (a UTF-8 password included); UTF-8 here would encode each 8-bit byte a second time.
        byte[] login = Encoding.Latin1.GetBytes($"{name}\0{password}\0{timestamp}\0");
        return CheckProgram.Run(subprogram, login, 0, 1);
    }
}
