// SPDX-License-Identifier: MIT
using System.Buffers.Binary;

namespace MailSuite.Common;

/// <summary>
/// Writes a cdb file byte-compatible with cdbmake (tinycdb, ucspi-tcp's tcprules, qmail-newu):
/// a 2048-byte header of 256 (position, slots) pairs, the records (klen, dlen, key, data) in
/// insertion order, then 256 open-addressing hash tables of twice as many slots as keys.
/// The file appears under its name only when complete and fsync'd.
/// </summary>
public sealed class CdbWriter : IDisposable
{
    private const int HeaderSize = 2048;
    private readonly string path;
    private readonly string tmp;
    private readonly int mode;
    private readonly FileStream stream;
    private readonly List<(uint Hash, uint Position)> entries = [];
    private long position = HeaderSize;
    private bool done;

    /// <summary>Starts a new cdb that will replace <paramref name="path"/> on <see cref="Commit"/>.</summary>
    public CdbWriter(string path, int mode = 0b110_100_100, string? tmp = null)
    {
        this.path = path;
        this.mode = mode;
        this.tmp = tmp ?? AtomicFile.TempNameFor(path);
        if (tmp is not null) File.Delete(tmp);
        stream = AtomicFile.Create(this.tmp, mode);
        stream.Write(new byte[HeaderSize]);
    }

    /// <summary>Appends a record; duplicate keys are kept, in order.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        if (position + 8 + key.Length + data.Length > uint.MaxValue)
            throw new FailureException(Failure.Temporary("4.3.0", "cdb would exceed 4 GiB"));
        Span<byte> lengths = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(lengths, (uint)key.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(lengths[4..], (uint)data.Length);
        stream.Write(lengths);
        stream.Write(key);
        stream.Write(data);
        entries.Add((CdbHash.Of(key), (uint)position));
        position += 8 + key.Length + data.Length;
    }

    /// <summary>Writes the hash tables and header, fsyncs, and renames the file into place.</summary>
    public void Commit()
    {
        var header = new byte[HeaderSize];
        var byTable = entries.GroupBy(e => e.Hash & 255).ToDictionary(g => g.Key, g => g.ToList());
        for (uint table = 0; table < 256; table++)
        {
            var inTable = byTable.GetValueOrDefault(table) ?? [];
            int slots = inTable.Count * 2;
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan((int)table * 8), (uint)position);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan((int)table * 8 + 4), (uint)slots);
            WriteTable(inTable, slots);
        }
        stream.Position = 0;
        stream.Write(header);
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        AtomicFile.Commit(tmp, path, mode);
        done = true;
    }

    private void WriteTable(List<(uint Hash, uint Position)> inTable, int slots)
    {
        if (slots == 0) return;
        var table = new (uint Hash, uint Position)[slots];
        foreach (var entry in inTable)
        {
            int slot = (int)((entry.Hash >> 8) % (uint)slots);
            while (table[slot].Position != 0) slot = (slot + 1) % slots;
            table[slot] = entry;
        }
        var bytes = new byte[slots * 8];
        for (int i = 0; i < slots; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8), table[i].Hash);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8 + 4), table[i].Position);
        }
        stream.Write(bytes);
        position += bytes.Length;
        if (position > uint.MaxValue) throw new FailureException(Failure.Temporary("4.3.0", "cdb would exceed 4 GiB"));
    }

    /// <summary>Abandons an uncommitted file: the old cdb stays as it was.</summary>
    public void Dispose()
    {
        if (done) return;
        stream.Dispose();
        File.Delete(tmp);
    }
}
