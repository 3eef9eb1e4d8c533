// SPDX-License-Identifier: MIT
// rblsmtpd [-bBcC] [-t timeout] [-r base] [-a base] smtpd [arg...]: refuses mail from clients a DNS
// blocklist (or $RBLSMTPD) names, else runs the SMTP server (ucspi-tcp 0.88's rblsmtpd).
using System.Text;
using MailSuite.Common;
using MailSuite.Dns;

namespace MailSuite.RblSmtpd;

internal static class Program
{
    private const int DefaultTimeout = 60;

    private static int Main(string[] args)
    {
        Log.Init("rblsmtpd", timestamps: true);
        RblOptions? options = RblOptions.Parse(args, out string? complaint);
        if (options is null)
        {
            if (complaint is not null) Log.Event(complaint);
            Log.Event("usage: rblsmtpd [ -b ] [ -R ] [ -t timeout ] [ -r base ] [ -a base ] smtpd [ arg ... ]");
            return ExitCodes.Permanent;
        }
        try
        {
            string ip = Env.Get("TCPREMOTEIP") ?? "";
            var resolver = new Lazy<Resolver>(Resolver.FromEnvironment);
            Verdict verdict = new Blocklists(ip, name => resolver.Value.Txt(name), name => resolver.Value.A(name))
                .Decide(Env.Get("RBLSMTPD"), options.Options);
            if (verdict.Refuses) return Refuse(ip, verdict.Reply(), Timeout(options));
            throw Exec.Replace(options.Program);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    // One log line, then the refusal: at once and hang up with -t 0, else the limited
    // conversation until QUIT, end of input or the timeout, whichever comes first.
    private static int Refuse(string ip, byte[] reply, int timeout)
    {
        Log.Event($"{ip} pid {Environment.ProcessId}: {Encoding.ASCII.GetString(reply)}");
        using var input = new FdStream(0);
        using var output = new FdStream(1);
        var io = new LineIo(input, output);
        input.Deadline = output.Deadline = Environment.TickCount64 + Math.Max(timeout, 1) * 1000L;
        try
        {
            if (timeout > 0) new Conversation(io, reply).Run();
            else
            {
                io.Write(reply);
                io.Write("\r\n"u8);
                io.Flush();
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // the client hung up or ran out of time: nothing more to say to it
        }
        return ExitCodes.Success;
    }

    // scan_ulong's reading of -t: the leading digits, none meaning 0; the last -t wins.
    private static int Timeout(RblOptions options)
    {
        string? v = options.Options.Where(o => o.Letter == 't').Select(o => o.Value).LastOrDefault();
        if (v is null) return DefaultTimeout;
        long n = 0;
        foreach (char c in v.TakeWhile(char.IsAsciiDigit)) n = Math.Min(n * 10 + (c - '0'), int.MaxValue / 1000);
        return (int)n;
    }
}
