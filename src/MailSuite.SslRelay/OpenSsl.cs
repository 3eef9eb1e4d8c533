// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.SslRelay;

/// <summary>
/// The few calls of OpenSSL 3's libssl and libcrypto that sslrelay uses. SslStream cannot take
/// session-ticket keys from outside, and resuming a session in a fresh process needs exactly
/// that; the TLS work itself stays OpenSSL's, as it was under SslStream.
/// </summary>
internal static partial class OpenSsl
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    public const int SSL_ERROR_SSL = 1;
    public const int SSL_ERROR_WANT_READ = 2;
    public const int SSL_ERROR_WANT_WRITE = 3;
    public const int SSL_ERROR_SYSCALL = 5;
    public const int SSL_ERROR_ZERO_RETURN = 6;

    public const int SSL_CTRL_EXTRA_CHAIN_CERT = 14;
    public const int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    public const int SSL_CTRL_SET_TLSEXT_TICKET_KEYS = 59;
    public const int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    public const int TLS1_2_VERSION = 0x0303;
    public const int SSL_SESS_CACHE_OFF = 0;
    public const ulong SSL_OP_NO_COMPRESSION = 1UL << 17;
    public const ulong SSL_OP_CIPHER_SERVER_PREFERENCE = 1UL << 22;
    public const ulong SSL_OP_NO_RENEGOTIATION = 1UL << 30;

    /// <summary>What SSL_CTX_set_tlsext_ticket_keys takes: key name 16, HMAC key 32, AES key 32.</summary>
    public const int TicketKeyLength = 80;

    [LibraryImport(Ssl)] public static partial IntPtr TLS_server_method();
    [LibraryImport(Ssl)] public static partial IntPtr SSL_CTX_new(IntPtr method);
    [LibraryImport(Ssl)] public static partial void SSL_CTX_free(IntPtr ctx);
    [LibraryImport(Ssl)] public static partial nint SSL_CTX_ctrl(IntPtr ctx, int cmd, nint larg, IntPtr parg);
    [LibraryImport(Ssl)] public static partial ulong SSL_CTX_set_options(IntPtr ctx, ulong options);
    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_set_ciphersuites(IntPtr ctx, string suites);
    [LibraryImport(Ssl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_set_cipher_list(IntPtr ctx, string ciphers);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_set_session_id_context(IntPtr ctx, ReadOnlySpan<byte> context, uint length);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_use_certificate(IntPtr ctx, IntPtr x509);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_use_PrivateKey(IntPtr ctx, IntPtr key);
    [LibraryImport(Ssl)] public static partial int SSL_CTX_check_private_key(IntPtr ctx);

    [LibraryImport(Ssl)] public static partial IntPtr SSL_new(IntPtr ctx);
    [LibraryImport(Ssl)] public static partial void SSL_free(IntPtr ssl);
    [LibraryImport(Ssl)] public static partial int SSL_set_fd(IntPtr ssl, int fd);
    [LibraryImport(Ssl)] public static partial int SSL_accept(IntPtr ssl);
    [LibraryImport(Ssl)] public static partial int SSL_read(IntPtr ssl, Span<byte> buffer, int length);
    [LibraryImport(Ssl)] public static partial int SSL_write(IntPtr ssl, ReadOnlySpan<byte> buffer, int length);
    [LibraryImport(Ssl)] public static partial int SSL_shutdown(IntPtr ssl);
    [LibraryImport(Ssl)] public static partial int SSL_get_error(IntPtr ssl, int result);
    [LibraryImport(Ssl)] public static partial int SSL_session_reused(IntPtr ssl);
    [LibraryImport(Ssl)] public static partial IntPtr SSL_get_version(IntPtr ssl);
    [LibraryImport(Ssl)] public static partial IntPtr SSL_get_current_cipher(IntPtr ssl);
    [LibraryImport(Ssl)] public static partial IntPtr SSL_CIPHER_standard_name(IntPtr cipher);

    [LibraryImport(Crypto)] public static partial IntPtr BIO_new_mem_buf(IntPtr data, int length);
    [LibraryImport(Crypto)] public static partial int BIO_free(IntPtr bio);
    [LibraryImport(Crypto)] public static partial IntPtr PEM_read_bio_X509(IntPtr bio, IntPtr x, IntPtr callback, IntPtr u);
    [LibraryImport(Crypto)] public static partial IntPtr PEM_read_bio_PrivateKey(IntPtr bio, IntPtr x, IntPtr callback, IntPtr u);
    [LibraryImport(Crypto)] public static partial void X509_free(IntPtr x509);
    [LibraryImport(Crypto)] public static partial void EVP_PKEY_free(IntPtr key);
    [LibraryImport(Crypto)] public static partial ulong ERR_get_error();
    [LibraryImport(Crypto)] public static partial void ERR_clear_error();
    [LibraryImport(Crypto)] public static partial IntPtr ERR_reason_error_string(ulong error);

    /// <summary>OpenSSL's reason for the last error, in its words ("wrong version number"), and clears the queue.</summary>
    public static string LastError(string otherwise)
    {
        ulong e = ERR_get_error();
        string? reason = e == 0 ? null : Marshal.PtrToStringUTF8(ERR_reason_error_string(e));
        ERR_clear_error();
        return string.IsNullOrEmpty(reason) ? otherwise : reason;
    }

    public static string Text(IntPtr s) => Marshal.PtrToStringUTF8(s) ?? "";
}
