// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail;

/// <summary>
/// qmail-queue's interface over a Unix socket, for a resident program in QMAILQUEUE's place
/// (qmail-authresd), so that no process starts per message. The client sends netstrings: its
/// environment ("NAME=value" each ended by NUL: what a spawned filter would have inherited), the
/// message in pieces of at most <see cref="MaxChunk"/> bytes, an empty one, then the envelope in
/// qmail-queue's fd-1 format. The service answers with one netstring, "CODE PID": the exit code
/// qmail-queue's caller would see and the pid to log as "qp". A client that stops before the
/// envelope gets nothing queued, as qmail-queue does. qmail-queued (qmail-queue itself, resident)
/// first greets each client with a netstring: "ok", or "busy" and nothing more.
/// </summary>
public static class QueueSocket
{
    /// <summary>qmail-queued's greeting when it has a slot for the client; anything else ("busy") sends the client to qmail-queue.</summary>
    public static ReadOnlySpan<byte> Ready => "ok"u8;

    /// <summary>qmail-queued's greeting when every slot is taken.</summary>
    public static ReadOnlySpan<byte> Busy => "busy"u8;

    /// <summary>The longest message piece.</summary>
    public const int MaxChunk = 65536;

    /// <summary>The longest environment.</summary>
    public const int MaxEnvironment = 1 << 20;

    /// <summary>The longest envelope (QueueFilter's bound).</summary>
    public const int MaxEnvelope = 16 << 20;

    /// <summary>Sends the environment ("NAME=value" strings).</summary>
    public static void WriteEnvironment(Stream s, IEnumerable<string> environment) =>
        Netstring.Write(s, Encoding.UTF8.GetBytes(string.Concat(environment.Select(v => v + "\0"))));

    /// <summary>The environment a client sent; a variable without '=' is skipped.</summary>
    public static Dictionary<string, string> ReadEnvironment(Stream s)
    {
        byte[] raw = Netstring.Read(s, MaxEnvironment) ?? throw new EndOfStreamException("the client sent nothing");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string v in Encoding.UTF8.GetString(raw).Split('\0'))
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) env[v[..eq]] = v[(eq + 1)..];
        }
        return env;
    }

    /// <summary>The message as the service reads it: the client's pieces as one stream, ending at the empty piece.</summary>
    public static Stream MessageReader(Stream socket) => new ChunkReaderStream(socket);

    /// <summary>The envelope after the message's pieces.</summary>
    public static byte[] ReadEnvelope(Stream s) => Netstring.Read(s, MaxEnvelope) ?? throw new EndOfStreamException("no envelope");

    /// <summary>The service's answer.</summary>
    public static void WriteVerdict(Stream s, int code, int pid) => Netstring.Write(s, Encoding.ASCII.GetBytes($"{code} {pid}"));

    /// <summary>The exit code and pid the service answered.</summary>
    public static (int Code, int Pid) ReadVerdict(Stream s)
    {
        string text = Encoding.ASCII.GetString(Netstring.Read(s, 32) ?? throw new EndOfStreamException("the service closed without an answer"));
        string[] parts = text.Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int code) || !int.TryParse(parts[1], out int pid) || code is < 0 or > 255)
            throw new InvalidDataException($"the service's answer is not \"CODE PID\": {text}");
        return (code, pid);
    }
}
