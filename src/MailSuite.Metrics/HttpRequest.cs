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
        while (!Ended(head))
        {
            if (head.Length >= MaxBytes) return null;   // a header that never ends is no request
            int b = input.ReadByte();
            if (b < 0 || b is 0 or > 126) return null;
            head.Append((char)b);
        }
        string[] requestLine = head.ToString().Split('\n', 2)[0].TrimEnd('\r').Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        return (requestLine[0], requestLine[1]);
    }

    // The blank line after the headers: "\n\n" or "\r\n\r\n".
    private static bool Ended(StringBuilder head) =>
        head.Length >= 2 && head[^1] == '\n' && (head[^2] == '\n' || (head.Length >= 4 && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r'));

    /// <summary>A whole HTTP/1.0 answer; the connection closes after it.</summary>
    public static byte[] Answer(int status, string reason, string contentType, string body)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string header = $"HTTP/1.0 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. content];
    }
}
