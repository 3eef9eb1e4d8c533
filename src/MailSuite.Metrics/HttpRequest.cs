// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Metrics;

/// <summary>
/// The one HTTP/1.x request a scrape sends, read from fd 0 as far as its blank line: at most
/// <see cref="MaxBytes"/> bytes, ASCII only. Only the method and the path matter.
/// </summary>
internal static class HttpRequest
{
    public const int MaxBytes = 8192;

    /// <summary>(method, path), or null for anything that is not a request line followed by headers.</summary>
    public static (string Method, string Path)? Read(Stream input)
    {
        var head = new StringBuilder();
        while (head.Length < MaxBytes)
        {
            int b = input.ReadByte();
            if (b < 0 || b is 0 or > 126) return null;
            head.Append((char)b);
            if (head.Length >= 2 && head[^1] == '\n' && (head[^2] == '\n' || head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))) break;
        }
        string[] requestLine = head.ToString().Split('\n', 2)[0].TrimEnd('\r').Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        return (requestLine[0], requestLine[1]);
    }

    /// <summary>A whole HTTP/1.0 answer; the connection closes after it.</summary>
    public static byte[] Answer(int status, string reason, string contentType, string body)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string header = $"HTTP/1.0 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. content];
    }
}
