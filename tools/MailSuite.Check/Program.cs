// SPDX-License-Identifier: MIT
// mailsuite-check [options]: the guide's "Check Configuration" list, run against a live install;
// one line per item, "ok" or "FAIL" with the reason.
using System.CommandLine;
using MailSuite.Common;

namespace MailSuite.Check;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("mailsuite-check");
        var prefix = new Option<string>("--prefix") { Description = "the install (default: this binary's own)" };
        var address = new Option<string>("--address") { Description = "where SMTP, SMTPS, submission and POP3S listen", DefaultValueFactory = _ => "127.0.0.1" };
        var ports = new Option<string>("--ports") { Description = "service=port,... as rc/mailsuite runs them", DefaultValueFactory = _ => Settings.DefaultPorts };
        var user = new Option<string>("--user") { Description = "test account that sends to itself", DefaultValueFactory = _ => "mailtest" };
        var passwordFile = new Option<string>("--password-file") { Description = "its password", DefaultValueFactory = _ => "/root/mailtest.password" };
        var config = new Option<bool>("--config") { Description = "only read the configuration files as the programs will, and name each problem (rc/mailsuite reload runs this)" };
        var root = new RootCommand("Run the guide's configuration checks against a running install.") { prefix, address, ports, user, passwordFile, config };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Log.Fatal(error.Message);
            return ExitCodes.Permanent;
        }
        if (parsed.Action is not null) return parsed.Invoke();
        if (parsed.GetValue(config)) return CheckConfiguration(parsed.GetValue(prefix) ?? Home.Prefix);
        Settings? s = Settings.From(parsed.GetValue(prefix) ?? Home.Prefix, parsed.GetValue(address)!, parsed.GetValue(ports)!,
            parsed.GetValue(user)!, parsed.GetValue(passwordFile)!);
        if (s is null)
        {
            Log.Fatal("--ports wants service=port pairs for smtp, smtps, submission, pop3 and pop3s");
            return ExitCodes.Permanent;
        }
        int failed = 0;
        using Stream stdout = Fd.OpenWrite(1);
        foreach ((string item, Func<Settings, string?> check) in Checks.All)
        {
            string? problem;
            try
            {
                problem = check(s);
            }
            catch (Exception e)   // a check that breaks is a failed check with its reason, never a crash
            {
                problem = ErrorText.Of(e);
            }
            if (problem is not null) failed++;
            stdout.Write(System.Text.Encoding.UTF8.GetBytes(problem is null ? $"ok    {item}\n" : $"FAIL  {item}: {problem}\n"));
        }
        return failed == 0 ? ExitCodes.Success : 1;
    }

    // One line per problem, file (and line) first; exit 1 when there is any.
    private static int CheckConfiguration(string prefix)
    {
        List<string> problems;
        try
        {
            problems = ConfigCheck.Problems(prefix);
        }
        catch (Exception e)   // a check that breaks is a problem with its reason, never a crash
        {
            problems = [$"unable to check the configuration in {prefix}: {ErrorText.Of(e)}"];
        }
        var text = new System.Text.StringBuilder();
        foreach (string p in problems) text.Append(p).Append('\n');
        text.Append(problems.Count == 0 ? "configuration ok\n" : $"{problems.Count} problem(s) in the configuration\n");
        using Stream stdout = Fd.OpenWrite(1);
        stdout.Write(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
        return problems.Count == 0 ? ExitCodes.Success : 1;
    }
}
