// SPDX-License-Identifier: MIT
// tcpserver [opts] host port prog...: accepts TCP connections and runs prog for each (ucspi-tcp's interface).
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.TcpServer;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("tcpserver", timestamps: true);
        TcpServerOptions? options = TcpServerOptions.Parse(args);
        if (options is null)
        {
            Log.Fatal("usage: tcpserver [ -1UXpPhHrRoOdDqQv ] [ -c limit ] [ -C perip ] [ -x rules.cdb ] [ -B banner ] [ -g gid ] [ -u uid ] [ -b backlog ] [ -l localname ] [ -t timeout ] host port program");
            return ExitCodes.Permanent;
        }
        try
        {
            using var server = new MailSuite.Net.TcpServer(options, new RunOnSocket(options.Program));
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
}
