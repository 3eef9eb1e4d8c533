// SPDX-License-Identifier: MIT
// instcheck [--prefix DIR]: checks every path of the install tree for kind, owner, group and mode.
using System.CommandLine;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.InstCheck;

internal static class Program
{
    private const int Discrepancies = 1;

    private static int Main(string[] args)
    {
        Log.Init("instcheck");
        var prefix = new Option<string>("--prefix") { Description = "the install to check (default: this binary's own)" };
        var root = new RootCommand("Check that an installed tree has qmail's owners, groups and modes.") { prefix };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Log.Fatal(error.Message);
            return ExitCodes.Permanent;
        }
        if (parsed.Action is not null) return parsed.Invoke();
        try
        {
            string dir = parsed.GetValue(prefix) ?? Home.Prefix;
            IReadOnlyList<string> problems = TreeCheck.Problems(dir, InstallIds.OfTree(dir));
            foreach (string problem in problems) Log.Warning(problem);
            return problems.Count == 0 ? ExitCodes.Success : Discrepancies;
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
