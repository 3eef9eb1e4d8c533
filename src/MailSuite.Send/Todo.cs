// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>
/// Preprocessing, state S4 to S5: read todo/n; remove any info/local/remote left by an earlier,
/// interrupted run; write info/n (its mtime is the message's birth), local/n and remote/n with
/// the rewritten recipients, each fsync'd; then have qmail-clean remove todo/n and intd/n.
/// A crash at any point leaves todo/n, so the work is simply done again.
/// </summary>
internal static class Todo
{
    public static QueuedMessage? Process(ulong n, QueueLayout q, Controls c, CleanClient clean)
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
        var info = new StringBuilder();
        EnvelopeRecords.Append(EnvelopeRecords.Append(EnvelopeRecords.Append(info, 'u', uid), 'p', qp), 'F', sender);
        Write(q.Info(n), info.ToString());
        for (int ch = 0; ch < 2; ch++)
        {
            if (recipients[ch].Count == 0) continue;
            Write(Channel.FileOf(q, n, ch), EnvelopeRecords.Recipients(recipients[ch]));
            m[ch].Open = true;   // due at once: NextTry 0
        }

        long bytes = new FileInfo(q.Mess(n)).Length;
        Log.Event($"new msg {n}");
        Log.Event($"info msg {n}: bytes {bytes} from <{sender}> qp {qp} uid {uid}");
        if (!clean.Request($"todo/{n}")) Log.Warning($"qmail-clean unable to clean up todo/{n}");
        return m;
    }

    private static void Write(string path, string content)
    {
        using var f = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        f.Write(Encoding.Latin1.GetBytes(content));
        f.Flush(flushToDisk: true);
    }
}
