// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Smtpd;

/// <summary>How a DATA section ended.</summary>
internal enum DataEnd { Complete, BareNewline, Eof }

/// <summary>What DATA delivered: how it ended, bytes stored, and the hop count of its header.</summary>
internal sealed record DataResult(DataEnd End, long Bytes, int Hops);

/// <summary>
/// DATA transparency, strict: lines end with CRLF, which is stored as LF; a leading '.' is removed
/// (dot-unstuffing); only CRLF "." CRLF ends the message. A CR not followed by LF, or an LF not
/// preceded by CR, anywhere, stops everything (the message is not queued and the connection is
/// closed), so no client can smuggle a second message past us or past a server we relay to.
/// Bytes past databytes are read and dropped; Received and Delivered-To lines of the header are
/// counted for loop detection. 8-bit bytes and NULs pass unchanged.
/// </summary>
internal static class DataReader
{
    public static DataResult Copy(LineIo io, Stream output, long databytes)
    {
        var counter = new HopCounter();
        long stored = 0;
        bool lineStart = true, pendingDot = false, sawCr = false, dotLine = false;
        var outBuf = new byte[65536];
        int outLen = 0;
        void Emit(byte b)
        {
            stored++;
            counter.Add(b);
            if (databytes > 0 && stored > databytes) return;
            outBuf[outLen++] = b;
            if (outLen == outBuf.Length) { output.Write(outBuf, 0, outLen); outLen = 0; }
        }
        while (true)
        {
            int c = io.ReadByte();
            if (c < 0) return new DataResult(DataEnd.Eof, stored, counter.Hops);
            if (sawCr)
            {
                if (c != '\n') return new DataResult(DataEnd.BareNewline, stored, counter.Hops);
                sawCr = false;
                if (dotLine)
                {
                    if (outLen > 0) output.Write(outBuf, 0, outLen);
                    return new DataResult(DataEnd.Complete, stored, counter.Hops);
                }
                Emit((byte)'\n');
                lineStart = true;
                continue;
            }
            if (c == '\r')
            {
                sawCr = true;
                dotLine = pendingDot;
                pendingDot = false;
                continue;
            }
            if (c == '\n') return new DataResult(DataEnd.BareNewline, stored, counter.Hops);
            if (lineStart && c == '.')
            {
                pendingDot = true;
                lineStart = false;
                continue;
            }
            pendingDot = false;
            lineStart = false;
            dotLine = false;
            Emit((byte)c);
        }
    }

    // Counts header lines starting with "Received:" or "Delivered-To:" until the first empty line.
    private sealed class HopCounter
    {
        private readonly System.Text.StringBuilder line = new();
        private bool inHeader = true;

        public int Hops { get; private set; }

        public void Add(byte b)
        {
            if (!inHeader) return;
            if (b != '\n')
            {
                if (line.Length < 16) line.Append((char)b);
                return;
            }
            if (line.Length == 0) inHeader = false;
            string s = line.ToString();
            if (s.StartsWith("received:", StringComparison.OrdinalIgnoreCase) || s.StartsWith("delivered-to:", StringComparison.OrdinalIgnoreCase)) Hops++;
            line.Clear();
        }
    }
}
