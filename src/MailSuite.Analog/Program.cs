// SPDX-License-Identifier: MIT
// qmail-analog [--since T] [--until T] [--report NAME]... [--svg FILE] [LOG...]: qmailanalog's
// matchup and reports over qmail-send's log (files, .gz too, or standard input), one command.
using System.CommandLine;
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Analog;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-analog");
        var logs = new Argument<string[]>("log") { Description = "qmail-send's log files, oldest first (default: standard input)", Arity = ArgumentArity.ZeroOrMore };
        var since = new Option<string>("--since") { Description = "from this UTC time on (2026-12-03, 2026-12-03T05:00, or 24h, 7d ago)" };
        var until = new Option<string>("--until") { Description = "before this UTC time" };
        var report = new Option<string[]>("--report") { Description = "overall, ddist, senders, recipients, failures, deferrals or all (default: a one-screen summary)" };
        var svg = new Option<string>("--svg") { Description = "also draw messages per hour and the delay distribution into this SVG file" };
        var root = new RootCommand("Statistics from qmail-send's log: qmailanalog's reports and a picture.") { logs, since, until, report, svg };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0) return Usage(parsed.Errors.Select(error => error.Message));
        if (parsed.Action is not null) return parsed.Invoke();   // --help
        try
        {
            DateTime now = DateTime.UtcNow;
            var range = new TimeRange(TimeRange.Parse(parsed.GetValue(since), now), TimeRange.Parse(parsed.GetValue(until), now));
            string[] files = parsed.GetValue(logs) ?? [];
            if (files.FirstOrDefault(f => f.StartsWith('-')) is { } option) return Usage([$"no option {option}"]);
            string[] reports = Expand(parsed.GetValue(report) ?? []);
            if (reports.FirstOrDefault(r => !Reports.Names.Contains(r)) is { } unknown) return Usage([$"no report named {unknown}: {string.Join(", ", Reports.Names)} or all"]);
            return Analyse(files, range, reports, parsed.GetValue(svg));
        }
        catch (FormatException e)
        {
            return Usage([ErrorText.Of(e)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Log.Fatal($"unable to read the log: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    private static int Analyse(string[] files, TimeRange range, string[] reports, string? svg)
    {
        var tally = new Tally(range);
        IEnumerable<string> lines = files.Length == 0 ? StandardInput() : LogLine.Read(files);
        new SendLog().Read(lines, tally.Add, tally.Add);
        var text = new StringBuilder();
        if (reports.Length == 0) Summary.Write(tally, text);
        foreach (string r in reports) Reports.Write(r, tally, text);
        if (svg is not null) File.WriteAllText(svg, SvgChart.Draw(tally));
        using Stream stdout = Fd.OpenWrite(1);
        stdout.Write(Encoding.UTF8.GetBytes(text.ToString()));
        return ExitCodes.Success;
    }

    private static IEnumerable<string> StandardInput()
    {
        using var reader = new StreamReader(Fd.OpenRead(0), Encoding.UTF8);
        while (reader.ReadLine() is { } line) yield return line;
    }

    private static string[] Expand(string[] reports) =>
        reports.SelectMany(r => r == "all" ? Reports.Names : [r]).Distinct().ToArray();

    private static int Usage(IEnumerable<string> problems)
    {
        foreach (string p in problems) Log.Fatal(p);
        Log.Fatal("usage: qmail-analog [--since T] [--until T] [--report NAME]... [--svg FILE] [LOG...]");
        return ExitCodes.Permanent;
    }
}
