// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MailSuite.EndToEnd.Tests;

// The guide's logging: qmail-start ./Maildir/ splogger qmail. The test plays the syslog daemon on
// /dev/log (there is none on the test machines) and reads what arrives.
public sealed class SploggerTests : IDisposable
{
    private const string DevLog = "/dev/log";
    private readonly TempInstall install = new();
    private readonly Socket syslog = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public SploggerTests()
    {
        Assert.False(File.Exists(DevLog), "a syslog daemon owns /dev/log here; this test plays that part itself");
        syslog.Bind(new UnixDomainSocketEndPoint(DevLog));
        Harness.Ok("chmod", "0666", DevLog);
        syslog.ReceiveTimeout = 60_000;
    }

    public void Dispose()
    {
        syslog.Dispose();
        File.Delete(DevLog);
        install.Dispose();
    }

    [Fact]
    public void Qmail_send_log_lines_arrive_in_syslog_through_splogger_running_as_qmaill()
    {
        using var service = new MailService(install, "splogger", "qmail");
        string owner = Harness.Ok("ps", "-o", "user=", "-p", Assert.Single(service.ProcessIds("splogger")).ToString()).Stdout.Trim();
        Assert.Equal("qmaill", owner);

        Ran r = Harness.Run(install.Bin("qmail-inject"), ["nosuchuser"], stdin: "Subject: x\n\nx\n");
        Assert.True(r.Exit == 0, r.Stderr);

        var lines = new List<string>();
        byte[] buffer = new byte[4096];
        while (!lines.Any(l => l.Contains(" end msg ")))
            lines.Add(Encoding.ASCII.GetString(buffer, 0, syslog.Receive(buffer)));

        Assert.Contains(lines, l => Regex.IsMatch(l, @"^<22>\w{3} [ \d]\d \d\d:\d\d:\d\d qmail: \d+\.\d{6} new msg \d+$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^<22>.* qmail: \d+\.\d{6} delivery \d+: failure: Sorry,_no_mailbox_here_by_that_name\._\(#5\.1\.1\)/$"));
    }

    [Fact]
    public void Warnings_and_alerts_get_their_syslog_priorities()
    {
        Ran r = Harness.Run(install.Bin("splogger"), ["qmail"], stdin: "warning: trouble\nalert: big trouble\nplain\n");
        Assert.Equal(0, r.Exit);
        var lines = new List<string>();
        byte[] buffer = new byte[4096];
        while (lines.Count < 3) lines.Add(Encoding.ASCII.GetString(buffer, 0, syslog.Receive(buffer)));
        Assert.StartsWith("<20>", lines.Single(l => l.Contains(" warning: trouble")));
        Assert.StartsWith("<17>", lines.Single(l => l.Contains(" alert: big trouble")));
        Assert.StartsWith("<22>", lines.Single(l => l.EndsWith(" plain", StringComparison.Ordinal)));
    }
}
