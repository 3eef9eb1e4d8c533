// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Local;

/// <summary>
/// mbox delivery as qmail-local makes it: append under an exclusive flock (waiting at most 30
/// seconds), a "From SENDER DATE" line, Return-Path, Delivered-To, the message quoted as
/// <see cref="Mbox"/> says, and a blank line; fsync. On any error the file is cut
/// back to its old length, so a failed delivery leaves no partial message behind.
/// </summary>
internal static class MboxWriter
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    public static void Deliver(string path, Recipient r, Stream message)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, BufferSize = 65536,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.2.1", $"Unable to open {path}: {ErrorText.Of(e)}"));
        }
        using (file)
        {
            Lock(file);
            long oldLength = file.Length;
            try
            {
                file.Position = oldLength;
                Write(file, r, message);
                file.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                file.SetLength(oldLength);
                throw new FailureException(Failure.Temporary("4.3.0", $"Unable to write {path}: {ErrorText.Of(e)}"));
            }
        }
    }

    private static void Lock(FileStream file)
    {
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        DateTime giveUp = DateTime.UtcNow + LockWait;
        while (!PosixFile.TryLockExclusive(fd))
        {
            if (DateTime.UtcNow > giveUp)
                throw new FailureException(Failure.Temporary("4.3.0", "File has been locked for 30 seconds straight."));
            Thread.Sleep(100);
        }
    }

    private static void Write(Stream file, Recipient r, Stream message)
    {
        file.Write(Encoding.Latin1.GetBytes(Mbox.FromLine(r.Sender, DateTimeOffset.UtcNow) + r.ReturnPath + r.DeliveredTo));
        message.Position = 0;
        Mbox.WriteQuoted(file, message);
    }
}
