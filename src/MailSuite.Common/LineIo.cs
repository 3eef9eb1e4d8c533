// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// A line-oriented connection (SMTP, POP3): replies are collected and sent in one write just
/// before the next read would block, which is what makes PIPELINING work and keeps small
/// writes off the wire (Nagle against many small writes costs seconds per megabyte); input is
/// read in blocks and handed out as lines or bytes.
/// </summary>
public sealed class LineIo(Stream input, Stream output)
{
    /// <summary>The longest command line accepted.</summary>
    public const int MaxLine = 4096;

    // Replies larger than this go out without waiting for the next read (a RETR of a big message).
    private const int FlushAt = 65536;
    private readonly byte[] buffer = new byte[16384];
    private byte[] pending = new byte[8192];
    private int pendingLength;
    private int start;
    private int end;
    private Stream input = input;
    private Stream output = output;

    /// <summary>Queues one reply line; CRLF is added.</summary>
    public void Reply(string line)
    {
        Write(Encoding.ASCII.GetBytes(line));
        Write("\r\n"u8);
    }

    /// <summary>Queues raw bytes, writing out when enough have piled up.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (pendingLength + bytes.Length > pending.Length)
            Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingLength + bytes.Length));
        bytes.CopyTo(pending.AsSpan(pendingLength));
        pendingLength += bytes.Length;
        if (pendingLength >= FlushAt) Flush();
    }

    /// <summary>A last reply before closing (a timeout, an internal error): sent if the peer is still there.</summary>
    public void TryReply(string line)
    {
        try
        {
            Reply(line);
            Flush();
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // Nobody left to tell.
        }
    }

    /// <summary>Sends everything queued, in one write.</summary>
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
    /// tooLong when longer than MaxLine. The rest of a long line is read and discarded, so the
    /// conversation can go on; with stopAtLimit it is left unread, for a caller that closes
    /// instead and should not pay for reading what a client may send without end.
    /// </summary>
    public string? ReadLine(out bool tooLong, bool stopAtLimit = false)
    {
        tooLong = false;
        var line = new StringBuilder();
        while (true)
        {
            int c = ReadByte();
            if (c < 0) return line.Length > 0 ? line.ToString() : null;
            if (c == '\n') break;
            if (line.Length < MaxLine)
            {
                line.Append((char)c);
                continue;
            }
            tooLong = true;
            if (stopAtLimit) return line.ToString();
        }
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        return line.ToString();
    }

    /// <summary>Throws away what the client already sent: after STARTTLS, or before closing on an error.</summary>
    public void DiscardBuffered() => start = end;

    /// <summary>
    /// Continues over other streams (a TLS session after STARTTLS). Anything the client sent
    /// before is discarded, so nothing injected in clear can pass for a command inside TLS.
    /// </summary>
    public void SwitchTo(Stream newInput, Stream newOutput)
    {
        Flush();
        DiscardBuffered();
        input = newInput;
        output = newOutput;
    }

    private bool Fill()
    {
        Flush();
        start = 0;
        end = input.Read(buffer);
        return end > 0;
    }
}
