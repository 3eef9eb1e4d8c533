// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Pop3d;

/// <summary>
/// A stored message (LF line ends, as qmail-local writes them) as POP3 sends it: CRLF line ends,
/// a '.' doubled at the start of a line, a last line ended, then the terminating ".". A CR
/// already before an LF is kept as one CRLF. For TOP, the header and that many body lines.
/// </summary>
internal static class WireFormat
{
    // One session reads one message at a time: one buffer will do for all of them.
    private static readonly byte[] Buffer = new byte[65536];

    public static void Copy(Microsoft.Win32.SafeHandles.SafeFileHandle message, LineIo io, int bodyLines)
    {
        var state = new State(bodyLines);
        long offset = 0;
        int n;
        while (!state.Done && (n = RandomAccess.Read(message, Buffer, offset)) > 0)
        {
            offset += n;
            state.Feed(Buffer.AsSpan(0, n), io);
        }
        if (!state.AtLineStart) io.Write("\r\n"u8);
        io.Write(".\r\n"u8);
    }

    private sealed class State(int bodyLines)
    {
        private readonly int limit = bodyLines;
        private bool inBody;
        private bool previousWasCr;
        private int linesLeft;

        public bool AtLineStart { get; private set; } = true;
        public bool Done => inBody && limit >= 0 && linesLeft < 0;

        public void Feed(ReadOnlySpan<byte> data, LineIo io)
        {
            while (data.Length > 0 && !Done)
            {
                if (AtLineStart && data[0] == '.') io.Write("."u8);
                int eol = data.IndexOf((byte)'\n');
                ReadOnlySpan<byte> chunk = eol < 0 ? data : data[..eol];
                io.Write(chunk);
                if (chunk.Length > 0) previousWasCr = chunk[^1] == '\r';
                if (eol < 0)
                {
                    AtLineStart = false;
                    return;
                }
                io.Write(previousWasCr ? "\n"u8 : "\r\n"u8);
                EndLine(blank: AtLineStart && (chunk.Length == 0 || (chunk.Length == 1 && previousWasCr)));
                previousWasCr = false;
                data = data[(eol + 1)..];
            }
        }

        // The header ends at the first empty line; from then on, TOP counts lines.
        private void EndLine(bool blank)
        {
            if (inBody) linesLeft--;
            else if (blank) (inBody, linesLeft) = (true, limit);
            if (inBody && limit >= 0 && linesLeft == 0) linesLeft = -1;
            AtLineStart = true;
        }
    }
}
