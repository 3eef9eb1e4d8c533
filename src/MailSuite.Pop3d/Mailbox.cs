// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Pop3d;

/// <summary>One message as the session sees it: where it is, its name for UIDL, its size as RETR sends it.</summary>
internal sealed class Message(string path, string uid, long size)
{
    public string Path { get; } = path;
    public string Uid { get; } = uid;
    public long Size { get; } = size;
    public bool Deleted { get; set; }
}

/// <summary>
/// The Maildir at login: stale tmp/ files cleaned (36 hours, maildir(5)), new/ moved to cur/ with
/// ":2," as maildir(5) says a reader does, then every message of cur/ in delivery order (mtime,
/// then name). Mail that arrives later is left for the next session; nothing is locked, since a
/// Maildir needs no locks. Sizes are RFC 1939's, the octets with CRLF line ends: from the name's
/// W= field when qmail-local (or Dovecot) wrote one, else counted once from the file.
/// </summary>
internal sealed class Mailbox
{
    private static readonly TimeSpan StaleTmp = TimeSpan.FromHours(36);

    public IReadOnlyList<Message> Messages { get; }

    private Mailbox(List<Message> messages) => Messages = messages;

    public static Mailbox? Open(string maildir)
    {
        try
        {
            Directory.SetCurrentDirectory(maildir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        CleanTmp();
        MoveNewToCur();
        var messages = new DirectoryInfo("cur").EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.'))
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new Message("cur/" + f.Name, UidOf(f.Name), WireSize.FromName(f.Name) ?? Count(f)))
            .ToList();
        return new Mailbox(messages);
    }

    // A message without W= in its name (written by another program): read once to count.
    private static long Count(FileInfo f)
    {
        var size = new WireSize();
        byte[] buffer = new byte[65536];
        try
        {
            using FileStream s = f.OpenRead();
            int n;
            while ((n = s.Read(buffer)) > 0) size.Add(buffer.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return f.Length;   // RETR will fail on it the same way; LIST shows what the disk says
        }
        return size.Total;
    }

    // The unique name, without the info after ':' that readers may change.
    private static string UidOf(string name) => name.IndexOf(':') is int colon and >= 0 ? name[..colon] : name;

    private static void CleanTmp()
    {
        DateTime cutoff = DateTime.UtcNow - StaleTmp;
        foreach (FileInfo f in SafeList("tmp"))
            if (f.LastAccessTimeUtc < cutoff && f.LastWriteTimeUtc < cutoff) _ = PosixFile.Unlink(f.FullName);
    }

    private static void MoveNewToCur()
    {
        foreach (FileInfo f in SafeList("new"))
        {
            if (f.Name.StartsWith('.')) continue;
            try
            {
                File.Move(f.FullName, System.IO.Path.Combine("cur", UidOf(f.Name) + ":2,"), overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another session took it first, or cur/ is not ours: it stays where it is.
            }
        }
    }

    private static List<FileInfo> SafeList(string dir)
    {
        try
        {
            return new DirectoryInfo(dir).EnumerateFiles().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
