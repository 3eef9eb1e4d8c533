// SPDX-License-Identifier: MIT
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>
/// The server side of TLS as every program of the suite does it: TLS 1.2 and 1.3 only, forward-
/// secret AEAD cipher suites only, no renegotiation, no client certificates; the certificate chain
/// and key from PEM text (cert, intermediates, key in any order, as qmail-tls's servercert.pem).
/// </summary>
public static class TlsServerSide
{
    /// <summary>How long a client may take to finish the handshake.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private static readonly TlsCipherSuite[] Strong =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    /// <summary>The certificate (with its chain) and key in PEM text; a temporary failure if unusable.</summary>
    public static SslStreamCertificateContext Load(string pem)
    {
        WithoutTrustStore();
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPem(pem);
            X509Certificate2 leaf = X509Certificate2.CreateFromPem(pem, pem);
            var chain = new X509Certificate2Collection();
            foreach (X509Certificate2 c in all) if (c.Thumbprint != leaf.Thumbprint) chain.Add(c);
            return SslStreamCertificateContext.Create(leaf, chain, offline: true);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unusable certificate or key: {ErrorText.Of(e)}"));
        }
    }

    /// <summary>Runs the server handshake on the stream, within HandshakeTimeout.</summary>
    public static SslStream Accept(Stream network, SslStreamCertificateContext certificate)
    {
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuitesPolicy = new CipherSuitesPolicy(Strong),
            ClientCertificateRequired = false,
            AllowRenegotiation = false,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        };
        using var deadline = new CancellationTokenSource(HandshakeTimeout);
        try
        {
            ssl.AuthenticateAsServerAsync(options, deadline.Token).GetAwaiter().GetResult();
        }
        catch
        {
            ssl.Dispose();
            throw;
        }
        return ssl;
    }

    /// <summary>The session as ucspi-ssl describes it to the program: SSL_PROTOCOL ("TLSv1.3"), SSL_CIPHER.</summary>
    public static Dictionary<string, string> Describe(SslStream ssl) => new()
    {
        ["SSL_PROTOCOL"] = ssl.SslProtocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            var p => p.ToString(),
        },
        ["SSL_CIPHER"] = ssl.NegotiatedCipherSuite.ToString(),
    };

    // A server that asks for no client certificate needs no trust store, yet .NET builds the
    // certificate's chain against the system's: 150 files read, most of a TLS connection's cost
    // in a fresh process (48 ms of 61 here). OpenSSL's own variables, read when the store is first
    // opened, point it at nothing. Set in the C environment only: children get the environment
    // the program passes them, never this. Done before any other thread could read it.
    private static void WithoutTrustStore()
    {
        Env.SetForNativeLibraries("SSL_CERT_FILE", "/dev/null");
        Env.SetForNativeLibraries("SSL_CERT_DIR", "/nonexistent");
    }
}
