// SPDX-License-Identifier: MIT
using System.Globalization;

namespace MailSuite.TcpClient;

/// <summary>
/// tcpclient's command line (ucspi-tcp): [-hHrRdDqQv] [-i localip] [-p localport] [-T timeoutconn]
/// [-l localname] [-t timeoutinfo] host port program [arg...]; options getopt-style.
/// </summary>
internal sealed class ClientOptions
{
    public bool LookUpRemote { get; private set; } = true;    // -h (default) / -H
    public bool Quiet { get; private set; }                    // -q
    public bool Verbose { get; private set; }                  // -v
    public bool NoDelay { get; private set; } = true;          // -D (default) / -d
    public string? LocalIp { get; private set; }
    public int LocalPort { get; private set; }
    public string? LocalName { get; private set; }
    public double FirstTry { get; private set; } = 2;          // -T x+y: x seconds for each address first,
    public double SecondTry { get; private set; } = 58;        // then y seconds for each again
    public string Host { get; private set; } = "";
    public int Port { get; private set; }
    public string[] Program { get; private set; } = [];

    public static ClientOptions? Parse(string[] args)
    {
        var o = new ClientOptions();
        int a = 0;
        for (; a < args.Length && args[a].Length > 1 && args[a][0] == '-'; a++)
        {
            if (args[a] == "--") { a++; break; }
            for (int i = 1; i < args[a].Length; i++)
            {
                char flag = args[a][i];
                if ("ipTlt".Contains(flag, StringComparison.Ordinal))
                {
                    string value = i + 1 < args[a].Length ? args[a][(i + 1)..] : a + 1 < args.Length ? args[++a] : "";
                    if (!o.Take(flag, value)) return null;
                    break;
                }
                if (!o.Flag(flag)) return null;
            }
        }
        if (args.Length - a < 3 || !int.TryParse(args[a + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535) return null;
        o.Host = args[a] == "0" ? "127.0.0.1" : args[a];   // ucspi-tcp: 0 is this host
        o.Port = port;
        o.Program = args[(a + 2)..];
        return o;
    }

    private bool Flag(char flag)
    {
        switch (flag)
        {
            case 'h': LookUpRemote = true; break;
            case 'H': LookUpRemote = false; break;
            case 'r' or 'R': break;   // ident (RFC 1413): never asked, TCPREMOTEINFO unset, as with -R
            case 'd': NoDelay = false; break;
            case 'D': NoDelay = true; break;
            case 'q': Quiet = true; Verbose = false; break;
            case 'Q': Quiet = false; break;
            case 'v': Verbose = true; Quiet = false; break;
            default: return false;
        }
        return true;
    }

    private bool Take(char flag, string value)
    {
        switch (flag)
        {
            case 'i': LocalIp = value; return value.Length > 0;
            case 'p':
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535) return false;
                LocalPort = p;
                return true;
            case 'l': LocalName = value; return true;
            case 't': return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            default:   // T: x+y, or x alone
                string[] parts = value.Split('+');
                if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || x <= 0) return false;
                FirstTry = x;
                SecondTry = parts.Length > 1 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double y) ? y : 0;
                return true;
        }
    }
}
