// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>
/// Preprocessing, state S4 to S5, for a batch of messages (group commit): for each, read todo/n,
/// remove any info/local/remote left by an earlier, interrupted run, and write info/n (its mtime
/// is the message's birth), local/n and remote/n with the rewritten recipients. Then make them
/// all durable at once: one message's files are fsync'd, a batch's are covered by one syncfs.
/// Only then does qmail-clean remove todo/n and intd/n. A crash at any point before that leaves
/// todo/n, so the work is simply done again; no todo/n goes before its files are on disk.
/// </summary>
internal static class Todo
{
    /// <summary>A message whose files are written but not yet durable.</summary>
    internal sealed record Prepared(QueuedMessage Message, List<FileStream> Files, long Bytes, string Qp, string Uid);

    public static Prepared? Prepare(ulong n, QueueLayout q, Controls c)
    {
        byte[] todo;
        try
        {
            todo = File.ReadAllBytes(q.Todo(n));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        var records = EnvelopeRecords.Read(todo).ToList();
        if (records.Any(r => r.Type is not ('u' or 'p' or 'F' or 'T')) || !records.Any(r => r.Type == 'F'))
        {
            Log.Warning($"unknown record type in todo/{n}");
            return null;
        }
        foreach (string stale in (string[])[q.Info(n), q.Local(n), q.Remote(n)]) File.Delete(stale);

        string sender = records.First(r => r.Type == 'F').Value;
        string uid = records.FirstOrDefault(r => r.Type == 'u').Value ?? "?";
        string qp = records.FirstOrDefault(r => r.Type == 'p').Value ?? "?";
        var m = new QueuedMessage { Number = n, Sender = sender, Birth = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        List<string>[] recipients = [[], []];
        foreach ((_, string rcpt) in records.Where(r => r.Type == 'T'))
        {
            Route route = Routing.Classify(rcpt, c.Routing);
            recipients[route.IsLocal ? Channel.Local : Channel.Remote].Add(route.Address);
        }
        var files = new List<FileStream>(3);
        try
        {
            var info = new StringBuilder();
            EnvelopeRecords.Append(EnvelopeRecords.Append(EnvelopeRecords.Append(info, 'u', uid), 'p', qp), 'F', sender);
            files.Add(Write(q.Info(n), info.ToString()));
            for (int ch = 0; ch < 2; ch++)
            {
                if (recipients[ch].Count == 0) continue;
                files.Add(Write(Channel.FileOf(q, n, ch), EnvelopeRecords.Recipients(recipients[ch])));
                m[ch].Open = true;   // due at once: NextTry 0
            }
        }
        catch
        {
            Close(files);
            throw;
        }
        return new Prepared(m, files, new FileInfo(q.Mess(n)).Length, qp, uid);
    }

    /// <summary>
    /// Makes the batch durable, then logs each message as new and has qmail-clean remove its
    /// todo/n. Throws, leaving every todo/n in place, when the files cannot be made durable.
    /// </summary>
    public static void Commit(List<Prepared> batch, QueueLayout q, CleanClient clean)
    {
        try
        {
            if (batch.Count == 1)
                foreach (FileStream f in batch[0].Files) f.Flush(flushToDisk: true);
            else if (batch.Count > 1)
                AtomicFile.SyncFileSystem(q.Dir);
        }
        finally
        {
            foreach (Prepared p in batch) Close(p.Files);
        }
        foreach (Prepared p in batch)
        {
            ulong n = p.Message.Number;
            Log.Event($"new msg {n}");
            Log.Event($"info msg {n}: bytes {p.Bytes} from <{p.Message.Sender}> qp {p.Qp} uid {p.Uid}");
            if (!clean.Request($"todo/{n}")) Log.Warning($"qmail-clean unable to clean up todo/{n}");
        }
    }

    private static FileStream Write(string path, string content)
    {
        var f = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            f.Write(Encoding.Latin1.GetBytes(content));
            f.Flush(flushToDisk: false);
            return f;
        }
        catch
        {
            f.Dispose();
            throw;
        }
    }

    private static void Close(List<FileStream> files)
    {
        foreach (FileStream f in files) f.Dispose();
    }
}
