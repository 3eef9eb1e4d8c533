// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Local;

/// <summary>
/// Maildir delivery (maildir(5)): write tmp/UNIQUE with Return-Path, Delivered-To and the
/// message, fsync, link it to new/UNIQUE,S=size,W=wiresize (the sizes POP3 and IMAP servers
/// read from the name), remove the tmp name. The new/ name appears only for a complete, durable file. UNIQUE is time.MusecPpidQcount.host, so two deliveries on one host or
/// on several hosts sharing the Maildir never collide. Any error (a full disk or a quota included)
/// is temporary: the delivery is retried, nothing is lost or truncated.
/// </summary>
internal static class MaildirWriter
{
    private static int count;

    public static void Deliver(string dir, Recipient r, Stream message)
    {
        string tmpDir = Path.Combine(dir, "tmp"), newDir = Path.Combine(dir, "new");
        if (!Directory.Exists(tmpDir) || !Directory.Exists(newDir))
            throw new FailureException(Failure.Temporary("4.2.1", "Unable to chdir to maildir."));
        for (int attempt = 0; attempt < 3; attempt++)
        {
            string unique = UniqueName();
            string tmp = Path.Combine(tmpDir, unique);
            if (TryWrite(tmp, r, message) is not string sizes) continue;
            int linked = PosixFile.Link(tmp, Path.Combine(newDir, unique + sizes));
            _ = PosixFile.Unlink(tmp);
            if (linked == 0) return;
            if (linked != PosixFile.EEXIST)
                throw new FailureException(Failure.Temporary("4.2.1", $"Unable to link tmp/ file to new/: {Errno.Describe(linked)}"));
        }
        throw new FailureException(Failure.Temporary("4.2.1", "Unable to create a unique file in maildir."));
    }

    // The name's size fields (",S=disk,W=wire"), or null if the name is taken; errors while
    // writing remove the file and defer.
    private static string? TryWrite(string tmp, Recipient r, Stream message)
    {
        FileStream file;
        try
        {
            file = new FileStream(tmp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, BufferSize = 65536,
            });
        }
        catch (IOException) when (File.Exists(tmp))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.2.1", $"Unable to open tmp/ file: {ErrorText.Of(e)}"));
        }
        try
        {
            var wire = new WireSize();
            using (file)
            {
                byte[] header = Encoding.Latin1.GetBytes(r.ReturnPath + r.DeliveredTo);
                file.Write(header);
                wire.Add(header);
                message.Position = 0;
                byte[] buffer = new byte[65536];
                int n;
                while ((n = message.Read(buffer)) > 0)
                {
                    file.Write(buffer, 0, n);
                    wire.Add(buffer.AsSpan(0, n));
                }
                file.Flush(flushToDisk: true);
                return WireSize.NameFields(file.Length, wire.Total);
            }
        }
        catch (IOException e)
        {
            File.Delete(tmp);
            throw new FailureException(Failure.Temporary("4.3.0", $"Unable to write maildir: {ErrorText.Of(e)}"));
        }
    }

    private static string UniqueName()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        long usec = now.ToUnixTimeMilliseconds() % 1000 * 1000 + now.Ticks / 10 % 1000;
        string host = Environment.MachineName.Replace("/", "\\057").Replace(":", "\\072");
        return $"{now.ToUnixTimeSeconds()}.M{usec}P{Environment.ProcessId}Q{++count}.{host}";
    }
}
