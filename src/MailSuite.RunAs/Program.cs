// SPDX-License-Identifier: MIT
// qmail-runas uid gid program [arg...]: becomes uid:gid (no supplementary groups) and runs program.
// qmail-lspawn's fork-setuid-exec, split out: .NET cannot safely run code between fork and exec.
using MailSuite.Common;

namespace MailSuite.RunAs;

internal static class Program
{
    private const int Usage = 112;            // qmail-lspawn's "internal bug" code
    private const int RootRefused = 113;      // qmail-lspawn's "not allowed to perform deliveries as root"
    private const int CannotRun = 120;        // qmail-lspawn's "unable to run qmail-local"

    private static int Main(string[] args)
    {
        Log.Init("qmail-runas");
        if (args.Length < 3 || !uint.TryParse(args[0], out uint uid) || !uint.TryParse(args[1], out uint gid))
        {
            Log.Fatal("usage: qmail-runas uid gid program [arg...]");
            return Usage;
        }
        if (uid == 0) return RootRefused;
        try
        {
            Privileges.DropTo(new Account(uid.ToString(), uid, gid, "/", ""), supplementary: false);
            throw Exec.Replace(args[2], args[2..], CurrentEnvironment());
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return CannotRun;
        }
    }

    private static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) list.Add($"{e.Key}={e.Value}");
        return list;
    }
}
