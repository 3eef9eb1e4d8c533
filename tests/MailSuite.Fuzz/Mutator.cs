// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Fuzz;

/// <summary>
/// Inputs a hostile client would try: seeds mutated by flips, deletions, duplications and the
/// bytes protocols care about (NUL, CR, LF, '.', '&lt;', '&gt;', '@', ':', quotes, 8-bit), now and
/// then a piece repeated until the input is a megabyte long.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly byte[] Special = "\0\r\n.<>@:\"\\ \t-=,|&#/[]%!\x7f\xff\xc3\xa9"u8.ToArray();
    private readonly Random random = new(seed);

    public Random Random => random;

    public byte[] Next(IReadOnlyList<string> seeds)
    {
        var data = new List<byte>(Encoding.Latin1.GetBytes(seeds[random.Next(seeds.Count)]));
        int rounds = random.Next(1, 8);
        for (int i = 0; i < rounds; i++) Mutate(data);
        if (random.Next(20_000) == 0) Grow(data);
        return data.ToArray();
    }

    private void Mutate(List<byte> data)
    {
        int at = data.Count == 0 ? 0 : random.Next(data.Count);
        switch (random.Next(7))
        {
            case 0: if (data.Count > 0) data[at] ^= (byte)(1 << random.Next(8)); break;
            case 1: data.Insert(at, Special[random.Next(Special.Length)]); break;
            case 2: if (data.Count > 0) data.RemoveRange(at, Math.Min(random.Next(1, 16), data.Count - at)); break;
            case 3: if (data.Count > 0) data.InsertRange(at, data.GetRange(at, Math.Min(random.Next(1, 64), data.Count - at))); break;
            case 4: data.Insert(at, (byte)random.Next(256)); break;
            case 5: if (data.Count > 0) data.RemoveRange(at, data.Count - at); break;
            default: data.InsertRange(at, "\r\n"u8.ToArray()); break;
        }
    }

    // One input in 20,000: a piece repeated to a megabyte (a line a million times too long).
    private static void Grow(List<byte> data)
    {
        byte[] piece = data.Count == 0 ? "A"u8.ToArray() : data.GetRange(0, Math.Min(data.Count, 16)).ToArray();
        while (data.Count < 1 << 20) data.AddRange(piece);
    }
}
