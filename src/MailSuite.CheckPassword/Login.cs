// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.CheckPassword;

/// <summary>What the caller hands over on fd 3: name\0password\0timestamp\0, nothing longer than 512 bytes.</summary>
internal sealed record Login(string Name, string Password)
{
    private const int Max = 512;

    public static Login? ReadFrom(int fd)
    {
        byte[] data = new byte[Max + 1];
        int length = 0;
        try
        {
            using var input = new FdStream(fd, ownsFd: true);
            int n;
            while (length < data.Length && (n = input.Read(data.AsSpan(length))) > 0) length += n;
        }
        catch (IOException)
        {
            return null;   // fd 3 is not open, or not readable
        }
        if (length > Max) return null;
        int nameEnd = Array.IndexOf(data, (byte)0, 0, length);
        if (nameEnd < 0) return null;
        int passwordEnd = Array.IndexOf(data, (byte)0, nameEnd + 1, length - nameEnd - 1);
        if (passwordEnd < 0) return null;
        return new Login(Encoding.UTF8.GetString(data, 0, nameEnd), Encoding.UTF8.GetString(data, nameEnd + 1, passwordEnd - nameEnd - 1));
    }
}
