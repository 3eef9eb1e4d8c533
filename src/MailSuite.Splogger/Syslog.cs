// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Splogger;

/// <summary>
/// splogger's job: every input line becomes one syslog datagram on /dev/log, tagged, at LOG_ALERT
/// for "alert:" lines, LOG_WARNING for "warning:" lines and LOG_INFO otherwise, prefixed with the
/// time as seconds.microseconds. Unprintable bytes become '?', empty lines are dropped and long
/// lines are cut into 800-byte pieces (continuations marked with '+' after the time), so no line
/// can forge or swallow another. With no syslog daemon listening, lines are dropped, as syslog(3)
/// drops them.
/// </summary>
internal sealed class Syslog(string tag, int facility) : IDisposable
{
    private const int Fold = 800;
    private const int Alert = 1, Warning = 4, Info = 6;
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint target = new("/dev/log");

    public void CopyLines(Stream input)
    {
        var reader = new BufferedStream(input, 4096);
        var line = new StringBuilder();
        int c;
        while ((c = reader.ReadByte()) >= 0)
        {
            if (c == '\n')
            {
                Send(line.ToString());
                line.Clear();
            }
            else
            {
                line.Append(c is >= 32 and <= 126 ? (char)c : '?');
            }
        }
        if (line.Length > 0) Send(line.ToString());
    }

    private void Send(string line)
    {
        line = Log.WithoutStamp(line);   // splogger's own stamp and syslog's take its place
        if (line.Length == 0) return;
        int priority = line.StartsWith("alert:", StringComparison.Ordinal) ? Alert
            : line.StartsWith("warning:", StringComparison.Ordinal) ? Warning : Info;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string stamp = $"{now.ToUnixTimeSeconds()}.{now.Ticks / 10 % 1000000:D6}";
        for (int start = 0; start < line.Length; start += Fold)
        {
            string piece = line.Substring(start, Math.Min(Fold, line.Length - start));
            string header = $"<{facility * 8 + priority}>{MailDate.Asctime(now)[4..19]} {tag}: {stamp}{(start > 0 ? "+" : "")} ";
            try
            {
                socket.SendTo(Encoding.ASCII.GetBytes(header + piece), target);
            }
            catch (SocketException)
            {
                // No syslog daemon: nothing to tell, nowhere to tell it.
            }
        }
    }

    public void Dispose() => socket.Dispose();
}
