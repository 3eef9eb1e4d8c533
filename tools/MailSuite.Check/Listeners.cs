// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Net;

namespace MailSuite.Check;

/// <summary>A listening TCP socket and the program holding it.</summary>
internal sealed record Listener(IPEndPoint Endpoint, int Pid, string Program);

/// <summary>Listening sockets from /proc/net/tcp and tcp6, matched to processes through their fds (what nmap saw, from inside).</summary>
internal static class Listeners
{
    private const string Listen = "0A";

    public static List<Listener> OfPrograms(Func<string, bool> exe)
    {
        Dictionary<string, IPEndPoint> sockets = ListeningSockets();
        var found = new List<Listener>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string program;
            try
            {
                program = new FileInfo($"{dir}/exe").LinkTarget ?? "";
                if (!exe(program)) continue;
                foreach (string fd in Directory.GetFiles($"{dir}/fd"))
                    if (new FileInfo(fd).LinkTarget is string t && t.StartsWith("socket:[", StringComparison.Ordinal)
                        && sockets.TryGetValue(t[8..^1], out IPEndPoint? ep)) found.Add(new Listener(ep, pid, Path.GetFileName(program)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    // inode -> local endpoint, for sockets in LISTEN state.
    private static Dictionary<string, IPEndPoint> ListeningSockets()
    {
        var map = new Dictionary<string, IPEndPoint>();
        foreach (string file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (string line in File.ReadLines(file).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != Listen) continue;
                map[f[9]] = Parse(f[1]);
            }
        }
        return map;
    }

    // "0100007F:0019" (little-endian words) -> 127.0.0.1:25
    private static IPEndPoint Parse(string text)
    {
        string[] parts = text.Split(':');
        byte[] raw = Convert.FromHexString(parts[0]);
        for (int i = 0; i < raw.Length; i += 4) Array.Reverse(raw, i, 4);
        var address = new IPAddress(raw);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return new IPEndPoint(address, int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
