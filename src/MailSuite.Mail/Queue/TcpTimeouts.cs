// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using System.Net;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>One remembered address: how many connection attempts in a row timed out, and when the last did.</summary>
public sealed record TcpTimeout(IPAddress Address, int Count, DateTimeOffset Last);

/// <summary>
/// queue/lock/tcpto, qmail's memory of hosts that time out (qmail-tcpto(8)): qmail-remote records
/// each connection attempt that times out and forgets the address when a connection succeeds;
/// after two timeouts in a row an address is skipped for an hour, so one dead MX does not cost
/// every delivery timeoutconnect seconds. The file keeps qmail's 1024 bytes, as 32 slots of 32
/// bytes (family, count, time, IPv4 or IPv6 address), read and written under flock.
/// </summary>
public static class TcpTimeouts
{
    private const int Slot = 32;
    private const int Slots = 32;
    private static readonly TimeSpan Penalty = TimeSpan.FromHours(1);

    /// <summary>True when the address timed out twice or more in a row within the last hour.</summary>
    public static bool ShouldSkip(string file, IPAddress address) =>
        Read(file).FirstOrDefault(t => t.Address.Equals(address)) is { Count: >= 2 } t && DateTimeOffset.UtcNow - t.Last < Penalty;

    /// <summary>Counts a timeout against the address (the oldest slot makes room).</summary>
    public static void Record(string file, IPAddress address) => Update(file, list =>
    {
        TcpTimeout? old = list.FirstOrDefault(t => t.Address.Equals(address));
        list.RemoveAll(t => t.Address.Equals(address));
        list.Add(new TcpTimeout(address, Math.Min((old?.Count ?? 0) + 1, 255), DateTimeOffset.UtcNow));
        if (list.Count > Slots) list.Remove(list.MinBy(t => t.Last)!);
    });

    /// <summary>Forgets the address: it answered.</summary>
    public static void Clear(string file, IPAddress address)
    {
        if (!Read(file).Any(t => t.Address.Equals(address))) return;   // the usual case: nothing to write
        Update(file, list => list.RemoveAll(t => t.Address.Equals(address)));
    }

    /// <summary>Forgets every address (qmail-tcpok).</summary>
    public static void ClearAll(string file) => Update(file, list => list.Clear());

    /// <summary>Every remembered address.</summary>
    public static List<TcpTimeout> Read(string file)
    {
        try
        {
            using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return Decode(ReadAll(f));
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    private static void Update(string file, Action<List<TcpTimeout>> change)
    {
        using var f = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        PosixFile.LockExclusive((int)f.SafeFileHandle.DangerousGetHandle());
        List<TcpTimeout> list = Decode(ReadAll(f));
        change(list);
        f.Position = 0;
        f.Write(Encode(list));
        f.Flush();
    }

    private static byte[] ReadAll(FileStream f)
    {
        byte[] data = new byte[Slot * Slots];
        int got = 0, n;
        while (got < data.Length && (n = f.Read(data, got, data.Length - got)) > 0) got += n;
        return data;
    }

    private static List<TcpTimeout> Decode(byte[] data)
    {
        var list = new List<TcpTimeout>();
        for (int i = 0; i + Slot <= data.Length; i += Slot)
        {
            byte family = data[i];
            if (family is not (4 or 6)) continue;
            var address = new IPAddress(data.AsSpan(i + 16, family == 4 ? 4 : 16));
            long when = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(i + 8));
            list.Add(new TcpTimeout(address, data[i + 1], DateTimeOffset.FromUnixTimeSeconds(when)));
        }
        return list;
    }

    private static byte[] Encode(List<TcpTimeout> list)
    {
        byte[] data = new byte[Slot * Slots];
        for (int k = 0; k < list.Count && k < Slots; k++)
        {
            int i = k * Slot;
            byte[] raw = list[k].Address.GetAddressBytes();
            data[i] = (byte)(raw.Length == 4 ? 4 : 6);
            data[i + 1] = (byte)list[k].Count;
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i + 8), list[k].Last.ToUnixTimeSeconds());
            raw.CopyTo(data, i + 16);
        }
        return data;
    }
}
