// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail;

/// <summary>
/// Netstrings ("LENGTH:BYTES,", D. J. Bernstein's framing, as QMQP uses): the frames of the
/// queue-socket protocol. A reader names the longest frame it accepts, so no length a peer writes
/// makes it allocate more.
/// </summary>
public static class Netstring
{
    /// <summary>Writes one netstring.</summary>
    public static void Write(Stream s, ReadOnlySpan<byte> payload)
    {
        s.Write(Encoding.ASCII.GetBytes($"{payload.Length}:"));
        s.Write(payload);
        s.WriteByte((byte)',');
    }

    /// <summary>One netstring's payload; null at end of input before the first byte.</summary>
    /// <exception cref="InvalidDataException">Not a netstring, or longer than max.</exception>
    /// <exception cref="EndOfStreamException">Cut short.</exception>
    public static byte[]? Read(Stream s, int max)
    {
        int length = ReadLength(s, max);
        if (length < 0) return null;
        byte[] payload = new byte[length];
        s.ReadExactly(payload);
        if (s.ReadByte() != ',') throw new InvalidDataException("a netstring does not end with a comma");
        return payload;
    }

    /// <summary>The length before the colon; -1 at end of input before any digit.</summary>
    public static int ReadLength(Stream s, int max)
    {
        long length = 0;
        for (int digits = 0; ; digits++)
        {
            int c = s.ReadByte();
            if (c < 0 && digits == 0) return -1;
            if (c == ':' && digits > 0) return (int)length;
            if (c is < '0' or > '9' || digits >= 10) throw new InvalidDataException("a netstring length is not a number");
            length = length * 10 + (c - '0');
            if (length > max) throw new InvalidDataException($"a netstring is longer than {max} bytes");
        }
    }
}
