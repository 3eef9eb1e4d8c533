// SPDX-License-Identifier: MIT
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>How a conversation with one host ended.</summary>
internal enum HopOutcome
{
    /// <summary>The final result is written.</summary>
    Done,

    /// <summary>This host could not take the message (greeting, TLS): try the next one.</summary>
    NextHost,

    /// <summary>Opportunistic TLS failed: try the same host again in clear.</summary>
    RetryWithoutTls,
}

/// <summary>The connection died after the message was sent: the text says so.</summary>
internal sealed class ConnectionLostException(string text) : IOException(text);

/// <summary>The message, its envelope and what qmail-remote knows about it.</summary>
internal sealed record Envelope(string Sender, IReadOnlyList<string> Recipients, OutgoingMessage Message);

/// <summary>
/// One SMTP conversation (RFC 5321) as qmail never had it: EHLO (HELO if refused), STARTTLS when
/// offered or demanded by tlsdestinations, AUTH to a relay with credentials in control/remoteauth
/// (never in clear), SIZE, BODY=8BITMIME, PIPELINING (MAIL, every RCPT and DATA in one write), all
/// recipients in one transaction. Replies map to qmail-remote's results: 2xx accepted, 4xx
/// temporary, 5xx permanent, quoted after "Remote host said:". A transaction that ends with both
/// sides in step leaves the connection open for the caller: QUIT, or RSET and the next message.
/// </summary>
internal sealed class SmtpDialogue(RemoteConfig config, Hop hop, TlsPolicy policy, Credentials? credentials)
{
    private readonly HashSet<string> extensions = new(StringComparer.OrdinalIgnoreCase);
    private string? tlsFailure;
    private Results results = null!;

    public string? LastError { get; private set; }

    /// <summary>True when the last transaction ended with the peer waiting for a command: the connection can carry another message.</summary>
    public bool InStep { get; private set; }

    /// <summary>Whether the conversation went into TLS.</summary>
    public bool Secure { get; private set; }

    public HopOutcome Run(SmtpChannel smtp, Envelope e, bool useTls, Results results)
    {
        this.results = results;
        Reply greeting = smtp.Read();
        if (!greeting.Ok) return Skip(smtp, $"Connected to {hop.Address} but greeting failed.\nRemote host said: {greeting.Text}");
        if (!Hello(smtp)) return Skip(smtp, LastError!);
        if (policy.Audit is { } audit && useTls && !audit.Allows(hop.Name)) audit.Note($"{hop.Name} is not among its mx");
        bool secure = false;
        if (useTls && extensions.Contains("STARTTLS"))
        {
            if (!StartTls(smtp)) return policy.Required ? Skip(smtp, LastError!) : HopOutcome.RetryWithoutTls;
            secure = Secure = true;
            if (!Hello(smtp)) return Skip(smtp, LastError!);
        }
        if (!secure)
            policy.Audit?.Note(useTls ? $"{hop.Name} ({hop.Address}) does not offer STARTTLS" : $"TLS with {hop.Name} ({hop.Address}) failed, so the message went in clear");
        if (!secure && policy.Required)
            return Skip(smtp, $"TLS is required for {hop.Name} ({hop.Address}) by {policy.Source}, but {(tlsFailure ?? "it does not offer STARTTLS")}. (#4.7.5)");
        if (credentials is not null && !Authenticate(smtp, secure)) return HopOutcome.Done;
        return Transaction(smtp, e);
    }

    /// <summary>
    /// The next message on a connection a transaction left in step: RSET first. False when the
    /// peer does not take it (gone, 421, anything but 2xx): nothing was sent, the caller connects
    /// afresh.
    /// </summary>
    public bool TryAgain(SmtpChannel smtp, Envelope e, Results results, out HopOutcome outcome)
    {
        outcome = HopOutcome.NextHost;
        InStep = false;
        try
        {
            smtp.Send("RSET\r\n");
            if (!smtp.Read().Ok) return false;
        }
        catch (IOException)
        {
            return false;
        }
        this.results = results;
        outcome = Transaction(smtp, e);
        return true;
    }

    private HopOutcome Skip(SmtpChannel smtp, string why)
    {
        LastError = why;
        TryQuit(smtp);
        return HopOutcome.NextHost;
    }

