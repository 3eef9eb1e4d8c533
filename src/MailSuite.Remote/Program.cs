// SPDX-License-Identifier: MIT
// qmail-remote host sender recip...: sends the message on fd 0 to host by SMTP; results on fd 1
// (qmail-remote(8): r/h/s per recipient, then K/Z/D). Runs as qmailr, started by qmail-rspawn.
// qmail-remote -s host: the same for one message after another (requests on fd 0), over one
// connection while the host takes them: qmail-rspawn's connection reuse.
using MailSuite.Common;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Remote;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-remote", timestamps: true);
        try
        {
            if (args is ["-s", string host]) return Sessions.Serve(host);
            if (args.Length < 3)
            {
                Log.Fatal("usage: qmail-remote host sender recip [ recip ... ] | qmail-remote -s host");
                return ExitCodes.Permanent;
            }
            using var message = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1);
            // Inside, addresses are byte strings written to the wire as they are (UTF-8 under SMTPUTF8).
            Connection? open = DeliverOne(args[0], ByteString.FromText(args[1]), args[2..].Select(ByteString.FromText).ToArray(), message, null);
            open?.Quit();
            return ExitCodes.Success;
        }
        catch (IOException e)   // fd 0 or fd 1 gone: nobody is left to read a result
        {
            Log.Fatal(ErrorText.Of(e));
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    /// <summary>
    /// One message, its results on fd 1 whatever happens; the connection left in step, if any.
    /// The control files are read afresh for each new connection and kept while a connection is
    /// reused: a route or TLS policy changed by the postmaster applies to the next connection,
    /// as with qmail's qmail-remote a message, never to the transaction of a connection made
    /// under the old one.
    /// </summary>
    internal static Connection? DeliverOne(string host, string sender, string[] recipients, FileStream message, Connection? kept)
    {
        var results = new Results(Fd.OpenWrite(1));
        try
        {
            if (kept is null || config is null) config = RemoteConfig.Load(ControlDir.OfThisInstall());
            return new Delivery(config, results).Run(host, sender, recipients, message, kept);
        }
        catch (FailureException e)
        {
            kept?.Dispose();
            results.Final(e.Failure.IsPermanent ? 'D' : 'Z', e.Failure.ToString());
        }
        catch (Exception e)   // a bug or the unexpected is never a reason to bounce
        {
            kept?.Dispose();
            Log.Warning($"unexpected: {e.GetType().Name}: {ErrorText.Of(e)}");
            results.Final('Z', $"Temporary failure in qmail-remote: {ErrorText.Of(e)}. (#4.3.0)");
        }
        return null;
    }

    private static RemoteConfig? config;
}
