// SPDX-License-Identifier: MIT
namespace MailSuite.RblSmtpd;

/// <summary>ucspi-tcp's four states: not yet decided, let the client through, refuse with 451, refuse with 553.</summary>
internal enum Decision
{
    Undecided,
    Accept,
    Reject,
    Bounce,
}

/// <summary>What rblsmtpd decided about the client, and the text it tells a refused one (bytes, as DNS or the environment gave them).</summary>
internal sealed record Verdict(Decision Decision, byte[] Text, bool MustNotBounce)
{
    private const int MaxText = 200;

    public bool Refuses => Decision is Decision.Reject or Decision.Bounce;

    /// <summary>
    /// The reply to every command but HELO/EHLO/MAIL/RSET/NOOP/QUIT: 451 unless the decision was
    /// to bounce and no lookup failed; the text cut at 200 bytes, anything but printable ASCII
    /// shown as '?', as ucspi-tcp 0.88 has it.
    /// </summary>
    public byte[] Reply()
    {
        string code = MustNotBounce || Decision == Decision.Reject ? "451 " : "553 ";
        var reply = new List<byte>(code.Length + MaxText);
        foreach (char c in code) reply.Add((byte)c);
        foreach (byte b in Text.AsSpan(0, Math.Min(Text.Length, MaxText))) reply.Add(b is < 32 or > 126 ? (byte)'?' : b);
        return [.. reply];
    }
}
