// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// Copies the caller's envelope (F sender NUL, T recipient NUL..., NUL) into intd/n after qmail's
/// u (real uid) and p (pid) records, checking its shape as it goes: a record that is not F first
/// or T after is 91, an address of 1003 bytes or more is 11, an envelope that ends early is 54.
/// </summary>
public static class EnvelopeCopy
{
    private const int MaxAddress = 1003;

    /// <summary>Copies the envelope into intd after the u and p records; a qmail-queue exit code (0: copied).</summary>
    public static int Run(Stream envelope, Stream intd, uint uid, int pid)
    {
        var input = new BufferedStream(envelope, 4096);
        Write(intd, $"u{uid}\0p{pid}\0");
        int first = ReadByte(input);
        if (first != 'F') return QqExit.EnvelopeFormat;
        intd.WriteByte((byte)'F');
        if (!CopyAddress(input, intd)) return QqExit.AddressTooLong;
        while (true)
        {
            int type = ReadByte(input);
            if (type == 0) return QqExit.Ok;
            if (type != 'T') return QqExit.EnvelopeFormat;
            intd.WriteByte((byte)'T');
            if (!CopyAddress(input, intd)) return QqExit.AddressTooLong;
        }
    }

    // Copies one NUL-terminated address, the NUL included; false if it is too long.
    private static bool CopyAddress(Stream input, Stream intd)
    {
        for (int len = 0; len < MaxAddress; len++)
        {
            int c = ReadByte(input);
            intd.WriteByte((byte)c);
            if (c == 0) return true;
        }
        return false;
    }

    private static int ReadByte(Stream input)
    {
        int c;
        try
        {
            c = input.ReadByte();
        }
        catch (IOException e)
        {
            throw new QueueReadException(ErrorText.Of(e));
        }
        return c >= 0 ? c : throw new QueueReadException("envelope ended early");
    }

    private static void Write(Stream s, string text) => s.Write(System.Text.Encoding.ASCII.GetBytes(text));
}
