// SPDX-License-Identifier: MIT
// qmail-newmrh: compiles control/morercpthosts into control/morercpthosts.cdb for qmail-smtpd.
using System.Text;
using MailSuite.Common;

namespace MailSuite.NewMrh;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-newmrh");
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-newmrh");
            return ExitCodes.Permanent;
        }
        try
        {
            var control = ControlDir.OfThisInstall();
            List<string> hosts = control.List("morercpthosts")
                ?? throw new FailureException(Failure.Temporary("4.3.0", "unable to read control/morercpthosts: file does not exist"));
            Compile(hosts, Path.Combine(control.Path, "morercpthosts.cdb"));
            return ExitCodes.Success;
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to read control/morercpthosts or write control/morercpthosts.cdb: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    // One key a host, lower-cased as qmail-smtpd looks it up, with an empty value; the cdb takes
    // the old one's place only once complete and on disk, so qmail-smtpd never sees half of it.
    private static void Compile(List<string> hosts, string cdb)
    {
        using var writer = new CdbWriter(cdb, Convert.ToInt32("644", 8));
        foreach (string host in hosts) writer.Add(Encoding.Latin1.GetBytes(host.ToLowerInvariant()), []);
        writer.Commit();
    }
}
