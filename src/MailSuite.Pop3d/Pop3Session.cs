// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Pop3d;

/// <summary>
/// The transaction state of POP3 (RFC 1939) as qmail-pop3d keeps it: STAT, LIST, UIDL, TOP,
/// RETR, DELE, LAST, RSET, NOOP, QUIT, plus CAPA. Deletions only mark; QUIT unlinks, so a dropped
/// connection deletes nothing. Replies are queued and sent whole before the next read.
/// </summary>
internal sealed class Pop3Session(LineIo io, Mailbox box)
{
    private readonly IReadOnlyList<Message> messages = box.Messages;
    private int last;

    public int Run()
    {
        io.Reply(Replies.Ok);   // the answer to PASS, which qmail-popup left to us
        while (true)
        {
            string? line = io.ReadLine(out bool tooLong);
            if (line is null) return 0;
            if (tooLong) { io.Reply(Replies.LineTooLong); continue; }
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string verb = words.Length == 0 ? "" : words[0].ToUpperInvariant();
            string[] args = words.Length == 0 ? [] : words[1..];
            if (verb == "QUIT") return Quit();
            Dispatch(verb, args);
        }
    }

    private void Dispatch(string verb, string[] args)
    {
        switch (verb)
        {
            case "STAT": Stat(); break;
            case "LIST": Listing(args, m => m.Size.ToString()); break;
            case "UIDL": Listing(args, m => m.Uid); break;
            case "RETR": Retrieve(args, top: false); break;
            case "TOP": Retrieve(args, top: true); break;
            case "DELE": Delete(args); break;
            case "LAST": io.Reply(Replies.Number(last)); break;
            case "RSET": Reset(); break;
            case "NOOP": io.Reply(Replies.Ok); break;
            case "CAPA": io.Reply(Replies.Capabilities); break;
            default: io.Reply(Replies.Unimplemented); break;
        }
    }

    private void Stat()
    {
        var live = messages.Where(m => !m.Deleted).ToList();
        io.Reply(Replies.Stat(live.Count, live.Sum(m => m.Size)));
    }

    private void Listing(string[] args, Func<Message, string> value)
    {
        if (args.Length > 0)
        {
            if (Find(args[0]) is int n) io.Reply(Replies.Listing(n + 1, value(messages[n])));
            return;
        }
        io.Reply(Replies.Ok);
        for (int i = 0; i < messages.Count; i++)
            if (!messages[i].Deleted) io.Reply($"{i + 1} {value(messages[i])}");
        io.Reply(".");
    }

    private void Retrieve(string[] args, bool top)
    {
        if (args.Length == 0 || (top && args.Length < 2)) { io.Reply(Replies.Syntax); return; }
        if (Find(args[0]) is not int n) return;
        int bodyLines = -1;
        if (top && (!int.TryParse(args[1], out bodyLines) || bodyLines < 0)) { io.Reply(Replies.Syntax); return; }
        Microsoft.Win32.SafeHandles.SafeFileHandle file;
        try
        {
            file = File.OpenHandle(messages[n].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Reply(Replies.UnableToOpen);
            return;
        }
        using (file)
        {
            io.Reply(Replies.Ok);
            WireFormat.Copy(file, io, bodyLines);
        }
    }

    private void Delete(string[] args)
    {
        if (args.Length == 0) { io.Reply(Replies.Syntax); return; }
        if (Find(args[0]) is not int n) return;
        messages[n].Deleted = true;
        last = Math.Max(last, n + 1);
        io.Reply(Replies.Ok);
    }

    private void Reset()
    {
        foreach (Message m in messages) m.Deleted = false;
        last = 0;
        io.Reply(Replies.Ok);
    }

    private int Quit()
    {
        bool allGone = true;
        foreach (Message m in messages)
            if (m.Deleted && PosixFile.Unlink(m.Path) is int rc && rc != 0 && rc != PosixFile.ENOENT) allGone = false;
        io.Reply(allGone ? Replies.Ok : Replies.UnableToUnlink);
        io.Flush();
        return 0;
    }

    // The index of a live message named by a POP3 message number, or null after replying why not.
    private int? Find(string number)
    {
        if (!int.TryParse(number, System.Globalization.NumberStyles.None, null, out int n)) { io.Reply(Replies.Syntax); return null; }
        if (n < 1) { io.Reply(Replies.CountedFromOne); return null; }
        if (n > messages.Count) { io.Reply(Replies.NotThatMany); return null; }
        if (messages[n - 1].Deleted) { io.Reply(Replies.AlreadyDeleted); return null; }
        return n - 1;
    }
}
