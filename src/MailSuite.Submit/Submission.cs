// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Mail;
using MimeKit;

namespace MailSuite.Submit;

/// <summary>What becomes of one submitted message: refused (and why), or passed on with these header fields added.</summary>
internal sealed record Verdict(string? Refusal, string AddedFields);

/// <summary>
/// A submitted message's header, checked and completed (RFC 6409 8.2, 8.3): every From: address
/// must be the authenticated user's own (the SenderPolicy qmail-smtpd applies to MAIL FROM), and
/// Date: and Message-ID: are added when missing. MimeKit parses the header; the body is never
/// looked at.
/// </summary>
internal sealed class Submission(SenderPolicy senders, string idHost)
{
    public Verdict Check(ReadOnlySpan<byte> header, string? user, DateTimeOffset now)
    {
        HeaderList headers;
        try
        {
            headers = HeaderList.Load(new MemoryStream(header.ToArray()));
        }
        catch (FormatException)
        {
            headers = [];
        }
        if (user is not null && FromRefusal(headers, user) is { } refusal) return new Verdict(refusal, "");
        var added = new StringBuilder();
        if (!headers.Contains(HeaderId.Date)) added.Append("Date: ").Append(MailDate.Header(now)).Append('\n');
        if (!headers.Contains(HeaderId.MessageId)) added.Append("Message-ID: ").Append(MessageId(now)).Append('\n');
        return new Verdict(null, added.ToString());
    }

    private string? FromRefusal(HeaderList headers, string user)
    {
        foreach (Header from in headers.Where(h => h.Id == HeaderId.From))
        {
            if (!InternetAddressList.TryParse(from.Value, out InternetAddressList? list))
                return $"{user}: a From: field that is not an address list";
            foreach (MailboxAddress m in list.Mailboxes)
                if (!senders.MayUse(user, m.Address)) return $"{user} may not send as From: {m.Address}";
        }
        return null;
    }

    private string MessageId(DateTimeOffset now) =>
        $"<{now.ToUnixTimeSeconds()}.{Environment.ProcessId}.{Random.Shared.Next():x8}.qmail@{idHost}>";
}
