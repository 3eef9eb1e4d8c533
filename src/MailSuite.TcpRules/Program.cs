// SPDX-License-Identifier: MIT
// tcprules rules.cdb rules.tmp < rules.txt: compiles tcpserver access rules (ucspi-tcp's interface).
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.TcpRules;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("tcprules");
        if (args.Length != 2)
        {
            Log.Fatal("usage: tcprules rules.cdb rules.tmp");
            return ExitCodes.Permanent;
        }
        try
        {
            using var input = new StreamReader(Fd.OpenRead(0), System.Text.Encoding.Latin1);
            string? bad = Net.TcpRules.Compile(input, args[0], args[1]);
            if (bad is null) return ExitCodes.Success;
            Log.Fatal("unable to parse this line: " + bad);
            return ExitCodes.Permanent;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FailureException)
        {
            Log.Fatal($"unable to create {args[0]}: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
