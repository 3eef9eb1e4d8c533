// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Remote;

/// <summary>An SMTP reply: its code and its lines, as "Remote host said:" quotes them.</summary>
internal sealed record Reply(int Code, string Text)
{
    public bool Ok => Code is >= 200 and < 300;
    public bool Temporary => Code is >= 400 and < 500;
    public char Kind => Code >= 500 ? 'D' : 'Z';
    public IEnumerable<string> Lines => Text.Split('\n');
}

/// <summary>Reads SMTP replies ("250-..." continued, "250 ..." last) and sends commands, each write whole.</summary>
internal sealed class SmtpChannel(Stream stream)
{
    private const int MaxLine = 4096;
    private readonly byte[] buffer = new byte[8192];
    private int start;
    private int end;

    public Stream Stream { get; private set; } = stream;

    public void Switch(Stream tls)
    {
        Stream = tls;
        start = end = 0;   // nothing read in clear counts inside TLS
    }

    public void Send(string commands)
    {
        Stream.Write(Encoding.Latin1.GetBytes(commands));
        Stream.Flush();
    }

    public Reply Read()
    {
        var lines = new List<string>();
        while (true)
        {
            string line = ReadLine() ?? throw new IOException("connection died");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-') break;
        }
        string last = lines[^1];
        int code = last.Length >= 3 && int.TryParse(last[..3], out int c) ? c : 421;
        return new Reply(code, string.Join('\n', lines));
    }

    private string? ReadLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = Stream.Read(buffer);
                if (end <= 0) return null;
            }
            byte b = buffer[start++];
            if (b == '\n') break;
            if (line.Length < MaxLine && b != '\r') line.Append((char)b);
        }
        return line.ToString();
    }
}
