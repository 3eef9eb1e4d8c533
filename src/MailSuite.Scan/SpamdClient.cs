// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MailSuite.Scan;

/// <summary>
/// SpamAssassin's spamd protocol (what spamc speaks): "SYMBOLS SPAMC/1.5" with the message,
/// answered "SPAMD/1.1 0 EX_OK", "Spam: True ; 1004.2 / 5.0" and the names of the rules that hit.
/// </summary>
internal static class SpamdClient
{
    public static ScanResult Check(ScannerAddress where, byte[] message, TimeSpan timeout)
    {
        using Socket s = where.Connect(timeout);
        s.Send(Encoding.ASCII.GetBytes($"SYMBOLS SPAMC/1.5\r\nContent-length: {message.Length}\r\n\r\n"));
        s.Send(message);
        s.Shutdown(SocketShutdown.Send);
        string reply = Encoding.Latin1.GetString(Response.ReadAll(s));
        int blank = reply.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] head = (blank < 0 ? reply : reply[..blank]).Split("\r\n");
        if (head.Length == 0 || !head[0].StartsWith("SPAMD/", StringComparison.Ordinal) || head[0].Split(' ') is not [_, "0", ..])
            throw new IOException($"spamd answered \"{Response.Shown(head.FirstOrDefault() ?? "")}\"");
        string spam = head.FirstOrDefault(h => h.StartsWith("Spam:", StringComparison.OrdinalIgnoreCase))
            ?? throw new IOException("spamd gave no Spam: line");
        // "Spam: True ; 1004.2 / 5.0"
        string[] parts = spam[5..].Split([';', '/'], StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double score)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double required))
            throw new IOException($"spamd's \"{Response.Shown(spam)}\" is not a score");
        string symbols = blank < 0 ? "" : reply[(blank + 4)..].Trim();
        return new ScanResult("spamd", parts[0].Equals("True", StringComparison.OrdinalIgnoreCase), score, required, symbols);
    }
}
