// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Local;

/// <summary>
/// Refuses a message whose header already has exactly this delivery's Delivered-To line: it went
/// round a forwarding loop back to us. Only the header is read.
/// </summary>
internal static class LoopCheck
{
    public static void Run(Stream message, string deliveredTo)
    {
        byte[] wanted = Encoding.Latin1.GetBytes(deliveredTo);
        message.Position = 0;
        var reader = new LineReader(message);
        while (reader.Next() is { } line)
        {
            if (line.Length <= 1 || line is [(byte)'\r', (byte)'\n']) return;   // end of header
            if (line.AsSpan().SequenceEqual(wanted))
                throw new FailureException(Failure.Permanent("5.4.6", "This message is looping: it already has my Delivered-To line."));
        }
    }
}

/// <summary>Lines of a stream, each with its '\n' (the last may lack one). Reads ahead in blocks.</summary>
internal sealed class LineReader(Stream stream)
{
    private readonly byte[] buffer = new byte[65536];
    private int start;
    private int end;

    public byte[]? Next()
    {
        var line = new MemoryStream();
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = stream.Read(buffer);
                if (end == 0) return line.Length == 0 ? null : line.ToArray();
            }
            int nl = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            int stop = nl < 0 ? end : nl + 1;
            line.Write(buffer, start, stop - start);
            start = stop;
            if (nl >= 0) return line.ToArray();
        }
    }
}
