// SPDX-License-Identifier: MIT
using static MailSuite.SslRelay.OpenSsl;

namespace MailSuite.SslRelay;

/// <summary>What a non-blocking TLS step did: finished, needs the socket readable or writable, met the end, failed.</summary>
internal enum TlsStatus
{
    Done,
    WantRead,
    WantWrite,
    Closed,
    Failed,
}

/// <summary>
/// One server-side TLS session over a non-blocking socket descriptor. Every call returns at once;
/// the caller waits for the socket as the status says and calls again. OpenSSL's SSL object is
/// not safe for concurrent use, so one thread does everything (<see cref="Relay"/>).
/// </summary>
internal sealed class TlsConnection : IDisposable
{
    private readonly IntPtr ssl;

    public TlsConnection(TlsContext context, int fd)
    {
        ssl = SSL_new(context.Handle);
        if (ssl == IntPtr.Zero || SSL_set_fd(ssl, fd) != 1) throw new InvalidOperationException("OpenSSL could not make a session: " + LastError("out of memory"));
    }

    /// <summary>OpenSSL's reason for the last Failed.</summary>
    public string Error { get; private set; } = "";

    public TlsStatus Accept() => Status(SSL_accept(ssl));

    public TlsStatus Read(Span<byte> buffer, out int count)
    {
        int n = SSL_read(ssl, buffer, buffer.Length);
        count = Math.Max(n, 0);
        return Status(n);
    }

    /// <summary>Writes all of <paramref name="data"/> or nothing; after WantRead/WantWrite call again with the same bytes.</summary>
    public TlsStatus Write(ReadOnlySpan<byte> data) => Status(SSL_write(ssl, data, data.Length));

    /// <summary>Sends close_notify (best effort: the peer's own is not awaited).</summary>
    public void Shutdown()
    {
        _ = SSL_shutdown(ssl);   // 0: sent, the peer's not awaited; below 0: the client is gone, nothing to do
        ERR_clear_error();
    }

    public bool Resumed => SSL_session_reused(ssl) == 1;

    /// <summary>The session as ucspi-ssl describes it to the program: SSL_PROTOCOL ("TLSv1.3"), SSL_CIPHER (IANA's name, as SslStream gave it).</summary>
    public Dictionary<string, string> Describe() => new()
    {
        ["SSL_PROTOCOL"] = Text(SSL_get_version(ssl)),
        ["SSL_CIPHER"] = Text(SSL_CIPHER_standard_name(SSL_get_current_cipher(ssl))),
    };

    public void Dispose() => SSL_free(ssl);

    private TlsStatus Status(int result)
    {
        if (result > 0) return TlsStatus.Done;
        switch (SSL_get_error(ssl, result))
        {
            case SSL_ERROR_WANT_READ: return TlsStatus.WantRead;
            case SSL_ERROR_WANT_WRITE: return TlsStatus.WantWrite;
            case SSL_ERROR_ZERO_RETURN: return TlsStatus.Closed;
            case SSL_ERROR_SYSCALL:
                ERR_clear_error();
                return TlsStatus.Closed;   // the connection went away (reset, or EOF mid-record)
            default:
                Error = LastError("TLS protocol error");
                return TlsStatus.Failed;
        }
    }
}
