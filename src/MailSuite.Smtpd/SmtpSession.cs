// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Smtpd;

/// <summary>
/// One SMTP session, qmail-smtpd's dialogue (RFC 5321 with qmail's replies): HELO/EHLO, MAIL,
/// RCPT, DATA, RSET, NOOP, VRFY, HELP, QUIT, plus STARTTLS and AUTH; anything else is "502
/// unimplemented". Each message goes to qmail-queue; each transaction is logged in one line on
/// stderr. An authenticated client may relay, as RELAYCLIENT allows.
/// </summary>
internal sealed class SmtpSession(LineIo io, SmtpConfig c, Stream input, Stream output)
{
    // A client that does not speak SMTP (unknown verbs, overlong lines), keeps failing AUTH, or
    // only marks time (NOOP, VRFY, HELP, RSET, and MAIL) is closed at Postfix's limits,
    // smtpd_hard_error_limit and smtpd_junk_command_limit; the second counts again from each
    // message accepted. A failed AUTH costs a checkpassword run (one that qmail-authd has locked
    // out returns at once), and a MAIL may cost an SPF check's DNS queries: without the limits a
    // client could buy either with a few bytes, again and again, for the session's hour.
    private const int MaxErrors = 20;
    private const int MaxJunk = 100;
    private int errors;
    private int junk;
    private string? tls = c.TlsSession;
    private string? authUser;
    private string? helo;
    private string? sender;
    private bool badSender;
    private SpfOutcome? spf;
    private readonly List<string> recipients = [];
    private readonly List<string> refused = [];   // <address>:reason, the first LogAddresses only: a client controls how many
    private int refusedCount;
    private int unknownRecipients;   // over the whole connection, not reset by RSET or MAIL

    public int Run()
    {
        io.Reply(Replies.Greeting(c.Greeting));
        while (true)
        {
            string? line = io.ReadLine(out bool tooLong);
            if (line is null)
            {
                LogAbandoned("connection closed");
                return 1;
            }
            if (tooLong)
            {
                io.Reply(Replies.LineTooLong);
                errors++;
            }
            else if (Command(line) is int exit)
            {
                return exit;
            }
            if (TooMuchJunk()) return 1;
        }
    }

    // One command answered; the session's exit code when it ends here, else null.
    private int? Command(string line)
    {
        int space = line.IndexOf(' ');
        string verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        string arg = space < 0 ? "" : line[(space + 1)..].TrimStart(' ');
        switch (verb)
        {
            case "HELO": Helo(arg, Replies.Helo(c.Greeting)); break;
            case "EHLO":
                Helo(arg, Replies.Ehlo(c.Greeting, c.DataBytes, tls is null && StartTls.CertificateReadable(c.CertFile), tls is not null && c.Auth.Available));
                break;
            case "STARTTLS": return StartTlsCommand() ? null : 1;
            case "AUTH": return AuthCommand(arg) ? null : 1;
            case "MAIL": Mail(arg); junk++; break;
            case "RCPT": return Rcpt(arg) ? null : 1;
            case "DATA": return Data() ? null : 1;
            case "RSET":
                LogAbandoned("RSET");
                Reset();
                io.Reply(Replies.Flushed);
                junk++;
                break;
            case "NOOP": io.Reply(Replies.Ok); junk++; break;
            case "VRFY": io.Reply(Replies.Vrfy); junk++; break;
            case "HELP": io.Reply(Replies.Help); junk++; break;
            case "QUIT":
                LogAbandoned("quit");
                io.Reply(Replies.Quit(c.Greeting));
                io.Flush();
                return 0;
            default: io.Reply(Replies.Unimplemented); errors++; break;
        }
        return null;
    }

    // True, having said goodbye, when the client has reached either limit.
    private bool TooMuchJunk()
    {
        string? what = errors >= MaxErrors ? "errors" : junk >= MaxJunk ? "commands without mail" : null;
        if (what is null) return false;
        LogAbandoned("too many " + what);
        Log.Event($"ip={c.RemoteIp} too many {what}, closing");
        io.Reply(Replies.TooMany(what));
        io.Flush();
        return true;
    }

