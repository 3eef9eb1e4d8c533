// SPDX-License-Identifier: MIT
// maildirmake dir: creates a Maildir (dir, dir/tmp, dir/new, dir/cur), mode 0700.
using System.CommandLine;
using MailSuite.Common;

namespace MailSuite.MaildirMake;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("maildirmake");
        var dir = new Argument<string>("dir") { Description = "the Maildir to create" };
        var root = new RootCommand("Create a Maildir: dir with tmp, new and cur, mode 0700.") { dir };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0) return Usage(parsed);
        if (parsed.Action is not null) return parsed.Invoke();   // --help
        try
        {
            Maildir.Make(parsed.GetValue(dir)!);
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

    private static int Usage(ParseResult parsed)
    {
        foreach (var error in parsed.Errors) Log.Fatal(error.Message);
        Log.Fatal("usage: maildirmake dir");
        return ExitCodes.Permanent;
    }
}
