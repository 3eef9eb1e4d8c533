// SPDX-License-Identifier: MIT
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailSuite.Common;

namespace MailSuite.Check;

/// <summary>Just enough of an SMTP and a POP3 client to send a message and fetch it back, over TLS only.</summary>
internal static class Probe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A TLS 1.2+ session that trusts exactly the install's own certificate.</summary>
    public static SslStream StartTls(Stream network, Settings s)
    {
        string ours = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(s.Prefix, "control/servercert.pem"))).GetCertHashString();
        var tls = new SslStream(network, false, (_, presented, _, _) => presented is not null && presented.GetCertHashString() == ours);
        tls.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });
        return tls;
    }

    public static string? RoundTrip(Settings s)
    {
        string password = File.ReadAllText(s.PasswordFile).Trim();
        string me = File.ReadAllText(Path.Combine(s.Prefix, "control/me")).Trim();
        string token = "mailsuite-check-" + Guid.NewGuid().ToString("N");
        string? sent = Send(s, $"{s.User}@{me}", password, token);
        if (sent is not null) return sent;
        DateTime until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (Fetch(s, password, token)) return null;
            Thread.Sleep(1000);
        }
        return $"sent over submission, but not found over POP3S within {Patience.TotalSeconds} s";
    }

    // Submission: STARTTLS, AUTH PLAIN, one message to ourselves.
    private static string? Send(Settings s, string address, string password, string token)
    {
        using var client = new TcpClient();
        client.Connect(s.Endpoint("submission"));
        client.ReceiveTimeout = client.SendTimeout = 30000;
        var clear = new Line(client.GetStream());
        if (!clear.Expect("220") || !clear.Command("EHLO mailsuite-check", "250") || !clear.Command("STARTTLS", "220")) return "submission: " + clear.Last;
        using SslStream tls = StartTls(client.GetStream(), s);
        var l = new Line(tls);
        string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{s.User}\0{password}"));
        bool ok = l.Command("EHLO mailsuite-check", "250") && l.Command($"AUTH PLAIN {plain}", "235")
            && l.Command($"MAIL FROM:<{address}>", "250") && l.Command($"RCPT TO:<{address}>", "250") && l.Command("DATA", "354")
            && l.Command($"Subject: {token}\r\n\r\nmailsuite-check round trip\r\n.", "250");
        return ok ? null : "submission: " + l.Last;
    }

    private static bool Fetch(Settings s, string password, string token)
    {
        using var client = new TcpClient();
        client.Connect(s.Endpoint("pop3s"));
        client.ReceiveTimeout = client.SendTimeout = 30000;
        using SslStream tls = StartTls(client.GetStream(), s);
        var l = new Line(tls);
        if (!l.Expect("+OK") || !l.Command($"USER {s.User}", "+OK") || !l.Command($"PASS {password}", "+OK")) return false;
        if (!l.Command("LIST", "+OK")) return false;
        var numbers = l.Multiline().Select(x => x.Split(' ')[0]).ToList();
        foreach (string n in numbers)
        {
            if (!l.Command($"TOP {n} 0", "+OK")) continue;
            if (l.Multiline().Any(h => h.Contains(token, StringComparison.Ordinal)))
            {
                l.Command($"DELE {n}", "+OK");
                l.Command("QUIT", "+OK");
                return true;
            }
        }
        l.Command("QUIT", "+OK");
        return false;
    }

    /// <summary>CRLF lines both ways, over the suite's line reader; Last is the last reply, for error messages.</summary>
    private sealed class Line(Stream stream)
    {
        private readonly LineIo io = new(stream, stream);

        public string Last { get; private set; } = "";

        public bool Expect(string prefix)
        {
            string? line;
            do
            {
                line = io.ReadLine(out _);
                Last = line ?? "(connection closed)";
            }
            while (line is not null && line.Length > 3 && line[3] == '-');
            return line is not null && line.StartsWith(prefix, StringComparison.Ordinal);
        }

        public bool Command(string command, string expect)
        {
            io.Write(Encoding.UTF8.GetBytes(command + "\r\n"));   // a password may be UTF-8
            io.Flush();
            return Expect(expect);
        }

        public List<string> Multiline()
        {
            var lines = new List<string>();
            string? line;
            while ((line = io.ReadLine(out _)) is not null && line != ".") lines.Add(line);
            return lines;
        }
    }
}
