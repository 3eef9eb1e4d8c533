// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QCtl;

/// <summary>
/// list's output: per message "ID  AGE  SIZE  STATE  &lt;sender&gt;", STATE one of queued, held,
/// bouncing (a bounce waits to be sent) or todo (not yet preprocessed); then a line per
/// recipient, "\tlocal\taddress", led by "  done" once delivered or given up; last a count.
/// Unprintable bytes show as '_': a listing cannot carry a terminal escape from a sender.
/// </summary>
internal static class Listing
{
    public static int Write(IEnumerable<QueuedEntry> messages)
    {
        var text = new StringBuilder();
        int count = 0;
        foreach (QueuedEntry m in messages)
        {
            count++;
            text.Append(m.Id).Append("  ").Append(Age(DateTime.UtcNow - m.Birth)).Append("  ").Append(m.Size).Append("  ")
                .Append(State(m)).Append("  <").Append(Safe(m.Sender)).Append(">\n");
            foreach (QueuedAddress r in m.Recipients)
                text.Append(r.Done ? "  done" : "").Append('\t').Append(r.Channel).Append('\t').Append(Safe(r.Address)).Append('\n');
        }
        text.Append(count).Append(" message(s)\n");
        using Stream stdout = Fd.OpenWrite(1);
        stdout.Write(Encoding.UTF8.GetBytes(text.ToString()));
        return ExitCodes.Success;
    }

    private static string State(QueuedEntry m) =>
        !m.Preprocessed ? "todo" : m.Held ? "held" : m.Bouncing ? "bouncing" : "queued";

    // 45s, 12m, 3h05m, 2d07h: enough to see what is stuck.
    private static string Age(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        return t.TotalMinutes < 1 ? $"{(int)t.TotalSeconds}s"
            : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m"
            : t.TotalDays < 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
            : $"{(int)t.TotalDays}d{t.Hours:00}h";
    }

    private static string Safe(string s) => new(s.Select(c => c is >= ' ' and <= '~' ? c : '_').ToArray());
}
