// SPDX-License-Identifier: MIT
using MailSuite.Mail;

namespace MailSuite.Metrics;

/// <summary>
/// One scrape's page: the queue's gauges, qmail-send's deliveries from LOGDIR/send.log, the
/// servers' counters from LOGDIR/SERVICE.log, and whether each service runs (its PIDDIR/SERVICE.pid
/// names a live process). A log or a queue that cannot be read is left out and said so in
/// mailsuite_log_readable and mailsuite_queue_readable, so a scrape still answers.
/// </summary>
internal static class Scrape
{
    public static readonly string[] Services = ["send", "queued", "authd", "rcptd", "authres", "smtpd", "smtps", "submission", "pop3d", "pop3s", "metrics"];
    private static readonly string[] Servers = ["smtpd", "smtps", "submission", "pop3d", "pop3s"];

    public static string Page(QueueLayout queue, string logDir, string pidDir)
    {
        var o = new Exposition();
        bool queueReadable = TryQueue(queue, o);
        var readable = new Dictionary<string, bool>();
        Deliveries(Path.Combine(logDir, "send.log"), o, readable);
        var logs = new ServiceLogs();
        foreach (string s in Servers) readable[s] = TryRead(Path.Combine(logDir, s + ".log"), lines => logs.Read(s, lines));
        ServerCounters.Write(logs, o);
        o.Family("mailsuite_queue_readable", "gauge", "Whether qmail-metrics could read the queue (1) or not (0: its gauges are left out).")
            .Sample("mailsuite_queue_readable", queueReadable ? 1 : 0);
        o.Family("mailsuite_log_readable", "gauge", "Whether qmail-metrics could read the service's log (1) or not (0).");
        foreach ((string s, bool ok) in readable) o.Sample("mailsuite_log_readable", ok ? 1 : 0, ("service", s));
        o.Family("mailsuite_up", "gauge", "Whether the service runs: its pid file names a live process.");
        foreach (string s in Services) o.Sample("mailsuite_up", Up(pidDir, s) ? 1 : 0, ("service", s));
        return o.ToString();
    }

    private static void Deliveries(string log, Exposition o, Dictionary<string, bool> readable)
    {
        var deliveries = new Dictionary<(string, DeliveryResult), long>();
        long completed = 0;
        readable["send"] = TryRead(log, lines => new SendLog().Read(lines,
            d => deliveries[(d.Channel, d.Result)] = deliveries.GetValueOrDefault((d.Channel, d.Result)) + 1, _ => completed++));
        o.Family("mailsuite_deliveries_total", "counter", "Delivery attempts by channel and result (failure: a bounce; deferral: tried again), from qmail-send's log.");
        foreach (string channel in (string[])["local", "remote"])
            foreach (DeliveryResult r in Enum.GetValues<DeliveryResult>())
                o.Sample("mailsuite_deliveries_total", deliveries.GetValueOrDefault((channel, r)), ("channel", channel), ("result", r.ToString().ToLowerInvariant()));
        o.Family("mailsuite_messages_completed_total", "counter", "Messages that left the queue (end msg), from qmail-send's log.")
            .Sample("mailsuite_messages_completed_total", completed);
    }

    // The queue's gauges, all or none: a queue that cannot be listed leaves no half family behind.
    private static bool TryQueue(QueueLayout queue, Exposition o)
    {
        var gauges = new Exposition();
        try
        {
            QueueGauges.Write(queue, gauges);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        o.Append(gauges);
        return true;
    }

    private static bool TryRead(string log, Action<IEnumerable<string>> read)
    {
        try
        {
            read(LogLine.Read([log]));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Up(string pidDir, string service)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(pidDir, service + ".pid")).Trim(), out int pid) && pid > 0 && Directory.Exists($"/proc/{pid}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
