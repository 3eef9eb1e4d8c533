// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// Why a step failed. The kind is the class digit of the RFC 3463 status, so the kind can never
/// disagree with the text: "4.x.x" is temporary (retry), "5.x.x" is permanent (a decision about
/// the message or address). Anything the OS does is temporary.
/// </summary>
public sealed record Failure
{
    /// <summary>The RFC 3463 status, such as "4.3.0" or "5.1.1".</summary>
    public string Status { get; }

    /// <summary>One line of printable text, no CR or LF.</summary>
    public string Text { get; }

    private Failure(string status, string text)
    {
        if (status is not [('4' or '5'), '.', _, ..] || text.AsSpan().ContainsAny('\r', '\n'))
            throw new ArgumentException($"malformed failure: {status} {text}");
        (Status, Text) = (status, text);
    }

    /// <summary>True for a 5.x.x status: retrying cannot help.</summary>
    public bool IsPermanent => Status[0] == '5';

    /// <summary>A failure worth retrying later.</summary>
    public static Failure Temporary(string status, string text) =>
        status.StartsWith('4') ? new(status, text) : throw new ArgumentException(status, nameof(status));

    /// <summary>A final decision about the message or address.</summary>
    public static Failure Permanent(string status, string text) =>
        status.StartsWith('5') ? new(status, text) : throw new ArgumentException(status, nameof(status));

    /// <summary>Trouble nobody classified: retry, never bounce.</summary>
    public static Failure Unexpected(string doing, Exception e) =>
        Temporary("4.3.0", $"{doing}: {e.GetType().Name}: {OneLine(ErrorText.Of(e))}");

    /// <summary>The exit code of a delivery-style program: 100 permanent, 111 temporary.</summary>
    public int ExitCode => IsPermanent ? ExitCodes.Permanent : ExitCodes.Temporary;

    /// <summary>The failure as an SMTP reply line (without CRLF).</summary>
    public string SmtpReply => $"{(IsPermanent ? 554 : 451)} {Text} (#{Status})";

    /// <summary>The failure as a POP3 reply line (without CRLF).</summary>
    public string Pop3Reply => $"-ERR {Text}";

    /// <summary>The failure as qmail's status text: D or Z, text, status (qmail_close() style).</summary>
    public string StatusLine => $"{(IsPermanent ? 'D' : 'Z')}{Text} (#{Status})";

    /// <inheritdoc/>
    public override string ToString() => $"{Text} (#{Status})";

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}

/// <summary>Carries a <see cref="Failure"/> out of deep code to the Program that maps it to an exit code.</summary>
public sealed class FailureException(Failure failure) : Exception(failure.ToString())
{
    /// <summary>What went wrong.</summary>
    public Failure Failure { get; } = failure;
}
