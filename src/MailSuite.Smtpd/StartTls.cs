// SPDX-License-Identifier: MIT
using System.Net.Security;
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.Smtpd;

/// <summary>
/// STARTTLS (RFC 3207) inside this qmaild process: the certificate from CERTFILE or
/// control/servercert.pem, TLS 1.2/1.3 with strong suites only (TlsServerSide). Whatever the
/// client sent after the command in clear is thrown away before the handshake (CVE-2011-0411:
/// commands injected before TLS must not run inside it).
/// </summary>
internal static class StartTls
{
    public static bool CertificateReadable(string certFile)
    {
        try
        {
            using FileStream f = File.OpenRead(certFile);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The session's description ("TLSv1.3 TLS_AES_256_GCM_SHA384"), or null when the handshake failed and the connection is done.</summary>
    public static string? Run(LineIo io, SmtpConfig c, Stream input, Stream output)
    {
        SslStreamCertificateContext certificate;
        try
        {
            certificate = TlsServerSide.Load(File.ReadAllText(c.CertFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FailureException)
        {
            Log.Warning($"STARTTLS: unable to use {c.CertFile}: {ErrorText.Of(e)}");
            io.Reply(Replies.NoTls);
            return "";
        }
        io.Reply(Replies.ReadyForTls);
        io.Flush();   // SwitchTo discards what the client sent after STARTTLS
        try
        {
            SslStream ssl = TlsServerSide.Accept(new DuplexStream(input, output), certificate);
            io.SwitchTo(ssl, ssl);
            var d = TlsServerSide.Describe(ssl);
            return $"{d["SSL_PROTOCOL"]} {d["SSL_CIPHER"]}";
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            Log.Warning($"STARTTLS with {c.RemoteIp} failed: {ErrorText.Of(e)}");
            return null;
        }
    }
}
