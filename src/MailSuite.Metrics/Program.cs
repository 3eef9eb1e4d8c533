// SPDX-License-Identifier: MIT
// qmail-metrics: answers one HTTP GET on fds 0/1 (tcpserver's connection) with the server's
// metrics in Prometheus's text format, then exits. Read-only; runs as qmails.
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Metrics;

internal static class Program
{
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(10);

    private static int Main(string[] args)
    {
        Log.Init("qmail-metrics", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-metrics (under tcpserver; LOGDIR and PIDDIR from the environment)");
            return ExitCodes.Permanent;
        }
        try
        {
            // A client that sends no request in time is dropped: the process ends, tcpserver's slot frees.
            using var deadline = new Timer(_ => Environment.Exit(ExitCodes.Success), null, RequestLimit, Timeout.InfiniteTimeSpan);
            using Stream input = Fd.OpenRead(0);
            (string Method, string Path)? request = HttpRequest.Read(input);
            deadline.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);   // the request is in: the page takes what it takes
            return Send(Answer(request));
        }
        catch (IOException e)
        {
            Log.Warning($"scrape client gone before its request: {ErrorText.Of(e)}");
            return ExitCodes.Success;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    // A client that went away before its answer is nothing to report twice: one line.
    private static int Send(byte[] answer)
    {
        try
        {
            using Stream output = Fd.OpenWrite(1);
            output.Write(answer);
        }
        catch (IOException e)
        {
            Log.Warning($"scrape client gone: {ErrorText.Of(e)}");
        }
        return ExitCodes.Success;
    }

    private static byte[] Answer((string Method, string Path)? request)
    {
        if (request is not { } r) return HttpRequest.Answer(400, "Bad Request", "text/plain", "not an HTTP/1.x request\n");
        if (r.Method != "GET") return HttpRequest.Answer(405, "Method Not Allowed", "text/plain", "only GET\n");
        if (r.Path is not ("/metrics" or "/")) return HttpRequest.Answer(404, "Not Found", "text/plain", "the metrics are at /metrics\n");
        string page = Scrape.Page(QueueLayout.OfThisInstall(), Setting("LOGDIR", "/var/log/mailsuite"), Setting("PIDDIR", "/run/mailsuite"));
        return HttpRequest.Answer(200, "OK", ContentType, page);
    }

    private static string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}
