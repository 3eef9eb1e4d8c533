// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// A login in djb's checkpassword format, name\0password\0timestamp\0, at most 512 bytes: what
/// qmail-popup and qmail-smtpd hand to checkpassword on fd 3, and checkpassword to qmail-authd.
/// </summary>
public sealed record Login(string Name, string Password)
{
    /// <summary>The longest login accepted, in bytes.</summary>
    public const int Max = 512;

    /// <summary>The login as bytes, with an empty timestamp.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes($"{Name}\0{Password}\0\0");

    /// <summary>Reads a login from a stream to its end; null if malformed or too long.</summary>
    public static Login? ReadFrom(Stream input)
    {
        byte[] data = new byte[Max + 1];
        int length = 0;
        int n;
        while (length < data.Length && (n = input.Read(data.AsSpan(length))) > 0) length += n;
        return length > Max ? null : Parse(data.AsSpan(0, length));
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

    private static Login? Parse(ReadOnlySpan<byte> data)
    {
        int nameEnd = data.IndexOf((byte)0);
        if (nameEnd < 0) return null;
        int passwordEnd = data[(nameEnd + 1)..].IndexOf((byte)0);
        if (passwordEnd < 0) return null;
        return new Login(Encoding.UTF8.GetString(data[..nameEnd]), Encoding.UTF8.GetString(data.Slice(nameEnd + 1, passwordEnd)));
    }
}
