// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail;

/// <summary>One recipient as its channel file has it: done ('D') or still to do ('T').</summary>
public sealed record QueuedAddress(string Channel, string Address, bool Done);

/// <summary>
/// A message as the queue's files describe it, read without qmail-send's help: its number,
/// sender, birth (info's mtime, or mess's while it waits in todo/), size, recipients, whether a
/// bounce is pending and whether it is held.
/// </summary>
public sealed record QueuedEntry(ulong Id, string Sender, DateTime Birth, long Size, IReadOnlyList<QueuedAddress> Recipients,
    bool Preprocessed, bool Bouncing, bool Held)
{
    /// <summary>Recipients not yet done.</summary>
    public IEnumerable<QueuedAddress> Pending => Recipients.Where(r => !r.Done);
}

/// <summary>Reads the queue's messages (qmail-qread, qmail-qctl). A file that vanishes while it is read (a message just finished) drops that message.</summary>
public static class QueueSnapshot
{
    /// <summary>Every message in info/, by number; with <paramref name="withTodo"/>, those still in todo/ too.</summary>
    public static List<QueuedEntry> Read(QueueLayout q, bool withTodo = false)
    {
        var entries = new List<QueuedEntry>();
        foreach (ulong id in Numbers(Path.Combine(q.Dir, "info"), SearchOption.AllDirectories))
            if (Preprocessed(q, id) is { } e) entries.Add(e);
        if (withTodo)
            foreach (ulong id in Numbers(Path.Combine(q.Dir, "todo"), SearchOption.TopDirectoryOnly))
                if (Waiting(q, id) is { } e) entries.Add(e);
        return entries.OrderBy(e => e.Id).ToList();
    }

    private static IEnumerable<ulong> Numbers(string dir, SearchOption depth) =>
        Directory.EnumerateFiles(dir, "*", depth)
            .Select(f => ulong.TryParse(Path.GetFileName(f), out ulong n) ? n : 0)
            .Where(n => n != 0);

    private static QueuedEntry? Preprocessed(QueueLayout q, ulong id)
    {
        try
        {
            string sender = SenderOf(File.ReadAllBytes(q.Info(id)));
            var recipients = new List<QueuedAddress>();
            bool held = Channel(q.Local(id), "local", recipients) | Channel(q.Remote(id), "remote", recipients);
            return new QueuedEntry(id, sender, File.GetLastWriteTimeUtc(q.Info(id)), SizeOf(q.Mess(id)), recipients,
                Preprocessed: true, Bouncing: File.Exists(q.Bounce(id)), Held: held);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    // In todo/: the envelope as qmail-queue wrote it ('T' records are the recipients, none done).
    private static QueuedEntry? Waiting(QueueLayout q, ulong id)
    {
        try
        {
            var records = EnvelopeRecords.Read(File.ReadAllBytes(q.Todo(id))).ToList();
            var recipients = records.Where(r => r.Type == 'T').Select(r => new QueuedAddress("todo", r.Value, false)).ToList();
            return new QueuedEntry(id, SenderOf(records), File.GetLastWriteTimeUtc(q.Mess(id)), SizeOf(q.Mess(id)), recipients,
                Preprocessed: false, Bouncing: false, Held: false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static string SenderOf(byte[] info) => SenderOf(EnvelopeRecords.Read(info));

    private static string SenderOf(IEnumerable<(char Type, string Value)> records) =>
        records.Where(r => r.Type == 'F').Select(r => r.Value).FirstOrDefault() ?? "?";

    private static long SizeOf(string mess)
    {
        var f = new FileInfo(mess);
        return f.Exists ? f.Length : 0;
    }

    // The file's recipients in order; true when the channel is held (an open channel whose mtime says so).
    private static bool Channel(string file, string channel, List<QueuedAddress> into)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        int start = 0;
        bool open = false;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            if (i > start)
            {
                bool done = data[start] == 'D';
                open |= !done;
                into.Add(new QueuedAddress(channel, Encoding.Latin1.GetString(data, start + 1, i - start - 1), done));
            }
            start = i + 1;
        }
        long mtime = new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeSeconds();
        return open && QueueManagement.IsHeld(mtime);
    }
}
