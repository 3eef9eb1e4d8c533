// SPDX-License-Identifier: MIT
namespace MailSuite.Metrics;

/// <summary>The servers' families, from <see cref="ServiceLogs"/>.</summary>
internal static class ServerCounters
{
    public static void Write(ServiceLogs logs, Exposition o)
    {
        o.Family("mailsuite_connections_total", "counter", "Connections tcpserver or sslserver accepted or denied (rules), by service.");
        foreach (((string service, string ev), long n) in logs.Connections.OrderBy(kv => kv.Key)) o.Sample("mailsuite_connections_total", n, ("service", service), ("event", ev));
        o.Family("mailsuite_smtp_transactions_total", "counter", "qmail-smtpd's transactions by outcome: accepted, temporary, refused, abandoned (no DATA).");
        foreach (((string service, string result), long n) in logs.Transactions.OrderBy(kv => kv.Key)) o.Sample("mailsuite_smtp_transactions_total", n, ("service", service), ("result", result));
        o.Family("mailsuite_smtp_refused_recipients_total", "counter", "Recipients qmail-smtpd refused, by reason: rcpthosts, badmailfrom, no-mailbox, too-many-unknown, check-failed.");
        foreach (((string service, string reason), long n) in logs.RefusedRecipients.OrderBy(kv => kv.Key)) o.Sample("mailsuite_smtp_refused_recipients_total", n, ("service", service), ("reason", reason));
        o.Family("mailsuite_tls_handshake_failures_total", "counter", "TLS handshakes (sslrelay) and STARTTLS negotiations (qmail-smtpd) that failed, by service.");
        foreach ((string service, long n) in logs.TlsFailures.OrderBy(kv => kv.Key)) o.Sample("mailsuite_tls_handshake_failures_total", n, ("service", service));
        o.Family("mailsuite_logins_total", "counter", "SMTP AUTH and POP3 logins by result, by service.");
        foreach (((string service, string result), long n) in logs.Logins.OrderBy(kv => kv.Key)) o.Sample("mailsuite_logins_total", n, ("service", service), ("result", result));
    }
}
