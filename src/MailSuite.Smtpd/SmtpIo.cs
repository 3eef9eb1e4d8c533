// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Smtpd;

/// <summary>
/// The connection as qmail-smtpd uses it: replies are collected and sent in one write just
/// before the next read would block, which is what makes PIPELINING work and keeps small
/// writes off the wire; input is read in blocks and handed out as lines or bytes.
/// </summary>
internal sealed class SmtpIo(Stream input, Stream output)
{
    public const int MaxLine = 4096;
    private readonly byte[] buffer = new byte[16384];
    private byte[] pending = new byte[4096];
    private int pendingLength;
    private int start;
    private int end;

    public void Reply(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\r\n");
        if (pendingLength + bytes.Length > pending.Length) Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingLength + bytes.Length));
        bytes.CopyTo(pending, pendingLength);
        pendingLength += bytes.Length;
    }

    public void Flush()
    {
        if (pendingLength == 0) return;
        output.Write(pending, 0, pendingLength);
        output.Flush();
        pendingLength = 0;
    }

    /// <summary>The next byte, or -1 at end of input.</summary>
    public int ReadByte()
    {
        if (start == end && !Fill()) return -1;
        return buffer[start++];
    }

    /// <summary>
    /// A command line without its CRLF (or bare LF), as Latin-1 text; null at end of input;
    /// TooLong when longer than MaxLine (the rest of the line is discarded).
    /// </summary>
    public string? ReadLine(out bool tooLong)
    {
        tooLong = false;
        var line = new StringBuilder();
        while (true)
        {
            int c = ReadByte();
            if (c < 0) return line.Length > 0 ? line.ToString() : null;
            if (c == '\n') break;
            if (line.Length < MaxLine) line.Append((char)c);
            else tooLong = true;
        }
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        return line.ToString();
    }

    /// <summary>Throws away what the client already sent: after STARTTLS, or before closing on an error.</summary>
    public void DiscardBuffered() => start = end;

    private bool Fill()
    {
        Flush();
        start = 0;
        end = input.Read(buffer);
        return end > 0;
    }
}
