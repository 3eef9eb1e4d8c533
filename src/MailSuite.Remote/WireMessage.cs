// SPDX-License-Identifier: MIT
namespace MailSuite.Remote;

/// <summary>What a queued message needs on the wire: its size (for SIZE=), whether any byte has the high bit (BODY=8BITMIME) and its longest line (RFC 5322's 998).</summary>
internal readonly record struct MessageShape(long Size, bool EightBit, int LongestLine)
{
    /// <summary>RFC 5322 2.1.1: a line is at most 998 octets, without its CRLF.</summary>
    public const int MaxLine = 998;
}

/// <summary>One pass over the queued message before it is sent.</summary>
internal static class WireMessage
{
    public static MessageShape Measure(Stream message)
    {
        long size = 0;
        bool eightBit = false;
        int line = 0, longest = 0;
        byte[] buffer = new byte[65536];
        int n;
        while ((n = message.Read(buffer)) > 0)
        {
            size += n;
            foreach (byte b in buffer.AsSpan(0, n))
            {
                if (b == '\n')
                {
                    size++;
                    longest = Math.Max(longest, line);
                    line = 0;
                    continue;
                }
                if (b != '\r') line++;
                if (b >= 0x80) eightBit = true;
            }
        }
        return new MessageShape(size, eightBit, Math.Max(longest, line));
    }
}
