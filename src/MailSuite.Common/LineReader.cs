// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>Lines of a stream, each with its '\n' (the last may lack one). Reads ahead in blocks.</summary>
public sealed class LineReader(Stream stream)
{
    private readonly byte[] buffer = new byte[65536];
    private int start;
    private int end;

    /// <summary>The next line with its newline, or null at the end.</summary>
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
