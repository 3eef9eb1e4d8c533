// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>The hash of D. J. Bernstein's constant database: h = 5381; h = (h * 33) ^ c.</summary>
public static class CdbHash
{
    /// <summary>The 32-bit cdb hash of a key.</summary>
    public static uint Of(ReadOnlySpan<byte> key)
    {
        uint h = 5381;
        foreach (byte c in key) h = ((h << 5) + h) ^ c;
        return h;
    }
}
