// SPDX-License-Identifier: MIT
using MailSuite.Common;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Mail;

/// <summary>
/// qmail-queue's steps, in qmail's order (INTERNALS): create pid/PID.TIME.SEQ; its inode number
/// is the message number n; link it to mess/S/n and unlink the pid name; write the Received line
/// and the message, fsync; create intd/n with the envelope, fsync; link intd/n to todo/n (the
/// commit point); pull the trigger. On any failure before the commit, what was created is
/// truncated and unlinked, so nothing half-written stays (what a crash leaves, qmail-send and
/// qmail-clean remove after 36 hours). qmail-queue runs it once; qmail-queued once per client,
/// several at a time, each with a pid-file name of its own.
/// </summary>
/// <param name="queue">The queue.</param>
/// <param name="message">The caller's message.</param>
/// <param name="openEnvelope">The caller's envelope, opened once the message is safe on disk.</param>
/// <param name="callerUid">The caller's real uid, by the kernel's word.</param>
/// <param name="pid">The pid for the Received line and the p record: the queuing process's.</param>
/// <param name="pidName">The start of the pid/ file's name ("PID" for qmail-queue), unique among concurrent injections.</param>
public sealed class QueueInjector(QueueLayout queue, Stream message, Func<Stream> openEnvelope, uint callerUid, int pid, string pidName)
{
    private const int PidAttempts = 9;
    private string? messPath;
    private string? intdPath;

    /// <summary>Queues the message; qmail-queue's exit code (0 only once todo/n exists and everything is fsync'd).</summary>
    public int Run()
    {
        try
        {
            int code = Queue();
            if (code != QqExit.Ok) CleanUp();
            return code;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Log.Warning(ErrorText.Of(e));
            CleanUp();
            return e is QueueReadException or InvalidDataException ? QqExit.ReadError : QqExit.WriteError;
        }
    }

    private int Queue()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using FileStream? mess = CreatePidFile(now, out string pidPath);
        if (mess is null) return QqExit.PidTrouble;
        ulong n = PosixFile.Inode(mess.SafeFileHandle);
        messPath = queue.Mess(n);
        if (PosixFile.Link(pidPath, messPath) != 0)
        {
            _ = PosixFile.Unlink(pidPath);
            return QqExit.MessTrouble;
        }
        if (PosixFile.Unlink(pidPath) != 0) return QqExit.PidTrouble;

        mess.Write(ReceivedLine.For(pid, callerUid, now));
        CopyMessage(mess);
        mess.Flush(flushToDisk: true);

        intdPath = queue.Intd(n);
        using FileStream? intd = CreateExclusive(intdPath);
        if (intd is null) return QqExit.IntdTrouble;
        int envelopeCode = EnvelopeCopy.Run(OpenEnvelope(), intd, callerUid, pid);
        if (envelopeCode != QqExit.Ok) return envelopeCode;
        intd.Flush(flushToDisk: true);

        if (PosixFile.Link(intdPath, queue.Todo(n)) != 0) return QqExit.TodoTrouble;
        intdPath = null;
        messPath = null;   // committed: from here on the message belongs to qmail-send
        queue.PullTrigger();
        return QqExit.Ok;
    }

    private Stream OpenEnvelope()
    {
        try
        {
            return openEnvelope();
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new QueueReadException(ErrorText.Of(e));
        }
    }

    private FileStream? CreatePidFile(DateTimeOffset now, out string pidPath)
    {
        for (int attempt = 0; ; attempt++)
        {
            pidPath = queue.Pid($"{pidName}.{now.ToUnixTimeSeconds()}.{attempt}");
            if (CreateExclusive(pidPath) is { } stream) return stream;
            // Only a name still in use is worth waiting for; anything else will not get better.
            if (attempt == PidAttempts || !File.Exists(pidPath)) return null;
            Thread.Sleep(TimeSpan.FromSeconds(2));
        }
    }

    private static FileStream? CreateExclusive(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite | FileShare.Delete,   // no emulated flock: nobody else opens it
                UnixCreateMode = (UnixFileMode)Convert.ToInt32("644", 8),
                BufferSize = 65536,
            });
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void CopyMessage(FileStream mess)
    {
        byte[] buffer = new byte[65536];
        while (true)
        {
            int got;
            try
            {
                got = message.Read(buffer);
            }
            catch (IOException e)
            {
                throw new QueueReadException(ErrorText.Of(e));
            }
            if (got == 0) return;
            mess.Write(buffer, 0, got);
        }
    }

    // Truncate before unlinking: a reader that already opened the file sees nothing, as in qmail.
    private void CleanUp()
    {
        foreach (string? path in (string?[])[intdPath, messPath])
        {
            if (path is null) continue;
            try
            {
                using (SafeFileHandle h = File.OpenHandle(path, FileMode.Open, FileAccess.Write)) RandomAccess.SetLength(h, 0);
                File.Delete(path);
            }
            catch (IOException)
            {
                // Left for qmail-send's 36-hour cleanup.
            }
        }
    }
}

/// <summary>Reading the caller's message or envelope failed: exit 54, not 53.</summary>
public sealed class QueueReadException(string message) : IOException(message);
