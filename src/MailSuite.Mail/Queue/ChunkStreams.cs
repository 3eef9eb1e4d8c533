// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>
/// The message side of a queue socket's client: pieces of at most MaxChunk bytes, ended by
/// <see cref="Finish"/>. Like qmail's qmail_put, a write the service no longer takes is dropped
/// and remembered, so the client reads the rest of its input and learns of it at the end.
/// </summary>
internal sealed class ChunkWriterStream(Stream socket) : Stream
{
    private readonly byte[] piece = new byte[QueueSocket.MaxChunk];
    private int used;
    private bool broken;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, piece.Length - used);
            buffer[..n].CopyTo(piece.AsSpan(used));
            used += n;
            buffer = buffer[n..];
            if (used == piece.Length) Flush();
        }
    }

    public override void Flush()
    {
        if (used == 0) return;
        try
        {
            if (!broken) Netstring.Write(socket, piece.AsSpan(0, used));
        }
        catch (IOException)
        {
            broken = true;
        }
        used = 0;
    }

    /// <summary>The last piece and the empty netstring that ends the message; IOException if a piece was lost.</summary>
    public void Finish()
    {
        Flush();
        if (broken) throw new IOException("the service stopped reading the message");
        Netstring.Write(socket, []);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>The message side of a queue socket's service: the client's pieces as one stream, ending at the empty piece.</summary>
internal sealed class ChunkReaderStream(Stream socket) : Stream
{
    private int left;
    private bool ended;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        if (left == 0 && !ended)
        {
            left = Netstring.ReadLength(socket, QueueSocket.MaxChunk);
            if (left < 0) throw new EndOfStreamException("the message was cut short");
            if (left == 0)
            {
                ExpectComma();
                ended = true;
            }
        }
        if (ended) return 0;
        int n = socket.Read(buffer[..Math.Min(buffer.Length, left)]);
        if (n == 0) throw new EndOfStreamException("the message was cut short");
        left -= n;
        if (left == 0) ExpectComma();
        return n;
    }

    private void ExpectComma()
    {
        if (socket.ReadByte() != ',') throw new InvalidDataException("a message piece does not end with a comma");
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
