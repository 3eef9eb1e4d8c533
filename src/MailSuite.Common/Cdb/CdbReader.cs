// SPDX-License-Identifier: MIT
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Common;

/// <summary>
/// Reads a cdb with positioned reads (pread): a lookup costs a few small reads whatever the size
/// of the file, and nothing is loaded up front. Opened per lookup batch, so a cdb replaced by
/// rename is seen by the next open, as tcpserver re-opens its rules for each connection.
/// </summary>
public sealed class CdbReader : IDisposable
{
    private readonly SafeFileHandle file;
    private readonly long length;

    private CdbReader(SafeFileHandle file)
    {
        this.file = file;
        length = RandomAccess.GetLength(file);
    }

    /// <summary>Opens a cdb; null if it does not exist. Any other trouble is temporary.</summary>
    public static CdbReader? Open(string path)
    {
        try
        {
            return PosixFile.OpenReadIfExists(path) is { } file ? new CdbReader(file) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to read {path}: {ErrorText.Of(e)}"));
        }
    }

    /// <summary>The data of the first record with this key, or null.</summary>
    public byte[]? Find(ReadOnlySpan<byte> key)
    {
        foreach (byte[] data in FindAll(key.ToArray())) return data;
        return null;
    }

    /// <summary>The data of every record with this key, in file order.</summary>
    public IEnumerable<byte[]> FindAll(byte[] key)
    {
        uint hash = CdbHash.Of(key);
        Span<byte> pair = stackalloc byte[8];
        ReadAt(pair, (hash & 255) * 8);
        uint tablePos = BinaryPrimitives.ReadUInt32LittleEndian(pair);
        uint slots = BinaryPrimitives.ReadUInt32LittleEndian(pair[4..]);
        return slots == 0 ? [] : Probe(key, hash, tablePos, slots);
    }

    private IEnumerable<byte[]> Probe(byte[] key, uint hash, uint tablePos, uint slots)
    {
        uint slot = (hash >> 8) % slots;
        var pair = new byte[8];
        for (uint tried = 0; tried < slots; tried++)
        {
            ReadAt(pair, tablePos + (long)slot * 8);
            uint slotHash = BinaryPrimitives.ReadUInt32LittleEndian(pair);
            uint recordPos = BinaryPrimitives.ReadUInt32LittleEndian(pair.AsSpan(4));
            if (recordPos == 0) yield break;
            if (slotHash == hash && ReadRecord(recordPos, key) is { } data) yield return data;
            slot = (slot + 1) % slots;
        }
    }

    private byte[]? ReadRecord(uint recordPos, byte[] key)
    {
        Span<byte> lengths = stackalloc byte[8];
        ReadAt(lengths, recordPos);
        uint klen = BinaryPrimitives.ReadUInt32LittleEndian(lengths);
        uint dlen = BinaryPrimitives.ReadUInt32LittleEndian(lengths[4..]);
        if (klen != key.Length) return null;
        var stored = new byte[klen];
        ReadAt(stored, recordPos + 8L);
        if (!stored.AsSpan().SequenceEqual(key)) return null;
        var data = new byte[dlen];
        ReadAt(data, recordPos + 8L + klen);
        return data;
    }

    private void ReadAt(Span<byte> buffer, long offset)
    {
        if (offset < 0 || offset + buffer.Length > length)
            throw new FailureException(Failure.Temporary("4.3.0", "cdb file is truncated or corrupt"));
        int got = RandomAccess.Read(file, buffer, offset);
        if (got != buffer.Length) throw new FailureException(Failure.Temporary("4.3.0", "cdb read was short"));
    }

    /// <inheritdoc/>
    public void Dispose() => file.Dispose();
}
