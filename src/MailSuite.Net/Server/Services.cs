// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>Port numbers by number or by /etc/services name ("smtp", "pop3").</summary>
public static class Services
{
    /// <summary>The port, or null when unknown.</summary>
    public static int? Port(string port)
    {
        if (int.TryParse(port, out int n)) return n is >= 0 and <= 65535 ? n : null;
        try
        {
            foreach (string line in File.ReadLines("/etc/services"))
            {
                string[] f = line.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 2 || !f[1].EndsWith("/tcp", StringComparison.Ordinal)) continue;
                if ((f[0] == port || f.Skip(2).Contains(port)) && int.TryParse(f[1].Split('/')[0], out int p)) return p;
            }
        }
        catch (IOException)
        {
            // No services file: only numbers then.
        }
        return null;
    }
}
