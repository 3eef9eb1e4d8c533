// SPDX-License-Identifier: MIT
using System.Net.Sockets;

namespace MailSuite.Scan;

/// <summary>A scanner's whole answer, bounded, and a piece of it fit for a log line.</summary>
internal static class Response
{
    private const int Max = 1 << 20;

    public static byte[] ReadAll(Socket s)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = s.Receive(buffer)) > 0)
        {
            all.Write(buffer, 0, n);
            if (all.Length > Max) throw new IOException($"the scanner's answer is over {Max} bytes");
        }
        return all.ToArray();
    }

    public static string Shown(string s) => MailSuite.Common.Log.Sanitize(s.Length > 80 ? s[..80] : s);
}
