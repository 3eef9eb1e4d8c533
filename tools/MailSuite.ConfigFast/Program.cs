// SPDX-License-Identifier: MIT
// config-fast fqdn: writes me, defaultdomain, plusdomain, locals and rcpthosts for this host.
using System.CommandLine;
using MailSuite.Common;

namespace MailSuite.ConfigFast;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("config-fast");
        var fqdn = new Argument<string>("fqdn") { Description = "this host's fully qualified domain name" };
        var prefix = new Option<string>("--prefix") { Description = "the install to configure (default: this binary's own)" };
        var root = new RootCommand("Write the basic control files for a host, as qmail's config-fast does.") { fqdn, prefix };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Log.Fatal(error.Message);
            return ExitCodes.Permanent;
        }
        if (parsed.Action is not null) return parsed.Invoke();
        try
        {
            string name = parsed.GetValue(fqdn)!;
            if (!HostConfig.IsHostName(name))
            {
                Log.Fatal($"not a host name: {name}");
                return ExitCodes.Permanent;
            }
            var control = new ControlDir(Path.Combine(parsed.GetValue(prefix) ?? Home.Prefix, "control"));
            using var stdout = new StreamWriter(Fd.OpenWrite(1)) { NewLine = "\n" };
            HostConfig.Write(control, name, stdout);
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
