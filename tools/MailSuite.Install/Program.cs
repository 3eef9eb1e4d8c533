// SPDX-License-Identifier: MIT
// mailsuite-install --prefix DIR --from BUILD: lays out the install tree of Hier, then checks it.
using System.CommandLine;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Install;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("mailsuite-install");
        var prefix = new Option<string>("--prefix") { Description = "where to install", DefaultValueFactory = _ => "/var/qmail" };
        var from = new Option<string>("--from") { Description = "directory of published binaries", Required = true };
        var root = new RootCommand("Install (or bring up to date) a MailSuite tree with qmail's owners and modes.") { prefix, from };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Log.Fatal(error.Message);
            return ExitCodes.Permanent;
        }
        if (parsed.Action is not null) return parsed.Invoke();
        try
        {
            string dir = Path.GetFullPath(parsed.GetValue(prefix)!);
            InstallIds ids = InstallIds.ForInstaller();
            using var stdout = new StreamWriter(Fd.OpenWrite(1)) { NewLine = "\n" };
            new TreeInstaller(dir, Path.GetFullPath(parsed.GetValue(from)!), ids, stdout).Run();
            IReadOnlyList<string> problems = TreeCheck.Problems(dir, ids);
            foreach (string problem in problems) Log.Warning(problem);
            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Temporary;
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
