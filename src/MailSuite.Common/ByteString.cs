// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// The queue keeps addresses as bytes, and the programs that move them (qmail-send, the spawners,
/// qmail-local, qmail-remote) hold them as "byte strings": one char a byte (Latin-1), so that no
/// byte is ever changed. Text that leaves that world — argv, which .NET encodes and decodes as
/// UTF-8, and file names — is converted here: a UTF-8 local part (RFC 6531) arrives byte for byte.
/// </summary>
public static class ByteString
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text whose UTF-8 the byte string holds; null when its bytes are not UTF-8.</summary>
    public static string? ToText(string bytes)
    {
        if (bytes.All(c => c < 0x80)) return bytes;
        if (bytes.Any(c => c > 0xff)) return null;
        try
        {
            return Strict.GetString(Encoding.Latin1.GetBytes(bytes));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The byte string of a text's UTF-8 (the inverse of <see cref="ToText"/>).</summary>
    public static string FromText(string text) => text.All(c => c < 0x80) ? text : Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
}
