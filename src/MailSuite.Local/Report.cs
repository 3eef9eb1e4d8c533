// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Local;

/// <summary>
/// What qmail-local tells qmail-lspawn: plain text lines on fds 1 and 2 (no program prefix), which
/// lspawn passes to qmail-send as the delivery report; and the exit code, 0, 100 or 111.
/// </summary>
internal static class Report
{
    public static int Usage()
    {
        Write(2, "qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty\n");
        return ExitCodes.Permanent;
    }

    public static int Fail(Failure f)
    {
        Write(2, $"{f.Text} (#{f.Status})\n");
        return f.ExitCode;
    }

    public static void Line(string text) => Write(1, text + "\n");

    private static void Write(int fd, string text)
    {
        try
        {
            using var s = Fd.OpenWrite(fd);
            s.Write(Encoding.Latin1.GetBytes(text));
        }
        catch (IOException)
        {
            // The exit code still tells.
        }
    }
}
