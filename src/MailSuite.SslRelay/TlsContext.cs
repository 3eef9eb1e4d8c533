// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Text;
using MailSuite.Common;
using static MailSuite.SslRelay.OpenSsl;

namespace MailSuite.SslRelay;

/// <summary>
/// The server side of TLS as TlsServerSide sets it up for SslStream — TLS 1.2 and 1.3 only,
/// forward-secret AEAD suites only, no renegotiation, no compression, no client certificates —
/// with the certificate, its chain and key from PEM text (the first certificate is the server's),
/// and session tickets sealed with the key sslserver holds, so that a client resumes its session
/// in the next sslrelay process. Without a ticket key, OpenSSL makes one of its own for this
/// process: tickets then only ever work within one connection, which is to say never.
/// </summary>
internal sealed class TlsContext : IDisposable
{
    private const string Tls13Suites = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
    private const string Tls12Suites = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:" +
        "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";
    private const int SSL_CTRL_MODE = 33;
    private const nint SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = 2;
    private const ulong SSL_OP_IGNORE_UNEXPECTED_EOF = 1UL << 7;

    private TlsContext(IntPtr handle) => Handle = handle;

    public IntPtr Handle { get; }

    /// <summary>The context, or a temporary failure naming what OpenSSL refused.</summary>
    public static TlsContext Create(string pem, byte[]? ticketKey)
    {
        IntPtr ctx = SSL_CTX_new(TLS_server_method());
        if (ctx == IntPtr.Zero) throw Unusable("unable to make a TLS context", "out of memory");
        var context = new TlsContext(ctx);
        try
        {
            Configure(ctx);
            UseCertificateAndKey(ctx, Encoding.ASCII.GetBytes(pem));
            if (ticketKey is { Length: TicketKeyLength }) Ctrl(ctx, SSL_CTRL_SET_TLSEXT_TICKET_KEYS, TicketKeyLength, ticketKey, "unable to set the ticket key");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public void Dispose() => SSL_CTX_free(Handle);

    private static void Configure(IntPtr ctx)
    {
        // A client that closes without close_notify has simply finished: mail protocols end by
        // their own commands, so a truncation tells an attacker nothing worth a warning.
        SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
        if (SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, IntPtr.Zero) != 1) throw Unusable("unable to require TLS 1.2", "");
        SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, IntPtr.Zero);
        // One connection per process: a session cache would never be asked; tickets do the work.
        SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, SSL_SESS_CACHE_OFF, IntPtr.Zero);
        if (SSL_CTX_set_ciphersuites(ctx, Tls13Suites) != 1 || SSL_CTX_set_cipher_list(ctx, Tls12Suites) != 1)
            throw Unusable("unable to set the cipher suites", "");
        if (SSL_CTX_set_session_id_context(ctx, "mailsuite"u8, 9) != 1) throw Unusable("unable to set the session context", "");
    }

    private static void UseCertificateAndKey(IntPtr ctx, byte[] pem)
    {
        using (var certificates = new PemReader(pem))
        {
            IntPtr leaf = PEM_read_bio_X509(certificates.Bio, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
            if (leaf == IntPtr.Zero) throw Unusable("no certificate", "");
            int used = SSL_CTX_use_certificate(ctx, leaf);
            X509_free(leaf);
            if (used != 1) throw Unusable("certificate refused", "");
            IntPtr next;
            while ((next = PEM_read_bio_X509(certificates.Bio, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero)) != IntPtr.Zero)
                if (SSL_CTX_ctrl(ctx, SSL_CTRL_EXTRA_CHAIN_CERT, 0, next) != 1)   // the context owns it from here
                {
                    X509_free(next);
                    throw Unusable("chain certificate refused", "");
                }
            ERR_clear_error();   // the end of the text: "no start line"
        }
        using var keys = new PemReader(pem);
        IntPtr key = PEM_read_bio_PrivateKey(keys.Bio, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        if (key == IntPtr.Zero) throw Unusable("no private key", "");
        int ok = SSL_CTX_use_PrivateKey(ctx, key);
        EVP_PKEY_free(key);
        if (ok != 1 || SSL_CTX_check_private_key(ctx) != 1) throw Unusable("the key does not belong to the certificate", "");
    }

    private static void Ctrl(IntPtr ctx, int cmd, nint length, byte[] data, string what)
    {
        GCHandle pinned = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            if (SSL_CTX_ctrl(ctx, cmd, length, pinned.AddrOfPinnedObject()) != 1) throw Unusable(what, "");
        }
        finally
        {
            pinned.Free();
        }
    }

    private static FailureException Unusable(string what, string otherwise)
    {
        string reason = LastError(otherwise);
        return new FailureException(Failure.Temporary("4.3.0", $"unusable certificate or key: {what}{(reason.Length > 0 ? ": " + reason : "")}"));
    }

    /// <summary>A memory BIO over PEM text, which stays pinned while OpenSSL reads it.</summary>
    private sealed class PemReader : IDisposable
    {
        private GCHandle pinned;

        public PemReader(byte[] pem)
        {
            pinned = GCHandle.Alloc(pem, GCHandleType.Pinned);
            Bio = BIO_new_mem_buf(pinned.AddrOfPinnedObject(), pem.Length);
            if (Bio == IntPtr.Zero)
            {
                pinned.Free();
                throw Unusable("unable to read the PEM text", "out of memory");
            }
        }

        public IntPtr Bio { get; }

        public void Dispose()
        {
            _ = BIO_free(Bio);
            pinned.Free();
        }
    }
}
