// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Sockets;

namespace MailSuite.AuthD;

/// <summary>
/// Failed logins per client address, so that the guesser waits and not everyone: each failure
/// from an address within the window makes its next answer wait a second longer (2 s, 3 s, ...
/// 10 s), and FAILURES of them lock the address out for the window. A success forgets the
/// address. IPv6 addresses count by /64 (one host has a whole /64 to rotate through). The table
/// holds at most MaxAddresses; past that, expired entries go, and new addresses are not tracked
/// until there is room (they still get the base delay).
/// </summary>
internal sealed class FailureCounts(AuthLimits limits)
{
    private const int MaxAddresses = 100_000;
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, Entry> entries = [];

    private sealed class Entry
    {
        public int Count;
        public long WindowStart;
        public long LockedUntil;
    }

    /// <summary>Seconds the address stays locked out, or 0.</summary>
    public long LockedFor(string key, long now)
    {
        lock (entries)
            return entries.TryGetValue(key, out Entry? e) && e.LockedUntil > now ? e.LockedUntil - now : 0;
    }

    /// <summary>Records a failure; the delay before answering, and whether this one locked the address.</summary>
    public (TimeSpan Delay, bool LockedNow, int Count) Failed(string key, long now)
    {
        lock (entries)
        {
            if (!entries.TryGetValue(key, out Entry? e))
            {
                if (entries.Count >= MaxAddresses) Prune(now);
                if (entries.Count >= MaxAddresses) return (BaseDelay, false, 1);
                entries[key] = e = new Entry { WindowStart = now };
            }
            if (now - e.WindowStart > limits.Seconds) (e.Count, e.WindowStart) = (0, now);
            e.Count++;
            bool lockNow = limits.LockoutEnabled && e.Count >= limits.Failures && e.LockedUntil <= now;
            if (lockNow) e.LockedUntil = now + limits.Seconds;
            TimeSpan delay = BaseDelay + TimeSpan.FromSeconds(e.Count - 1);
            return (delay < MaxDelay ? delay : MaxDelay, lockNow, e.Count);
        }
    }

    public void Succeeded(string key)
    {
        lock (entries) entries.Remove(key);
    }

    /// <summary>The key an address counts under: IPv4 as it is, IPv6 by its /64, anything else as given.</summary>
    public static string Key(string? client)
    {
        if (client is null || !IPAddress.TryParse(client, out IPAddress? ip)) return client ?? "unknown";
        if (ip.IsIPv4MappedToIPv6) return ip.MapToIPv4().ToString();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        byte[] bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private void Prune(long now)
    {
        foreach (var (key, e) in entries.ToList())
            if (e.LockedUntil <= now && now - e.WindowStart > limits.Seconds) entries.Remove(key);
    }
}