    private void Helo(string arg, string reply)
    {
        LogAbandoned("new HELO");
        helo = arg;
        Reset();
        io.Reply(reply);
    }

    // False when the connection is done (the handshake failed).
    private bool StartTlsCommand()
    {
        if (tls is not null) { io.Reply(Replies.AlreadyTls); return true; }
        string? session = StartTls.Run(io, c, input, output);
        if (session is null) return false;
        if (session.Length == 0) return true;   // not available: said so, still in clear
        tls = session;
        helo = null;   // RFC 3207: forget everything learnt in clear
        Reset();
        return true;
    }

    // False when the client went away in the middle of the exchange.
    private bool AuthCommand(string arg)
    {
        if (!c.Auth.Available) { io.Reply(Replies.AuthUnavailable); return true; }
        if (tls is null) { io.Reply(Replies.TlsFirst); return true; }
        if (authUser is not null) { io.Reply(Replies.AlreadyAuthenticated); return true; }
        if (sender is not null) { io.Reply(Replies.AuthDuringTransaction); return true; }
        AuthOutcome outcome = SmtpAuth.Run(io, c, arg, out string? user);
        if (outcome == AuthOutcome.Refused) errors++;
        if (outcome == AuthOutcome.Authenticated)
        {
            authUser = user;
            Environment.SetEnvironmentVariable("SMTPAUTHUSER", user);   // for a QMAILQUEUE filter: not mail from outside
            Log.Event($"ip={c.RemoteIp} auth={user} tls={tls}");
        }
        return outcome != AuthOutcome.ConnectionGone;
    }

    private void Mail(string arg)
    {
        if (c.Auth.Required && authUser is null) { io.Reply(tls is null ? Replies.TlsFirst : Replies.AuthRequired); return; }
        string? address = Address.Parse(arg, c.LocalIpHost);
        if (address is null) { io.Reply(Replies.Syntax); return; }
        if (Address.HasControlCharacter(address)) { io.Reply(Replies.ControlInAddress); return; }
        if (c.DataBytes > 0 && Address.Parameters(arg).TryGetValue("SIZE", out string? size)
            && long.TryParse(size, out long declared) && declared > c.DataBytes)
        {
            Log.Event($"ip={c.RemoteIp} helo={Bounded(helo ?? "-")} from=<{Bounded(address)}> size={declared} result=refused: SIZE over databytes {c.DataBytes}");
            io.Reply(Replies.TooBig);
            return;
        }
        if (authUser is not null && SubmissionRefusal(address) is { } notNow)
        {
            Log.Event($"ip={c.RemoteIp} auth={Bounded(authUser)} from=<{Bounded(address)}> result={notNow}");
            io.Reply(notNow);
            return;
        }
        LogAbandoned("new MAIL");
        Reset();
        if (c.RelayClient is null && authUser is null && SenderSpf.Check(c, helo, address) is { } outcome)
        {
            if (SenderSpf.Refusal(c.SpfBehavior, outcome) is { } refusal)
            {
                Log.Event($"ip={c.RemoteIp} helo={Bounded(helo ?? "-")} from=<{Bounded(address)}> spf={outcome.Verdict.Word} result={refusal}");
                io.Reply(refusal);
                return;
            }
            spf = outcome;
            Environment.SetEnvironmentVariable("SPFRESULT", outcome.Verdict.Word);   // for a QMAILQUEUE filter (Authentication-Results)
            Environment.SetEnvironmentVariable("SPFIDENTITY", outcome.Identity);
        }
        sender = address;
        badSender = RelayPolicy.BadMailFrom(address, c);
        io.Reply(Replies.Ok);
    }

    // An authenticated user sends as themselves, and no faster than control/sendlimit allows
    // (counted by qmail-authd, which every qmail-smtpd process shares).
    private string? SubmissionRefusal(string address)
    {
        if (!c.Senders.MayUse(authUser!, address)) return Replies.NotYourSender;
        if (c.SendLimit is not { } limit) return null;
        byte? answer = LocalSocket.Ask(Home.Path("authd/socket"), new MailSuite.Auth.SendRate(authUser!, limit.Messages, limit.Seconds).ToBytes(),
            TimeSpan.FromSeconds(10), "qmail-authd");
        return answer switch
        {
            (byte)'Y' => null,
            (byte)'N' => Replies.SendLimit,
            _ => Replies.CannotCheckSendLimit,
        };
    }

