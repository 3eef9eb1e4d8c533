// SPDX-License-Identifier: MIT
namespace MailSuite.Remote;

/// <summary>
/// A queued message as SMTP DATA: every line end becomes CRLF — LF, CRLF and a bare CR alike, so
/// no bare CR or LF ever leaves here (we can never be the sending half of SMTP smuggling) — a
/// leading '.' is doubled, and the data ends with CRLF "." CRLF.
/// </summary>
internal static class WireMessage
{
    /// <summary>Size on the wire (for SIZE=) and whether any byte has the high bit (for BODY=8BITMIME).</summary>
    public static (long Size, bool EightBit) Measure(Stream message)
    {
        long size = 0;
        bool eightBit = false;
        byte[] buffer = new byte[65536];
        int n;
        while ((n = message.Read(buffer)) > 0)
        {
            size += n;
            foreach (byte b in buffer.AsSpan(0, n))
            {
                if (b == '\n') size++;
                else if (b >= 0x80) eightBit = true;
            }
        }
        return (size, eightBit);
    }

    public static void Send(Stream message, Stream output)
    {
        byte[] input = new byte[65536];
        var outBuffer = new MemoryStream(140000);
        bool lineStart = true, pendingCr = false;
        int n;
        while ((n = message.Read(input)) > 0)
        {
            foreach (byte b in input.AsSpan(0, n))
            {
                if (pendingCr)
                {
                    pendingCr = false;
                    EndLine(outBuffer, ref lineStart);
                    if (b == '\n') continue;   // CRLF: one line end
                }
                if (b == '\r') { pendingCr = true; continue; }
                if (b == '\n') { EndLine(outBuffer, ref lineStart); continue; }
                if (lineStart && b == '.') outBuffer.WriteByte((byte)'.');
                outBuffer.WriteByte(b);
                lineStart = false;
            }
            if (outBuffer.Length >= 65536) Drain(outBuffer, output);
        }
        if (pendingCr) EndLine(outBuffer, ref lineStart);
        if (!lineStart) EndLine(outBuffer, ref lineStart);
        outBuffer.Write(".\r\n"u8);
        Drain(outBuffer, output);
    }

    private static void EndLine(MemoryStream b, ref bool lineStart)
    {
        b.Write("\r\n"u8);
        lineStart = true;
    }

    private static void Drain(MemoryStream b, Stream output)
    {
        output.Write(b.GetBuffer(), 0, (int)b.Length);
        b.SetLength(0);
    }
}
