// SPDX-License-Identifier: MIT
// qmail-remote host sender recip...: sends the message on fd 0 to host by SMTP; results on fd 1
// (qmail-remote(8): r/h/s per recipient, then K/Z/D). Runs as qmailr, started by qmail-rspawn.
using MailSuite.Common;

namespace MailSuite.Remote;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-remote", timestamps: true);
        if (args.Length < 3)
        {
            Log.Fatal("usage: qmail-remote host sender recip [ recip ... ]");
            return ExitCodes.Permanent;
        }
        var results = new Results(Fd.OpenWrite(1));
        try
        {
            RemoteConfig config = RemoteConfig.Load(ControlDir.OfThisInstall());
            using Stream message = Fd.OpenRead(0);
            // Inside, addresses are byte strings written to the wire as they are (UTF-8 under SMTPUTF8).
            new Delivery(config, results).Run(args[0], ByteString.FromText(args[1]), args[2..].Select(ByteString.FromText).ToArray(), message);
        }
        catch (FailureException e)
        {
            results.Final(e.Failure.IsPermanent ? 'D' : 'Z', e.Failure.ToString());
        }
        catch (Exception e)   // a bug or the unexpected is never a reason to bounce
        {
            Log.Warning($"unexpected: {e.GetType().Name}: {ErrorText.Of(e)}");
            results.Final('Z', $"Temporary failure in qmail-remote: {ErrorText.Of(e)}. (#4.3.0)");
        }
        return ExitCodes.Success;
    }
}