    private bool Hello(SmtpChannel smtp)
    {
        smtp.Send($"EHLO {config.HeloHost}\r\n");
        Reply r = smtp.Read();
        extensions.Clear();
        if (r.Ok)
        {
            foreach (string line in r.Lines.Skip(1)) extensions.Add(line.Length > 4 ? line[4..].Split(' ')[0] : "");
            foreach (string line in r.Lines.Skip(1).Where(l => l.Length > 9 && l[4..].StartsWith("AUTH", StringComparison.OrdinalIgnoreCase)))
                foreach (string mech in line[9..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) extensions.Add("AUTH=" + mech);
            return true;
        }
        smtp.Send($"HELO {config.HeloHost}\r\n");
        r = smtp.Read();
        if (r.Ok) return true;
        LastError = $"Connected to {hop.Address} but my name was rejected.\nRemote host said: {r.Text}";
        return false;
    }

    private bool StartTls(SmtpChannel smtp)
    {
        smtp.Send("STARTTLS\r\n");
        Reply r = smtp.Read();
        if (!r.Ok && r.Code != 220)
        {
            tlsFailure = $"STARTTLS was refused: {r.Text}";
            LastError = $"TLS is required for {hop.Name} ({hop.Address}) by {policy.Source}, but {tlsFailure}. (#4.7.5)";
            return false;
        }
        var ssl = new SslStream(smtp.Stream, leaveInnerStreamOpen: false, Accept);
        try
        {
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
            {
                TargetHost = hop.Name,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            });
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            tlsFailure ??= $"the TLS handshake failed: {ErrorText.Of(ex)}";
            LastError = $"TLS with {hop.Name} ({hop.Address}) failed: {tlsFailure}; TLS is required by {policy.Source}. (#4.7.5)";
            return false;
        }
        smtp.Switch(ssl);
        return true;
    }

