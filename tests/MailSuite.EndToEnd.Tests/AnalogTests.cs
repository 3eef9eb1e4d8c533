// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MailSuite.EndToEnd.Tests;

// qmail-analog over the log of more than 10,000 deliveries that qmail-send really made: 50
// messages of 200 recipients each to Postfix's smtp-sink, three to an unknown local user (each
// bounced to its sender, a local user), four to a closed port (deferred). The picture is checked
// by reading it back and by librsvg rendering it.
public sealed class AnalogTests : IDisposable
{
    private const int Messages = 50, PerMessage = 200, Senders = 5, Unknown = 3, Deferred = 4;
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly string dump = Directory.CreateTempSubdirectory("analog").FullName;

    public AnalogTests() => Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));

    public void Dispose()
    {
        install.Dispose();
        Directory.Delete(dump, true);
    }

    private void Inject(string from, IEnumerable<string> to) =>
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["-f", from, .. to], stdin: "Subject: stats\n\nbody\n").Exit);

    private string Analog(params string[] args)
    {
        Ran r = Harness.Run(install.Bin("qmail-analog"), args);
        Assert.True(r.Exit == 0, r.Stderr);
        return r.Stdout;
    }

    [Fact]
    public void Reports_and_picture_count_exactly_what_was_delivered()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/smtproutes"), "sink.test:[127.0.0.16]\n" + TempInstall.Unreachable + "\n");
        string log = Path.Combine(dump, "send.log");
        using (Peer.Sink("127.0.0.16", dump))
        using (var service = new MailService(install))
        {
            for (int m = 0; m < Messages; m++) Inject($"s{m % Senders}@example.com", Enumerable.Range(0, PerMessage).Select(i => $"r{i}@sink.test"));
            for (int m = 0; m < Unknown; m++) Inject(ann.Name, ["nosuch"]);
            for (int m = 0; m < Deferred; m++) Inject(ann.Name, [$"x{m}@far.test"]);
            MailService.WaitUntil(() => Regex.Count(service.Log, "delivery \\d+: success") == Messages * PerMessage + Unknown &&
                Regex.Count(service.Log, "delivery \\d+: failure") == Unknown && Regex.Count(service.Log, "delivery \\d+: deferral") == Deferred &&
                Regex.Count(service.Log, "end msg") == Messages + 2 * Unknown, "every delivery and bounce", seconds: 300);
            File.WriteAllText(log, service.Log);
        }
        string svg = Path.Combine(dump, "day.svg");
        string all = Analog("--report", "all", "--svg", svg, log);
        const int successes = Messages * PerMessage + Unknown;
        Assert.Contains($"Completed messages: {Messages + 2 * Unknown}\n", all);
        Assert.Contains($"Total delivery attempts: {successes + Unknown + Deferred}\n", all);
        Assert.Contains($"  success: {successes}\n  failure: {Unknown}\n  deferral: {Deferred}\n", all);
        Assert.Contains($"  remote success: {Messages * PerMessage}\n", all);
        Assert.Contains($"  local success: {Unknown}\n", all);   // the bounces, to ann
        Assert.Matches($@"\n {{8}}10 +\d+ +{10 * PerMessage}  <s0@example\.com>\n", all);   // zsenders: 10 messages, 2,000 attempts
        Assert.Matches($@"\n {{8}}{Messages} +0 +0 +\d+  r0@sink\.test\n", all);           // zrecipients
        Assert.Matches($@"Reasons for failure\n\n +count  reason\n {{9}}{Unknown}  Sorry,_no_mailbox_here_by_that_name", all);
        Assert.Matches($@"Reasons for deferral\n\n +count  reason\n {{9}}{Deferred}  Sorry,_I_wasn't_able_to_establish", all);
        Assert.Contains("100.00%  >1d\n", all);   // zddist ends at everything

        XElement root = XElement.Load(svg);
        Assert.Equal("{http://www.w3.org/2000/svg}svg", root.Name.ToString());
        Assert.Equal(Messages + 2 * Unknown, Series(root, "messages-per-hour").Sum());
        Assert.Equal(successes, Series(root, "deliveries-per-hour").Sum());
        Assert.Equal(successes, Series(root, "delay-distribution").Sum());
        string png = Path.Combine(dump, "day.png");
        Harness.Ok("rsvg-convert", "-o", png, svg);
        Assert.Equal("\x89PNG\r\n\x1a\n", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(png), 0, 8));

        string summary = Analog(log);
        Assert.Contains($"  remote  success {Messages * PerMessage}  failure 0  deferral {Deferred}\n", summary);
        Assert.Contains($"messages completed: {Messages + 2 * Unknown} (", summary);
        string future = Analog("--since", DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd"), log);
        Assert.Contains("messages completed: 0 (0 bytes); delivery attempts: 0\n", future);
        Assert.Equal(100, Harness.Run(install.Bin("qmail-analog"), ["--report", "nosuch", log]).Exit);
    }

    private static IEnumerable<long> Series(XElement svg, string id) =>
        svg.Descendants().Single(e => (string?)e.Attribute("id") == id).Elements().Select(e => (long)e.Attribute("data-count")!);
}