    // False when the connection must close (too many unknown recipients).
    private bool Rcpt(string arg)
    {
        if (sender is null) { io.Reply(Replies.MailFirst); return true; }
        string? address = Address.Parse(arg, c.LocalIpHost);
        if (address is null) { io.Reply(Replies.Syntax); return true; }
        if (Address.HasControlCharacter(address)) { io.Reply(Replies.ControlInAddress); return true; }
        if (badSender) { Refuse(address, Replies.BadMailFrom, "badmailfrom"); return true; }
        if (c.RelayClient is not null && authUser is null) address += c.RelayClient;
        else if (authUser is null && !RelayPolicy.Allowed(address, c)) { Refuse(address, Replies.NotRcptHost, "rcpthosts"); return true; }
        else if (c.CheckRecipients && c.RelayClient is null) return CheckedRcpt(address);
        return AddRecipient(address);
    }

    // The recipient check (control/rcptcheck): an address delivery would bounce is refused here,
    // and a client that keeps guessing is shown the door (control/badrcptlimit).
    private bool CheckedRcpt(string address)
    {
        switch (RecipientCheck.Ask(address))
        {
            case RecipientVerdict.Unknown:
                if (++unknownRecipients > c.UnknownRecipientLimit && c.UnknownRecipientLimit > 0)
                {
                    Refuse(address, Replies.TooManyUnknown, "too-many-unknown");
                    LogAbandoned("too many unknown recipients");
                    io.Flush();
                    return false;
                }
                Refuse(address, Replies.NoMailbox, "no-mailbox");
                return true;
            case RecipientVerdict.NotNow:
                Refuse(address, Replies.CannotCheckRecipient, "check-failed");
                return true;
            default:
                return AddRecipient(address);
        }
    }

    private bool AddRecipient(string address)
    {
        if (recipients.Count >= SmtpConfig.MaxRecipients) { io.Reply(Replies.TooManyRecipients); return true; }
        recipients.Add(address);
        io.Reply(Replies.Ok);
        return true;
    }

    // The log names why each recipient was refused: badmailfrom, rcpthosts, no-mailbox,
    // too-many-unknown, check-failed.
    private void Refuse(string address, string reply, string reason)
    {
        if (refused.Count < LogAddresses) refused.Add($"<{Bounded(address)}>:{reason}");
        refusedCount++;
        io.Reply(reply);
    }

    // False when the connection must close (a bare CR or LF, end of input).
    private bool Data()
    {
        if (sender is null) { io.Reply(Replies.MailFirst); return true; }
        if (recipients.Count == 0) { io.Reply(Replies.RcptFirst); return true; }
        QueueSubmission queue;
        try
        {
            queue = QueueClient.Start();
        }
        catch (FailureException)
        {
            io.Reply(Replies.QueueStartFailed);
            return true;
        }
        using (queue)
        {
            io.Reply(Replies.GoAhead);
            queue.Message.Write(Encoding.ASCII.GetBytes(ReceivedLine()));
            if (spf is not null) queue.Message.Write(Encoding.ASCII.GetBytes(SenderSpf.Header(spf, c)));
            DataResult data = DataReader.Copy(io, queue.Message, c.DataBytes);
            return Finish(queue, data);
        }
    }

