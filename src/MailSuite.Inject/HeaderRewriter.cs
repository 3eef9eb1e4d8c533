// SPDX-License-Identifier: MIT
using MailSuite.Mail;
using MimeKit;

namespace MailSuite.Inject;

/// <summary>The rewritten header and the recipients it names.</summary>
internal sealed record RewrittenHeader(HeaderList Headers, List<string> Recipients);

/// <summary>
/// qmail-header(5), with MimeKit doing the RFC 5322 parsing: address fields get bare names
/// completed; Bcc, Resent-Bcc, Return-Path and Content-Length are removed; From, Date and
/// Message-ID are added when missing, and "Cc: recipient list not shown: ;" when there is no To
/// or Cc. The recipients are those of To, Cc, Bcc (or of the Resent- fields when there are any).
/// The body is never parsed.
/// </summary>
internal static class HeaderRewriter
{
    private static readonly string[] AddressFields = ["From", "Sender", "Reply-To", "To", "Cc", "Bcc",
        "Resent-From", "Resent-Sender", "Resent-Reply-To", "Resent-To", "Resent-Cc", "Resent-Bcc", "Mail-Followup-To"];

    private static readonly string[] Removed = ["Bcc", "Resent-Bcc", "Return-Path", "Content-Length"];

    public static RewrittenHeader Rewrite(HeaderList headers, Identity id)
    {
        foreach (Header h in headers)
            if (AddressFields.Contains(h.Field, StringComparer.OrdinalIgnoreCase)) Qualify(h, id);
        bool resent = headers.Any(h => h.Field.StartsWith("Resent-", StringComparison.OrdinalIgnoreCase));
        string[] recipientFields = resent ? ["Resent-To", "Resent-Cc", "Resent-Bcc"] : ["To", "Cc", "Bcc", "Apparently-To"];
        var recipients = headers.Where(h => recipientFields.Contains(h.Field, StringComparer.OrdinalIgnoreCase))
            .SelectMany(h => Mailboxes(h.Value)).ToList();
        foreach (string field in Removed)
            while (headers.IndexOf(field) is var i and >= 0) headers.RemoveAt(i);

        if (!headers.Contains(HeaderId.From)) headers.Add("From", FromLine(id));
        if (!headers.Contains(HeaderId.Date)) headers.Add("Date", MailDate.Header(DateTimeOffset.UtcNow));
        if (!headers.Contains(HeaderId.MessageId)) headers.Add("Message-ID", MessageId(id));
        if (!headers.Contains(HeaderId.To) && !headers.Contains(HeaderId.Cc)) headers.Add("Cc", "recipient list not shown: ;");
        return new RewrittenHeader(headers, recipients);
    }

    private static void Qualify(Header h, Identity id)
    {
        if (!InternetAddressList.TryParse(h.Value, out InternetAddressList? list)) return;
        bool changed = false;
        foreach (MailboxAddress m in list.Mailboxes)
        {
            string q = id.Qualify(m.Address);
            if (q == m.Address) continue;
            try
            {
                m.Address = q;
            }
            catch (ParseException)
            {
                continue;   // not an address MimeKit can write: it goes on as the sender wrote it
            }
            changed = true;
        }
        if (changed) h.SetValue(FormatOptions.Default, System.Text.Encoding.UTF8, list.ToString());
    }

    private static IEnumerable<string> Mailboxes(string value) =>
        InternetAddressList.TryParse(value, out InternetAddressList? list) ? list.Mailboxes.Select(m => m.Address) : [];

    private static string FromLine(Identity id)
    {
        string address = $"{id.User}@{id.Host}";
        return id.Name is null ? address : new MailboxAddress(id.Name, address).ToString();
    }

    private static string MessageId(Identity id) =>
        $"<{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.ProcessId}.{Random.Shared.Next():x8}.qmail@{id.IdHost}>";
}
