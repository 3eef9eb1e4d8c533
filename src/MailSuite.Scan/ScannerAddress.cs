// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;

namespace MailSuite.Scan;

/// <summary>
/// control/scanner: "spamd:/path/to/socket", "spamd:127.0.0.1:783", "rspamd:127.0.0.1:11333" or
/// "rspamd:/path/to/socket" — which protocol, and where. A Unix socket lets only the accounts its
/// mode allows talk to the scanner.
/// </summary>
internal sealed record ScannerAddress(string Kind, EndPoint EndPoint)
{
    public static ScannerAddress? Parse(string line)
    {
        int colon = line.IndexOf(':');
        if (colon < 0) return null;
        string kind = line[..colon].Trim().ToLowerInvariant(), where = line[(colon + 1)..].Trim();
        if (kind is not ("spamd" or "rspamd") || where.Length == 0) return null;
        if (where.StartsWith('/')) return new ScannerAddress(kind, new UnixDomainSocketEndPoint(where));
        int portColon = where.LastIndexOf(':');
        if (portColon < 0 || !int.TryParse(where[(portColon + 1)..], out int port) || port is < 1 or > 65535) return null;
        string host = where[..portColon].Trim('[', ']');
        return IPAddress.TryParse(host, out IPAddress? ip) ? new ScannerAddress(kind, new IPEndPoint(ip, port)) : null;
    }

    public Socket Connect(TimeSpan timeout)
    {
        var s = EndPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.SendTimeout = s.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            s.Connect(EndPoint);
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }
}
