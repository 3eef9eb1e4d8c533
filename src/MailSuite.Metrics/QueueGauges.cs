// SPDX-License-Identifier: MIT
using MailSuite.Mail;

namespace MailSuite.Metrics;

/// <summary>
/// The queue by state, from directory listings and file times only (a scrape never reads a
/// message): messages in the queue (mess/, qmail-qstat's first line), not yet preprocessed
/// (todo/, its second), held by the postmaster (an open channel file whose mtime says so),
/// with a bounce pending (bounce/), and the age of the oldest message.
/// </summary>
internal static class QueueGauges
{
    public static void Write(QueueLayout q, Exposition o)
    {
        var mess = Files(Path.Combine(q.Dir, "mess"), SearchOption.AllDirectories);
        long oldest = mess.Count == 0 ? 0 : (long)(DateTime.UtcNow - mess.Min(f => File.GetLastWriteTimeUtc(f))).TotalSeconds;
        o.Family("mailsuite_queue_messages", "gauge", "Messages in the queue (qmail-qstat's first line).")
            .Sample("mailsuite_queue_messages", mess.Count);
        o.Family("mailsuite_queue_unpreprocessed_messages", "gauge", "Messages not yet preprocessed by qmail-send (todo/, qmail-qstat's second line).")
            .Sample("mailsuite_queue_unpreprocessed_messages", Files(Path.Combine(q.Dir, "todo"), SearchOption.TopDirectoryOnly).Count);
        o.Family("mailsuite_queue_held_messages", "gauge", "Messages held by the postmaster (qmail-qctl hold).")
            .Sample("mailsuite_queue_held_messages", Held(q));
        o.Family("mailsuite_queue_bouncing_messages", "gauge", "Messages with a bounce waiting to be sent.")
            .Sample("mailsuite_queue_bouncing_messages", Files(Path.Combine(q.Dir, "bounce"), SearchOption.TopDirectoryOnly).Count);
        o.Family("mailsuite_queue_oldest_message_age_seconds", "gauge", "Age of the oldest message in the queue (0 when it is empty).")
            .Sample("mailsuite_queue_oldest_message_age_seconds", Math.Max(0, oldest));
    }

    private static List<string> Files(string dir, SearchOption depth) =>
        Directory.EnumerateFiles(dir, "*", depth).Where(f => ulong.TryParse(Path.GetFileName(f), out _)).ToList();

    private static int Held(QueueLayout q) =>
        Files(Path.Combine(q.Dir, "info"), SearchOption.AllDirectories)
            .Select(f => ulong.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture))
            .Count(n => IsHeld(q.Local(n)) || IsHeld(q.Remote(n)));

    private static bool IsHeld(string channelFile)
    {
        var f = new FileInfo(channelFile);
        return f.Exists && QueueManagement.IsHeld(new DateTimeOffset(f.LastWriteTimeUtc).ToUnixTimeSeconds());
    }
}