    private bool Finish(QueueSubmission queue, DataResult data)
    {
        string? verdict = data.End switch
        {
            DataEnd.Eof => "client vanished during DATA",
            DataEnd.BareNewline => Replies.BareNewline,
            _ when c.DataBytes > 0 && data.Bytes > c.DataBytes => Replies.TooBig,
            _ when data.Hops >= 100 => Replies.Looping,
            _ => null,
        };
        if (verdict is not null)
        {
            queue.Abort();
            LogTransaction(data.Bytes, verdict, null);
            Reset();
            if (data.End == DataEnd.Complete) { io.Reply(verdict); return true; }
            if (data.End == DataEnd.BareNewline) { io.DiscardBuffered(); io.Reply(verdict); io.Flush(); }
            return false;
        }
        QueueResult result = queue.Commit(sender!, recipients);
        if (result.Failure is null) junk = 0;
        string reply = result.Failure?.SmtpReply ?? Replies.Accepted(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), result.QueuePid);
        LogTransaction(data.Bytes, reply, result.QueuePid);
        Reset();
        io.Reply(reply);
        return true;
    }

    private string ReceivedLine()
    {
        var b = new StringBuilder("Received: from ").Append(Safe(c.RemoteHost));
        if (helo is not null && !string.Equals(helo, c.RemoteHost, StringComparison.OrdinalIgnoreCase))
            b.Append(" (HELO ").Append(Safe(helo)).Append(')');
        b.Append(" (");
        if ((authUser ?? c.RemoteInfo) is string info) b.Append(Safe(info)).Append('@');
        b.Append(Safe(c.RemoteIp)).Append(")\n  by ").Append(Safe(c.LocalHost)).Append(" with ").Append(Protocol).Append("; ")
            .Append(MailDate.Rfc822(DateTimeOffset.UtcNow)).Append('\n');
        return b.ToString();
    }

    // qmail's "SMTP", or RFC 3848's words when TLS or AUTH were used, with the TLS session named.
    private string Protocol => tls is null ? (authUser is null ? "SMTP" : "ESMTPA")
        : $"{(authUser is null ? "ESMTPS" : "ESMTPSA")} ({tls})";

    // qmail's safeput: anything outside [A-Za-z0-9.@%+/=:-[]] becomes '?'.
    private static string Safe(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (char ch in s) b.Append(char.IsAsciiLetterOrDigit(ch) || ".@%+/=:-[]".Contains(ch) ? ch : '?');
        return b.ToString();
    }

    private void Reset()
    {
        sender = null;
        badSender = false;
        spf = null;
        Environment.SetEnvironmentVariable("SPFRESULT", null);
        Environment.SetEnvironmentVariable("SPFIDENTITY", null);
        recipients.Clear();
        refused.Clear();
        refusedCount = 0;
    }

    private void LogAbandoned(string why)
    {
        if (sender is not null && (recipients.Count > 0 || refusedCount > 0)) LogTransaction(0, "no DATA: " + why, null);
    }

    // One line a transaction, bounded whatever the client sent: the first LogAddresses
    // addresses of each list, then how many more there were.
    private void LogTransaction(long size, string result, int? qp) =>
        Log.Event($"ip={c.RemoteIp} helo={Bounded(helo ?? "-")} from=<{Bounded(sender ?? "")}> to={Addresses(recipients, recipients.Count)}" +
                  (refusedCount > 0 ? $" refused={string.Join(',', refused)}{(refusedCount > LogAddresses ? $",+{refusedCount - LogAddresses}" : "")}" : "") +
                  (spf is null ? "" : $" spf={spf.Verdict.Word}") + (authUser is null ? "" : $" auth={authUser}") + (tls is null ? "" : $" tls={tls.Replace(' ', '/')}") +
                  $" size={size} result={result}" + (qp is null ? "" : $" qp={qp}"));

    private const int LogAddresses = 20;
    private const int LogFieldBytes = 256;

    // A loop, not Take/Select: in Native AOT that LINQ chain resolves a generic virtual method
    // through the runtime type loader on first use, 2 % of a one-message connection's CPU (perf).
    private static string Addresses(List<string> list, int total)
    {
        var text = new StringBuilder();
        for (int i = 0; i < list.Count && i < LogAddresses; i++)
            text.Append(i == 0 ? "<" : ",<").Append(Bounded(list[i])).Append('>');
        if (total > LogAddresses) text.Append(",+").Append(total - LogAddresses);
        return text.ToString();
    }

    private static string Bounded(string field) => field.Length <= LogFieldBytes ? field : field[..LogFieldBytes] + "...";
}
