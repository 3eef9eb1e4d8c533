// SPDX-License-Identifier: MIT
// tcprulescheck rules.cdb: shows which rule applies to $TCPREMOTEIP, $TCPREMOTEHOST, $TCPREMOTEINFO.
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.TcpRulesCheck;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("tcprulescheck");
        if (args.Length != 1)
        {
            Log.Fatal("usage: tcprulescheck rules.cdb");
            return ExitCodes.Permanent;
        }
        try
        {
            using CdbReader? cdb = CdbReader.Open(args[0]);
            string ip = Env.Get("TCPREMOTEIP", "0.0.0.0");
            RuleMatch match = cdb is null ? new RuleMatch(null, RuleDecision.Default)
                : TcpRules.Find(cdb, ip, Env.Get("TCPREMOTEHOST"), Env.Get("TCPREMOTEINFO"));
            using var o = new StreamWriter(Fd.OpenWrite(1)) { NewLine = "\n" };
            o.WriteLine(match.Key is null ? "default:" : $"rule {match.Key}:");
            foreach (var (k, v) in match.Decision.Environment) o.WriteLine($"set environment variable {k}={v}");
            o.Write(match.Decision.Allow ? "allow connection\n" : "deny connection\n");
            return ExitCodes.Success;
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
}
