// SPDX-License-Identifier: MIT
using System.Security.Cryptography;

namespace MailSuite.SslServer;

/// <summary>
/// The session-ticket key every sslrelay of this server seals and opens tickets with (80 random
/// bytes: name, HMAC key, AES key, as OpenSSL takes them), so that a client's next connection,
/// in a fresh sslrelay, resumes its session instead of a full handshake. It lives only in this
/// process's memory and is replaced every <see cref="Lifetime"/>: a ticket sealed before a
/// change costs its client one full handshake, and a key that leaked opens no session recorded
/// more than that long ago. sslrelay gets it through a pipe, like the certificate's key.
/// </summary>
internal sealed class TicketKeys(TimeSpan lifetime)
{
    public const int Length = 80;
    private readonly Lock gate = new();
    private byte[] key = RandomNumberGenerator.GetBytes(Length);
    private long made = Environment.TickCount64;

    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>The key now in force; a new one once the old has served its lifetime.</summary>
    public byte[] Current()
    {
        lock (gate)
        {
            if (Environment.TickCount64 - made >= (long)Lifetime.TotalMilliseconds)
            {
                key = RandomNumberGenerator.GetBytes(Length);
                made = Environment.TickCount64;
            }
            return key;
        }
    }
}
