// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Clean;

/// <summary>
/// qmail-clean's protocol: a request "foop/n" NUL removes intd/n and mess/S/n (a finished
/// message), "todo/n" NUL removes intd/n and todo/n (a preprocessed one). Each gets one byte: '+'
/// done, '!' an unlink failed for another reason than "no such file", 'x' a malformed request.
/// Every 30 requests, pid/ files older than 36 hours (left by a crashed qmail-queue) go too.
/// qmail-clean exists so that qmail-send, which runs as qmails, never needs qmailq's rights.
/// </summary>
internal sealed class Cleaner(QueueLayout queue, Stream requests, Stream answers)
{
    private const int PidSweepEvery = 30;
    private static readonly TimeSpan Ossified = TimeSpan.FromHours(36);

    public void Run()
    {
        byte[] buffer = new byte[4096];
        var request = new StringBuilder();
        int handled = 0;
        int got;
        while ((got = requests.Read(buffer)) > 0)
        {
            for (int i = 0; i < got; i++)
            {
                if (buffer[i] != 0)
                {
                    if (request.Length < 100) request.Append((char)buffer[i]);
                    continue;
                }
                answers.WriteByte(Handle(request.ToString()));
                request.Clear();
                if (++handled % PidSweepEvery == 0) SweepPid();
            }
            IdleMemory.Touch();
        }
    }

    private byte Handle(string request)
    {
        string[] parts = request.Split('/');
        if (parts.Length != 2 || parts[1].Length == 0 || !parts[1].All(char.IsAsciiDigit) || !ulong.TryParse(parts[1], out ulong n))
            return (byte)'x';
        string? second = parts[0] switch
        {
            "foop" => queue.Mess(n),
            "todo" => queue.Todo(n),
            _ => null,
        };
        if (second is null) return (byte)'x';
        bool ok = Remove(queue.Intd(n)) & Remove(second);
        return (byte)(ok ? '+' : '!');
    }

    private static bool Remove(string path)
    {
        int e = PosixFile.Unlink(path);
        if (e == 0 || e == PosixFile.ENOENT) return true;
        Log.Warning($"unable to unlink {path}: {Errno.Describe(e)}");
        return false;
    }

    private void SweepPid()
    {
        DateTime cutoff = DateTime.UtcNow - Ossified;
        foreach (string file in Directory.EnumerateFiles(Path.Combine(queue.Dir, "pid")))
            if (File.GetLastAccessTimeUtc(file) < cutoff) Remove(file);
    }
}
