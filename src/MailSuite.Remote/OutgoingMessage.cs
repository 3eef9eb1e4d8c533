// SPDX-License-Identifier: MIT
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.IO;

namespace MailSuite.Remote;

/// <summary>The message as one peer gets it: its size for SIZE=, whether it is 8-bit, and how to write it as DATA.</summary>
internal sealed record PreparedMessage(long Size, bool EightBit, Action<DataStream> Write);

/// <summary>
/// The queued message (a file; the caller rewinds it before each peer) and what it needs before it leaves. As queued it goes out
/// byte for byte, unless a line is longer than RFC 5322's 998 octets, or it is 8-bit and the peer
/// did not offer 8BITMIME (RFC 6152), or its From: domain has a DKIM key: then MimeKit re-encodes
/// the parts that need it (quoted-printable or base64; a multipart/signed is left whole) and signs
/// the result (relaxed/relaxed, sha256, the header fields OpenDKIM signs, From oversigned), so
/// the message arrives intact and still verifies. MimeKit parses it in place on the queue file,
/// so memory does not grow with the message.
/// </summary>
internal sealed class OutgoingMessage(FileStream raw, MessageShape shape, DkimSigner? signer)
{
    public bool Signed => signer is not null;

    public PreparedMessage For(bool peerTakes8Bit)
    {
        bool tooLong = shape.LongestLine > MessageShape.MaxLine, downgrade = shape.EightBit && !peerTakes8Bit;
        if (signer is null && !tooLong && !downgrade)
            return new PreparedMessage(shape.Size, shape.EightBit, data => raw.CopyTo(data, 65536));
        MimeMessage message = Load();
        if (tooLong || downgrade) Reencode(message, downgrade ? EncodingConstraint.SevenBit : EncodingConstraint.EightBit);
        if (signer is not null) signer.Sign(Format, message, SignedHeaders.Of(message));
        using var measure = new MeasuringStream();
        message.WriteTo(Format, measure);
        return new PreparedMessage(measure.Length, shape.EightBit && !downgrade, data => message.WriteTo(Format, data));
    }

    // Line ends as SMTP has them, which is also the form DKIM signs.
    private static FormatOptions Format { get; } = CreateFormat();

    private static FormatOptions CreateFormat()
    {
        FormatOptions f = FormatOptions.Default.Clone();
        f.NewLineFormat = NewLineFormat.Dos;
        f.EnsureNewLine = true;
        return f;
    }

    private static void Reencode(MimeMessage message, EncodingConstraint constraint)
    {
        message.Prepare(constraint, MessageShape.MaxLine);
        // A message without MIME headers gains Content-Transfer-Encoding: it is MIME now.
        if (message.MimeVersion is null && message.Body is { Headers.Count: > 0 }) message.MimeVersion = new Version(1, 0);
    }

    private MimeMessage Load()
    {
        raw.Position = 0;
        return MimeMessage.Load(raw, persistent: true);
    }

    /// <summary>The From: domain of the queued message, for its key; parses the header alone.</summary>
    public static string? FromDomain(FileStream message)
    {
        message.Position = 0;
        HeaderList headers = HeaderList.Load(message);
        return DkimKey.FromDomain(headers);
    }
}
