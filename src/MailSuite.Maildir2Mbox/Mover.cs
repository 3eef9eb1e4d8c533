// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Maildir2Mbox;

/// <summary>
/// qmail's maildir2mbox: the messages of new/ and cur/, oldest first (by the delivery time that
/// starts each name), are appended to a copy of MAIL made in MAILTMP, each with a From line from
/// its Return-Path (MAILER-DAEMON for &lt;&gt;, XXX without one) and its delivery time, quoted as
/// qmail-local quotes mbox mail; MAILTMP is fsync'd and renamed over MAIL under MAIL's flock (a
/// mail reader's lock); only then are the messages removed. A crash at any point leaves every
/// message in the Maildir or in MAIL, and at worst in both.
/// </summary>
internal static class Mover
{
    private static readonly TimeSpan StaleTmp = TimeSpan.FromHours(36);

    public static int Run(string maildir, string mbox, string tmp)
    {
        CleanTmp(maildir);
        List<(long Time, string Path)> messages = Scan(maildir);
        if (messages.Count == 0) return ExitCodes.Success;
        using FileStream lockFile = Open(mbox, FileMode.Append, FileAccess.Write, "lock");
        if (!PosixFile.LockExclusive((int)lockFile.SafeFileHandle.DangerousGetHandle()))
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to lock {mbox}"));
        using (FileStream output = Open(tmp, FileMode.Create, FileAccess.Write, "create"))
        {
            Try(() =>
            {
                using (FileStream old = Open(mbox, FileMode.Open, FileAccess.Read, "read")) old.CopyTo(output);
                foreach ((long time, string path) in messages) Append(output, time, path);
                output.Flush(flushToDisk: true);
            }, $"unable to write to {tmp}");
        }
        Try(() => File.Move(tmp, mbox, overwrite: true), $"unable to move {tmp} to {mbox}");
        foreach ((_, string path) in messages)
            Try(() => File.Delete(path), $"$MAILDIR/{Relative(maildir, path)} will be delivered twice; unable to unlink", warnOnly: true);
        return ExitCodes.Success;
    }

    private static void Append(Stream output, long time, string path)
    {
        using FileStream message = Open(path, FileMode.Open, FileAccess.Read, "read");
        output.Write(Encoding.Latin1.GetBytes(Mbox.FromLine(Sender(message), DateTimeOffset.FromUnixTimeSeconds(time))));
        message.Position = 0;
        Mbox.WriteQuoted(output, message);
    }

    // The first line's Return-Path, as qmail-local wrote it; "XXX" when there is none.
    private static string Sender(Stream message)
    {
        byte[]? first = new LineReader(message).Next();
        string line = first is null ? "" : Encoding.Latin1.GetString(first).TrimEnd('\n');
        return line.StartsWith("Return-Path: <", StringComparison.Ordinal) && line.EndsWith('>') ? line[14..^1] : "XXX";
    }

    // new/ and cur/, dot files aside, by the time each name starts with, then by name.
    private static List<(long, string)> Scan(string maildir)
    {
        var found = new List<(long, string)>();
        foreach (string sub in (string[])["new", "cur"])
            foreach (string path in Try(() => Directory.GetFiles(Path.Combine(maildir, sub)), $"unable to scan $MAILDIR/{sub}"))
            {
                string name = Path.GetFileName(path);
                if (name.StartsWith('.')) continue;
                int dot = name.IndexOf('.', StringComparison.Ordinal);
                found.Add((long.TryParse(dot < 0 ? name : name[..dot], out long t) ? t : 0, path));
            }
        return found.OrderBy(m => m.Item1).ThenBy(m => m.Item2, StringComparer.Ordinal).ToList();
    }

    // What a delivery left in tmp/ more than 36 hours ago is abandoned (maildir(5)).
    private static void CleanTmp(string maildir)
    {
        foreach (string path in Try(() => Directory.GetFiles(Path.Combine(maildir, "tmp")), "unable to scan $MAILDIR/tmp"))
            if (DateTime.UtcNow - File.GetLastAccessTimeUtc(path) > StaleTmp) _ = PosixFile.Unlink(path);
    }

    private static FileStream Open(string path, FileMode mode, FileAccess access, string verb) => Try(() => new FileStream(path, new FileStreamOptions
    {
        Mode = mode, Access = access, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 65536,
        UnixCreateMode = mode == FileMode.Open ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
    }), $"unable to {verb} {path}");

    private static string Relative(string maildir, string path) => Path.GetRelativePath(maildir, path);

    private static T Try<T>(Func<T> step, string what)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"{what}: {ErrorText.Of(e)}"));
        }
    }

    private static void Try(Action step, string what, bool warnOnly = false)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!warnOnly) throw new FailureException(Failure.Temporary("4.3.0", $"{what}: {ErrorText.Of(e)}"));
            Log.Warning($"{what}: {ErrorText.Of(e)}");
        }
    }
}
