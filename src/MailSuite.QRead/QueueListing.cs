// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;
using MailSuite.Mail;

namespace MailSuite.QRead;

/// <summary>
/// qmail-qread's output: per message in info/, "DD Mon YYYY HH:MM:SS GMT  #ID  SIZE  &lt;sender&gt;"
/// (plus " bouncing" when a bounce is pending), then a line per recipient, "\tremote\taddr" or
/// "\tlocal\taddr", led by "  done" once delivered or given up. The date is the message's birth
/// (info's mtime). Messages not yet preprocessed (still in todo/) have no info and are not listed,
/// as in qmail; qmail-qstat counts them.
/// </summary>
internal static class QueueListing
{
    public static void Write(QueueLayout q, Stream output)
    {
        var text = new StringBuilder();
        foreach ((ulong id, string info) in Messages(q))
        {
            byte[] data = File.ReadAllBytes(info);
            string sender = Safe(EnvelopeRecords.Read(data).Where(r => r.Type == 'F').Select(r => r.Value).FirstOrDefault() ?? "?");
            var mess = new FileInfo(q.Mess(id));
            long size = mess.Exists ? mess.Length : 0;
            DateTime born = File.GetLastWriteTimeUtc(info);
            text.Append(born.ToString("d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)).Append(" GMT  #").Append(id)
                .Append("  ").Append(size).Append("  <").Append(sender).Append('>');
            if (File.Exists(q.Bounce(id))) text.Append(" bouncing");
            text.Append('\n');
            Recipients(text, q.Local(id), "local");
            Recipients(text, q.Remote(id), "remote");
        }
        output.Write(Encoding.Latin1.GetBytes(text.ToString()));
    }

    private static IEnumerable<(ulong, string)> Messages(QueueLayout q) =>
        Directory.EnumerateFiles(Path.Combine(q.Dir, "info"), "*", SearchOption.AllDirectories)
            .Select(f => (Id: ulong.TryParse(Path.GetFileName(f), out ulong n) ? n : 0, Path: f))
            .Where(m => m.Id != 0)
            .OrderBy(m => m.Id);

    private static void Recipients(StringBuilder text, string file, string channel)
    {
        if (!File.Exists(file)) return;
        byte[] data = File.ReadAllBytes(file);
        int start = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != 0) continue;
            if (i > start)
            {
                char state = (char)data[start];
                text.Append(state == 'D' ? "  done" : "").Append('\t').Append(channel).Append('\t')
                    .Append(Safe(Encoding.Latin1.GetString(data, start + 1, i - start - 1))).Append('\n');
            }
            start = i + 1;
        }
    }

    private static string Safe(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (char c in s) b.Append(c is >= ' ' and <= '~' ? c : '_');
        return b.ToString();
    }
}
