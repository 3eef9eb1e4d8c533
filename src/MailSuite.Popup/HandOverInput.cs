// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Popup;

/// <summary>
/// The client's socket as qmail-popup reads it: ahead, in blocks of whole lines, but never past
/// the end of a PASS line. fd 0 then goes on to checkpassword and qmail-pop3d, and the commands
/// a client sent together with its login (STAT, QUIT) are theirs to read; qmail 1.03 read ahead
/// and lost them, and the client waited for answers until a timeout. It peeks (MSG_PEEK) to see
/// where the lines end. What is not a socket cannot be peeked at and is read ahead as qmail did:
/// reading it a byte at a time would let a client buy two system calls in this root process with
/// every byte it sends (a 10 MB line cost 16.5 s of CPU that way, 45 ms read ahead).
/// </summary>
internal sealed class HandOverInput(FdStream client) : Stream
{
    private bool peekable = true;
    private bool atLineStart = true;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int? seen = peekable ? client.Peek(buffer) : null;
        if (seen is null)
        {
            peekable = false;
            return client.Read(buffer);
        }
        if (seen == 0) return 0;
        int n = client.Read(buffer[..Take(buffer[..seen.Value])]);
        if (n > 0) atLineStart = buffer[n - 1] == (byte)'\n';
        return n;
    }

    // All that was seen, but no further than the end of the first PASS line in it. A line begun in
    // an earlier read is not known whole, so the read also stops at its end.
    private int Take(ReadOnlySpan<byte> seen)
    {
        bool whole = atLineStart;
        for (int at = 0; at < seen.Length;)
        {
            int newline = seen[at..].IndexOf((byte)'\n');
            if (newline < 0) break;   // a line still coming cannot be past a PASS line's end
            int end = at + newline + 1;
            if (!whole || IsPass(seen[at..end])) return end;
            at = end;
            whole = true;
        }
        return seen.Length;
    }

    // Popup.Run takes the verb up to the first space, in any case. A line that only starts so
    // (PASSWORD...) stops the read too, which costs one more read and nothing else.
    private static bool IsPass(ReadOnlySpan<byte> line) => line.Length >= 4 && Ascii.EqualsIgnoreCase(line[..4], "PASS"u8);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
