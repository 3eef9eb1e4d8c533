// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;
using MailSuite.Mail;

namespace MailSuite.Metrics;

/// <summary>
/// Counters from the servers' logs as rc/mailsuite writes them (LOGDIR/SERVICE.log, each line
/// stamped): connections tcpserver or sslserver accepted or denied; qmail-smtpd's transactions by
/// outcome and its refused recipients by reason; failed TLS handshakes; AUTH and POP3 logins by
/// outcome. Counted from the current file at each scrape, so a counter starts again at zero when
/// logrotate rotates it (Prometheus's rate() takes a reset in its stride).
/// </summary>
internal sealed partial class ServiceLogs
{
    public readonly Dictionary<(string Service, string Event), long> Connections = [];
    public readonly Dictionary<(string Service, string Result), long> Transactions = [];
    public readonly Dictionary<(string Service, string Reason), long> RefusedRecipients = [];
    public readonly Dictionary<string, long> TlsFailures = [];
    public readonly Dictionary<(string Service, string Result), long> Logins = [];

    public void Read(string service, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            if (!LogLine.TryParse(line, out _, out string text)) continue;
            int colon = text.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) continue;
            Line(service, text[..colon], text[(colon + 2)..]);
        }
    }

    private void Line(string service, string program, string text)
    {
        switch (program)
        {
            case "tcpserver" or "sslserver" when text.StartsWith("ok ", StringComparison.Ordinal): Bump(Connections, (service, "accepted")); break;
            case "tcpserver" or "sslserver" when text.StartsWith("deny ", StringComparison.Ordinal): Bump(Connections, (service, "denied")); break;
            case "sslrelay" when text.StartsWith("warning: TLS handshake with ", StringComparison.Ordinal): Bump(TlsFailures, service); break;
            case "qmail-smtpd": Smtpd(service, text); break;
            case "checkpassword": Login(service, text); break;
        }
    }

    private void Smtpd(string service, string text)
    {
        if (text.StartsWith("warning: STARTTLS with ", StringComparison.Ordinal)) Bump(TlsFailures, service);
        else if (text.Contains(" auth failed for ", StringComparison.Ordinal)) Bump(Logins, (service, "failure"));
        else if (AuthLine().IsMatch(text)) Bump(Logins, (service, "success"));
        int result = text.IndexOf(" result=", StringComparison.Ordinal);
        if (!text.StartsWith("ip=", StringComparison.Ordinal) || result < 0) return;
        Bump(Transactions, (service, Outcome(text[(result + 8)..])));
        int refused = text.IndexOf(" refused=", StringComparison.Ordinal);
        if (refused < 0 || refused > result) return;
        string list = text[refused..result];
        foreach (Match m in RefusalReason().Matches(list)) Bump(RefusedRecipients, (service, m.Groups[1].Value));
        if (MoreRefused().Match(list) is { Success: true } more) RefusedRecipients[(service, "unlogged")] =
            RefusedRecipients.GetValueOrDefault((service, "unlogged")) + long.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    // qmail-smtpd's result= is the reply it gave (250 ok, 4xx, 5xx), "no DATA: why" for a
    // transaction cancelled before DATA, or "refused: why" for a MAIL refused outright.
    private static string Outcome(string result) => result switch
    {
        _ when result.StartsWith('2') => "accepted",
        _ when result.StartsWith('4') => "temporary",
        _ when result.StartsWith('5') || result.StartsWith("refused", StringComparison.Ordinal) => "refused",
        _ when result.StartsWith("no DATA", StringComparison.Ordinal) => "abandoned",
        _ => "other",
    };

    private void Login(string service, string text)
    {
        if (text.StartsWith("login failed for ", StringComparison.Ordinal) || text.StartsWith("login refused for ", StringComparison.Ordinal))
            Bump(Logins, (service, "failure"));
        else if (text.StartsWith("login ", StringComparison.Ordinal)) Bump(Logins, (service, "success"));
    }

    private static void Bump<TKey>(Dictionary<TKey, long> counts, TKey key) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    [GeneratedRegex(@"^ip=\S+ auth=\S+ tls=")]
    private static partial Regex AuthLine();

    [GeneratedRegex(@">:([a-z-]+)")]
    private static partial Regex RefusalReason();

    [GeneratedRegex(@",\+(\d+)$")]
    private static partial Regex MoreRefused();
}
