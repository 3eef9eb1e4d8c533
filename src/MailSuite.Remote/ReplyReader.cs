// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>An SMTP reply: its code and its lines, as "Remote host said:" quotes them.</summary>
internal sealed record Reply(int Code, string Text)
{
    public bool Ok => Code is >= 200 and < 300;
    public bool Temporary => Code is >= 400 and < 500;
    public char Kind => Code >= 500 ? 'D' : 'Z';
    public IEnumerable<string> Lines => Text.Split('\n');
}

/// <summary>
/// Reads SMTP replies ("250-..." continued, "250 ..." last) and sends commands, each write whole,
/// over the suite's line reader; Stream is what lies beneath (for STARTTLS and DATA).
/// </summary>
internal sealed class SmtpChannel(Stream stream)
{
    private const int MaxLines = 1000;

    private readonly LineIo io = new(stream, stream);

    public Stream Stream { get; private set; } = stream;

    /// <summary>Continues inside TLS; nothing read in clear counts there.</summary>
    public void Switch(Stream tls)
    {
        Stream = tls;
        io.SwitchTo(tls, tls);
    }

    public void Send(string commands)
    {
        io.Write(Encoding.Latin1.GetBytes(commands));
        io.Flush();
    }

    public Reply Read()
    {
        var lines = new List<string>();
        while (true)
        {
            string line = io.ReadLine(out _) ?? throw new IOException("connection died");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-') break;
            // A peer that never ends its reply costs a bounded amount: then it is a dead connection.
            if (lines.Count >= MaxLines) throw new IOException($"reply of more than {MaxLines} lines");
        }
        string last = lines[^1];
        int code = last.Length >= 3 && int.TryParse(last[..3], out int c) ? c : 421;
        return new Reply(code, string.Join('\n', lines));
    }
}
