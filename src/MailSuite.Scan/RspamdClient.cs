// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MailSuite.Scan;

/// <summary>
/// rspamd's HTTP protocol: POST /checkv2 with the message and what the SMTP server knows (client
/// address, envelope), answered with JSON: score, required_score, action, symbols. "add header",
/// "rewrite subject" and "reject" mean spam.
/// </summary>
internal static class RspamdClient
{
    public static ScanResult Check(ScannerAddress where, byte[] message, string? clientIp, string sender, IEnumerable<string> recipients, TimeSpan timeout)
    {
        using Socket s = where.Connect(timeout);
        var request = new StringBuilder($"POST /checkv2 HTTP/1.0\r\nContent-Length: {message.Length}\r\n");
        if (clientIp is not null) request.Append("IP: ").Append(Field(clientIp)).Append("\r\n");
        request.Append("From: ").Append(Field(sender)).Append("\r\n");
        foreach (string r in recipients.Take(100)) request.Append("Rcpt: ").Append(Field(r)).Append("\r\n");
        s.Send(Encoding.Latin1.GetBytes(request.Append("\r\n").ToString()));
        s.Send(message);
        string reply = Encoding.UTF8.GetString(Response.ReadAll(s));
        int blank = reply.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string status = reply.Split("\r\n")[0];
        if (blank < 0 || status.Split(' ') is not [_, "200", ..]) throw new IOException($"rspamd answered \"{Response.Shown(status)}\"");
        using JsonDocument json = JsonDocument.Parse(reply[(blank + 4)..]);
        JsonElement root = json.RootElement;
        string action = root.GetProperty("action").GetString() ?? "";
        string symbols = root.TryGetProperty("symbols", out JsonElement sym) && sym.ValueKind == JsonValueKind.Object
            ? string.Join(',', sym.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) : "";
        return new ScanResult("rspamd", action is "add header" or "rewrite subject" or "reject",
            root.GetProperty("score").GetDouble(), root.GetProperty("required_score").GetDouble(), symbols);
    }

    // An HTTP header value: nothing that would end the line.
    private static string Field(string s) => new([.. s.Where(c => c is >= ' ' and <= '~')]);
}
