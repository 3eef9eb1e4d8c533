// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Auth;

/// <summary>
/// A login in djb's checkpassword format, name\0password\0timestamp\0, at most 512 bytes: what
/// qmail-popup and qmail-smtpd hand to checkpassword on fd 3, and checkpassword to qmail-authd.
/// To qmail-authd a fourth field follows: the client's address, for its per-address limits.
/// </summary>
public sealed record Login(string Name, string Password, string? Client = null)
{
    /// <summary>The longest login accepted, in bytes.</summary>
    public const int Max = 512;

    /// <summary>The longest client field (an IPv6 address with room to spare).</summary>
    public const int MaxClient = 64;

    /// <summary>The login as bytes, with an empty timestamp, and the client's address when known.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes($"{Name}\0{Password}\0\0" + (Client is null ? "" : $"{Client}\0"));

    /// <summary>Reads a login from a stream to its end; null if malformed or longer than <paramref name="limit"/>.</summary>
    public static Login? ReadFrom(Stream input, int limit = Max)
    {
        byte[] data = new byte[limit + 1];
        int length = 0;
        int n;
        while (length < data.Length && (n = input.Read(data.AsSpan(length))) > 0) length += n;
        return length > limit ? null : Parse(data.AsSpan(0, length));
    }

    /// <summary>Reads a login from a descriptor to its end and closes it; null if absent, malformed or too long.</summary>
    public static Login? ReadFrom(int fd)
    {
        try
        {
            using var input = new FdStream(fd, ownsFd: true);
            return ReadFrom(input);
        }
        catch (IOException)
        {
            return null;   // fd is not open, or not readable
        }
    }

    /// <summary>A login from its bytes (checkpassword's fields, then the client's address); null when malformed.</summary>
    public static Login? Parse(ReadOnlySpan<byte> data)
    {
        int nameEnd = data.IndexOf((byte)0);
        if (nameEnd < 0) return null;
        int passwordEnd = data[(nameEnd + 1)..].IndexOf((byte)0);
        if (passwordEnd < 0) return null;
        var login = new Login(Encoding.UTF8.GetString(data[..nameEnd]), Encoding.UTF8.GetString(data.Slice(nameEnd + 1, passwordEnd)));
        ReadOnlySpan<byte> rest = data[(nameEnd + 1 + passwordEnd + 1)..];
        int timestampEnd = rest.IndexOf((byte)0);
        if (timestampEnd < 0) return login;
        rest = rest[(timestampEnd + 1)..];
        int clientEnd = rest.IndexOf((byte)0);
        return clientEnd is > 0 and <= MaxClient ? login with { Client = Encoding.ASCII.GetString(rest[..clientEnd]) } : login;
    }
}
