// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>
/// qmail-remote -s host: qmail-rspawn's connection reuse. Requests come on fd 0, one after
/// another, each <c>M</c>path of the queued message NUL, then qmail-queue's envelope for it
/// (<c>F</c>sender NUL, <c>T</c>recipient NUL for one or more, a closing NUL); each gets qmail-remote's usual
/// results on fd 1 (r/h/s per recipient, then K/Z/D). The connection the last transaction left in
/// step carries the next message (RSET first); at the end of fd 0 it is QUIT. Addresses are the
/// queue's bytes, Latin-1 here as everywhere inside.
/// </summary>
internal static class Sessions
{
    // qmail-rspawn is the only writer; the bounds keep a broken one from growing memory.
    private const int FieldMax = 1 << 20;
    private const int RecipientsMax = 100_000;

    public static int Serve(string host)
    {
        using var requests = new BufferedStream(Fd.OpenRead(0), 65536);
        Connection? open = null;
        try
        {
            while (Next(requests) is { } r)
            {
                using FileStream? message = OpenMessage(r.Path, out string? why);
                open = message is null ? Refuse(why!, open) : Program.DeliverOne(host, r.Sender, [.. r.Recipients], message, open);
            }
            open?.Quit();
            return ExitCodes.Success;
        }
        catch (FormatException e)
        {
            open?.Dispose();
            Log.Fatal($"bad request from qmail-rspawn: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
    }

    private sealed record Request(string Path, string Sender, List<string> Recipients);

    private static Request? Next(Stream input)
    {
        string? path = null, sender = null;
        var recipients = new List<string>();
        while (Field(input) is { } field)
        {
            if (field.Length == 0)
            {
                if (path is null || sender is null || recipients.Count == 0) throw new FormatException("a request without a file, a sender or a recipient");
                return new Request(path, sender, recipients);
            }
            switch (field[0])
            {
                case 'M': path = field[1..]; break;
                case 'F': sender = field[1..]; break;
                case 'T' when recipients.Count < RecipientsMax: recipients.Add(field[1..]); break;
                default: throw new FormatException($"an unknown or surplus field ({field[0]})");
            }
        }
        if (path is not null || sender is not null || recipients.Count > 0) throw new FormatException("a request cut short");
        return null;
    }

    // One NUL-terminated field; null at the end of input before any byte of it.
    private static string? Field(Stream input)
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = input.ReadByte();
            if (b < 0) return bytes.Count == 0 ? null : throw new FormatException("a field cut short");
            if (b == 0) return Encoding.Latin1.GetString(bytes.ToArray());
            if (bytes.Count == FieldMax) throw new FormatException($"a field of more than {FieldMax} bytes");
            bytes.Add((byte)b);
        }
    }

    // The results still go out when the file cannot be opened: qmail-rspawn waits for them.
    private static FileStream? OpenMessage(string path, out string? why)
    {
        why = null;
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"Unable to read message {path}: {ErrorText.Of(e)} (#4.3.0)";
            return null;
        }
    }

    private static Connection? Refuse(string why, Connection? open)
    {
        new Results(Fd.OpenWrite(1)).Final('Z', why);
        return open;
    }
}
