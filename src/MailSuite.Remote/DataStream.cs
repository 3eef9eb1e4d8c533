// SPDX-License-Identifier: MIT
namespace MailSuite.Remote;

/// <summary>
/// Bytes written here go to the peer as SMTP DATA: every line end becomes CRLF — LF, CRLF and a
/// bare CR alike, so no bare CR or LF ever leaves here (we can never be the sending half of SMTP
/// smuggling) — a leading '.' is doubled, and <see cref="Finish"/> ends the data with CRLF "." CRLF.
/// </summary>
internal sealed class DataStream(Stream output) : Stream
{
    private readonly MemoryStream buffer = new(140000);
    private bool lineStart = true, pendingCr;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (pendingCr)
            {
                pendingCr = false;
                EndLine();
                if (b == '\n') continue;   // CRLF: one line end
            }
            if (b == '\r') { pendingCr = true; continue; }
            if (b == '\n') { EndLine(); continue; }
            if (lineStart && b == '.') buffer.WriteByte((byte)'.');
            buffer.WriteByte(b);
            lineStart = false;
        }
        if (buffer.Length >= 65536) Drain();
    }

    /// <summary>Ends the last line if it was open, then the data.</summary>
    public void Finish()
    {
        if (pendingCr) { pendingCr = false; EndLine(); }
        if (!lineStart) EndLine();
        buffer.Write(".\r\n"u8);
        Drain();
    }

    public override void Flush()
    {
        // Nothing to do before Finish: the data is one unit for the peer.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void EndLine()
    {
        buffer.Write("\r\n"u8);
        lineStart = true;
    }

    private void Drain()
    {
        output.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        buffer.SetLength(0);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) buffer.Dispose();
        base.Dispose(disposing);
    }
}
