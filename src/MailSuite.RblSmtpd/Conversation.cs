// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.RblSmtpd;

/// <summary>
/// The limited SMTP conversation with a refused client (ucspi-tcp 0.88's): "220 rblsmtpd.local",
/// 250 to HELO, EHLO, MAIL, RSET and NOOP, 221 to QUIT, the refusal to anything else, until the
/// client quits, hangs up or runs out of time. A command is the line's first word (up to a space,
/// without the line's CR; a NUL is part of it), in any case. Memory is bounded: only a line's first bytes are
/// kept, however long it is.
/// </summary>
internal sealed class Conversation(LineIo io, byte[] refusal)
{
    private const int Kept = 16;   // longer than any command word; the rest of a line only needs counting
    private static readonly string[] Accepted = ["helo", "ehlo", "mail", "rset", "noop"];

    public void Run()
    {
        io.Reply("220 rblsmtpd.local");
        while (NextCommand() is string verb && Answer(verb)) { }
        io.Flush();   // replies wait while the client's next command is already here (pipelining)
    }

    // Queues the reply to one command; false after QUIT.
    private bool Answer(string verb)
    {
        if (verb == "quit")
        {
            io.Reply("221 rblsmtpd.local");
            return false;
        }
        if (Accepted.Contains(verb)) io.Reply("250 rblsmtpd.local");
        else
        {
            io.Write(refusal);
            io.Write("\r\n"u8);
        }
        return true;
    }

    // The command word of the next whole line, lower case; null at end of input (a last line
    // without its LF is not a command, as in ucspi-tcp).
    private string? NextCommand()
    {
        Span<byte> head = stackalloc byte[Kept + 1];
        int length = 0;
        while (true)
        {
            int c = io.ReadByte();
            if (c < 0) return null;
            if (c == '\n') break;
            if (length < head.Length) head[length] = (byte)c;
            length++;
        }
        int kept = Math.Min(length, head.Length);
        if (length > 0 && length <= head.Length && head[length - 1] == '\r') kept--;
        int end = head[..kept].IndexOf((byte)' ');
        if (end < 0 && length > Kept) return "";   // a word longer than any command
        return AsciiCase.Lower(Encoding.Latin1.GetString(head[..(end < 0 ? kept : end)]));
    }
}
