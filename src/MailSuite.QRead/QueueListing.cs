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
        foreach (QueuedEntry m in QueueSnapshot.Read(q))
        {
            text.Append(m.Birth.ToString("d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)).Append(" GMT  #").Append(m.Id)
                .Append("  ").Append(m.Size).Append("  <").Append(Safe(m.Sender)).Append('>');
            if (m.Bouncing) text.Append(" bouncing");
            text.Append('\n');
            foreach (QueuedAddress r in m.Recipients)
                text.Append(r.Done ? "  done" : "").Append('\t').Append(r.Channel).Append('\t').Append(Safe(r.Address)).Append('\n');
        }
        output.Write(Encoding.Latin1.GetBytes(text.ToString()));
    }

    private static string Safe(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (char c in s) b.Append(c is >= ' ' and <= '~' ? c : '_');
        return b.ToString();
    }
}