    // The certificate check each policy asks for; opportunistic TLS takes any certificate (it
    // protects against a passive listener, which is more than clear text does). A testing-mode
    // MTA-STS policy checks it as enforce would, and only notes the answer.
    private bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        string why = "";
        bool ok = policy.Level switch
        {
            TlsLevel.Verify => config.Anchors.Verify(certificate, chain, errors, out why),
            TlsLevel.Pin => certificate is not null && Convert.ToHexString(
                System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData())) == policy.Fingerprint,
            _ => true,   // May and Encrypt: encryption, no identity
        };
        if (!ok) tlsFailure = policy.Level == TlsLevel.Pin ? "its certificate is not the pinned one" : $"its certificate does not verify: {why}";
        if (policy.Audit is { } audit && !config.Anchors.Verify(certificate, chain, errors, out why))
            audit.Note($"the certificate of {hop.Name} does not verify: {why}");
        return ok;
    }

    private bool Authenticate(SmtpChannel smtp, bool secure)
    {
        if (!secure)
        {
            results.Final('Z', $"Refusing to send credentials for {hop.Name} in clear: it offers no TLS. (#4.7.5)");
            return false;
        }
        string user = credentials!.User, password = credentials.Password;
        Reply r;
        if (extensions.Contains("AUTH=PLAIN") || !extensions.Contains("AUTH=LOGIN"))
        {
            smtp.Send($"AUTH PLAIN {B64($"\0{user}\0{password}")}\r\n");
            r = smtp.Read();
        }
        else
        {
            smtp.Send("AUTH LOGIN\r\n");
            r = smtp.Read();
            if (r.Code == 334) { smtp.Send(B64(user) + "\r\n"); r = smtp.Read(); }
            if (r.Code == 334) { smtp.Send(B64(password) + "\r\n"); r = smtp.Read(); }
        }
        if (r.Ok) return true;
        results.Final(r.Kind, $"Connected to {hop.Address} but authentication as {user} failed.\nRemote host said: {r.Text}");
        return false;
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private HopOutcome Transaction(SmtpChannel smtp, Envelope e)
    {
        if (!WireSafe(e.Sender))
        {
            results.Final('D', $"Sorry, the envelope sender holds a control character; I will not send it to {hop.Address}. (#5.1.7)");
            return InStepAfter();
        }
        // RFC 6531: a UTF-8 address goes only to a server that offers SMTPUTF8; to any other it
        // cannot be written, and another try will not change that.
        bool utf8 = NeedsUtf8(e.Sender) || e.Recipients.Any(NeedsUtf8);
        if (utf8 && !extensions.Contains("SMTPUTF8"))
        {
            results.Final('D', $"Sorry, this message's addresses need SMTPUTF8 (RFC 6531), which {hop.Name} ({hop.Address}) does not offer. (#5.6.7)");
            return InStepAfter();
        }
        PreparedMessage message = e.Message.For(extensions.Contains("8BITMIME"));
        var mail = new StringBuilder($"MAIL FROM:<{e.Sender}>");
        if (utf8) mail.Append(" SMTPUTF8");
        if (extensions.Contains("SIZE")) mail.Append(" SIZE=").Append(message.Size);
        if (message.EightBit) mail.Append(" BODY=8BITMIME");
        mail.Append("\r\n");
        bool pipelining = extensions.Contains("PIPELINING");
        if (pipelining)
        {
            foreach (string r in e.Recipients.Where(WireSafe)) mail.Append($"RCPT TO:<{r}>\r\n");
            smtp.Send(mail.Append("DATA\r\n").ToString());
        }
        else
        {
            smtp.Send(mail.ToString());
        }
        Reply from = smtp.Read();
        if (!from.Ok)
        {
            if (pipelining) Drain(smtp, e.Recipients.Count(WireSafe) + 1);
            results.Final(from.Kind, $"Connected to {hop.Address} but sender was rejected.\nRemote host said: {from.Text}");
            return InStepAfter(from.Code);
        }
        int accepted = 0;
        foreach (string r in e.Recipients)
        {
            if (!WireSafe(r))
            {
                results.Recipient('h', "Sorry, that recipient address holds a control character; I will not send it. (#5.1.3)");
                continue;
            }
            if (!pipelining) smtp.Send($"RCPT TO:<{r}>\r\n");
            Reply rcpt = smtp.Read();
            if (rcpt.Ok) accepted++;
            results.Recipient(rcpt.Ok ? 'r' : rcpt.Code >= 500 ? 'h' : 's', rcpt.Ok ? "" : $"{hop.Address} does not like recipient.\nRemote host said: {rcpt.Text}");
        }
        if (!pipelining && accepted > 0) smtp.Send("DATA\r\n");
        Reply data = accepted > 0 || pipelining ? smtp.Read() : new Reply(554, "");
        if (accepted == 0)
        {
            results.Final('D', $"Giving up on {hop.Address}.");
            return InStepAfter(data.Code == 354 ? 421 : data.Code);
        }
        if (data.Code != 354)
        {
            results.Final(data.Kind, $"Connected to {hop.Address} but DATA was refused.\nRemote host said: {data.Text}");
            return InStepAfter(data.Code);
        }
        using (var dataStream = new DataStream(smtp.Stream))
        {
            message.Write(dataStream);
            dataStream.Finish();
        }
        Reply done;
        try
        {
            done = smtp.Read();
        }
        catch (IOException ex)
        {
            // The peer may have queued the message before the connection died: qmail's warning.
            throw new ConnectionLostException($"Connected to {hop.Address} but connection died. Possible duplicate! ({ErrorText.Of(ex)}) (#4.4.2)");
        }
        string how = Secure ? " over TLS" : "";
        results.Final(done.Ok ? 'K' : done.Kind, done.Ok ? $"{hop.Address} accepted message{how}.\nRemote host said: {done.Text}{policy.Audit?.Summary}"
            : $"{hop.Address} failed after I sent the message.\nRemote host said: {done.Text}");
        return InStepAfter(done.Code);
    }

    // 421 means the peer is closing; a DATA with no recipient that got 354 would take our next
    // command as message text: neither connection can carry another message.
    private HopOutcome InStepAfter(int lastCode = 250)
    {
        InStep = lastCode != 421;
        return HopOutcome.Done;
    }

    // Addresses are byte strings: a char over 0x7f is a byte of UTF-8.
    private static bool NeedsUtf8(string address) => address.Any(c => c >= 0x80);

    // An address with CR, LF or NUL would inject commands of its own into the dialogue.
    private static bool WireSafe(string address) => !address.Any(ch => ch < ' ' || ch == '\x7f');

    private static void Drain(SmtpChannel smtp, int replies)
    {
        for (int i = 0; i < replies; i++) smtp.Read();
    }

    /// <summary>QUIT, and its answer if one comes; a connection already gone is fine.</summary>
    public static void TryQuit(SmtpChannel smtp)
    {
        try
        {
            smtp.Send("QUIT\r\n");
            smtp.Read();
        }
        catch (IOException)
        {
            // Gone already; the result stands.
        }
    }
}
