// SPDX-License-Identifier: MIT
// sslserver [tcpserver's opts] host port prog...: tcpserver with TLS in front of prog (ucspi-ssl's
// interface: certificate and key from $CERTFILE and $KEYFILE).
using System.Runtime.InteropServices;
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.SslServer;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("sslserver", timestamps: true);
        TcpServerOptions? options = TcpServerOptions.Parse(Without(args, 'e', 'E'));
        if (options is null)
        {
            Log.Fatal("usage: sslserver [ -1UXpPhHrRoOdDqQveE ] [ -c limit ] [ -C perip ] [ -x rules.cdb ] [ -B banner ] [ -g gid ] [ -u uid ] [ -b backlog ] [ -l localname ] [ -t timeout ] host port program");
            return ExitCodes.Permanent;
        }
        try
        {
            // Read while still root: the key may be readable by root alone.
            string pem = Certificate.Read(Env.Get("CERTFILE"), Env.Get("KEYFILE"));
            string relay = Path.Combine(Path.GetDirectoryName(Environment.ProcessPath) ?? ".", "sslrelay");
            var handoff = new TlsHandoff(options.Program, pem, relay, Env.Get("SSLUSER", "qmailtls"), new TicketKeys(TimeSpan.FromHours(12)));
            // HUP: the certificate again (a renewed one), the old one kept if the new cannot be used.
            using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Reload(handoff);
            });
            using var server = new TcpServer(options, handoff);
            server.Listen();
            return server.Run();
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

    private static void Reload(TlsHandoff handoff)
    {
        try
        {
            handoff.Replace(Certificate.Read(Env.Get("CERTFILE"), Env.Get("KEYFILE")));
            Log.Info($"certificate reloaded from {Env.Get("CERTFILE")}");
        }
        catch (FailureException e)
        {
            Log.Alert($"unable to reload the certificate, keeping the old one: {e.Failure.Text}");
        }
    }

    // -e/-E (ucspi-ssl: also set TCP* variables, or not) are accepted; TCP* are always set, so
    // that rules, RELAYCLIENT and the logs see the real client.
    private static string[] Without(string[] args, params char[] flags)
    {
        var kept = new List<string>();
        bool options = true;
        foreach (string a in args)
        {
            if (options && a.Length > 1 && a[0] == '-' && a != "--" && a.Trim(['-', .. flags]).Length == 0) continue;
            if (!a.StartsWith('-')) options = false;
            kept.Add(a);
        }
        return [.. kept];
    }
}
