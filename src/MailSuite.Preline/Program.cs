// SPDX-License-Identifier: MIT
// preline [-dfr] command [arg...]: feeds the message to command with qmail-local's From_,
// Return-Path and Delivered-To lines on top ($UFLINE, $RPLINE, $DTLINE), for programs such as
// procmail that do not read qmail-command's variables; exits as command does.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Preline;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("preline");
        int first = 0;
        bool from = true, returnPath = true, deliveredTo = true;
        for (; first < args.Length && args[first].Length > 1 && args[first][0] == '-'; first++)
        {
            if (args[first] == "--") { first++; break; }
            foreach (char c in args[first][1..])
                switch (c)
                {
                    case 'f': from = false; break;
                    case 'r': returnPath = false; break;
                    case 'd': deliveredTo = false; break;
                    default: return Usage();
                }
        }
        if (first >= args.Length) return Usage();
        try
        {
            string top = (from ? MessageCommand.Required("UFLINE") : "") + (returnPath ? MessageCommand.Required("RPLINE") : "") +
                (deliveredTo ? MessageCommand.Required("DTLINE") : "");
            ExitStatus status = PrelineRun.Feed(args[first..], System.Text.Encoding.Latin1.GetBytes(top));
            return status.Exited ? status.Code : Crashed();
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return e.Failure.ExitCode;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    private static int Usage()
    {
        Log.Fatal("usage: preline [ -dfr ] command [ arg ... ]");
        return ExitCodes.Permanent;
    }

    private static int Crashed()
    {
        Log.Fatal("command crashed");
        return ExitCodes.Temporary;
    }
}
