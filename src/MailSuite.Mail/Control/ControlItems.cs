// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>How a control file is read: first line, first line as a number, or a list.</summary>
public enum ControlShape
{
    /// <summary>The first line.</summary>
    Line,

    /// <summary>The first line, or control/me when missing.</summary>
    LineOrMe,

    /// <summary>The leading digits of the first line.</summary>
    Number,

    /// <summary>Lines, without empty ones and # comments.</summary>
    List,

    /// <summary>host:user:password lines (remoteauth).</summary>
    Credentials,

    /// <summary>A PEM certificate chain and key.</summary>
    Certificate,

    /// <summary>PEM CA certificates.</summary>
    Anchors,

    /// <summary>tcprules source.</summary>
    Rules,

    /// <summary>The DKIM keys directory.</summary>
    DomainKeys,
}

/// <summary>One control file: its name, shape, default and the sentence around its value (qmail-showctl's words).</summary>
public sealed record ControlItem(string Name, ControlShape Shape, string Default, string Before, string After = "");

/// <summary>Every control file the suite reads, in qmail-showctl's order.</summary>
public static class ControlItems
{
    /// <summary>All of them: qmail's, then MailSuite's own.</summary>
    public static readonly IReadOnlyList<ControlItem> All =
    [
        new("badmailfrom", ControlShape.List, "Any MAIL FROM is allowed.", ""),
        new("bouncefrom", ControlShape.Line, "MAILER-DAEMON", "Bounce user name is ", "."),
        new("bouncehost", ControlShape.LineOrMe, "", "Bounce host name is ", "."),
        new("concurrencylocal", ControlShape.Number, "10", "Local concurrency is ", "."),
        new("concurrencyremote", ControlShape.Number, "20", "Remote concurrency is ", "."),
        new("databytes", ControlShape.Number, "0", "SMTP DATA limit is ", " bytes."),
        new("defaultdomain", ControlShape.LineOrMe, "", "Default domain name is ", "."),
        new("defaulthost", ControlShape.LineOrMe, "", "Default host name is ", "."),
        new("doublebouncehost", ControlShape.LineOrMe, "", "2B recipient host: ", "."),
        new("doublebounceto", ControlShape.Line, "postmaster", "2B recipient user: ", "."),
        new("envnoathost", ControlShape.LineOrMe, "", "Presumed domain name is ", "."),
        new("helohost", ControlShape.LineOrMe, "", "SMTP client HELO host name is ", "."),
        new("idhost", ControlShape.LineOrMe, "", "Message-ID host name is ", "."),
        new("localiphost", ControlShape.LineOrMe, "", "Local IP address becomes ", "."),
        new("locals", ControlShape.List, "Messages for me are delivered locally.", "Messages for ", " are delivered locally."),
        new("me", ControlShape.LineOrMe, "", "My name is ", "."),
        new("percenthack", ControlShape.List, "The percent hack is not allowed.", "The percent hack is allowed for user%host@", "."),
        new("plusdomain", ControlShape.LineOrMe, "", "Plus domain name is ", "."),
        new("qmqpservers", ControlShape.List, "No QMQP servers.", "QMQP server: ", "."),
        new("queuelifetime", ControlShape.Number, "604800", "Message lifetime in the queue is ", " seconds."),
        new("rcpthosts", ControlShape.List, "SMTP clients may send messages to any recipient.", "SMTP clients may send messages to recipients at ", "."),
        new("morercpthosts", ControlShape.List, "No effect.", "SMTP clients may send messages to recipients at ", "."),
        new("smtpgreeting", ControlShape.LineOrMe, "", "SMTP greeting: 220 ", "."),
        new("smtproutes", ControlShape.List, "No artificial SMTP routes.", "SMTP route: "),
        new("timeoutconnect", ControlShape.Number, "60", "SMTP client connection timeout is ", " seconds."),
        new("timeoutremote", ControlShape.Number, "1200", "SMTP client data timeout is ", " seconds."),
        new("timeoutsmtpd", ControlShape.Number, "1200", "SMTP server data timeout is ", " seconds."),
        new("virtualdomains", ControlShape.List, "No virtual domains.", "Virtual domain: "),
        // What MailSuite reads beyond qmail 1.03:
        new("timeoutsmtpdsession", ControlShape.Number, "3600", "SMTP server session limit is ", " seconds."),
        new("tlsdestinations", ControlShape.List, "STARTTLS whenever a server offers it, any certificate.", "TLS policy for remote delivery: "),
        new("remotereuse", ControlShape.Number, "100", "Messages one remote SMTP connection may carry (1: a connection per message): ", "."),
        new("remoteidle", ControlShape.Number, "5", "Seconds a remote SMTP connection waits for the next message to its domain (0: none waits): ", "."),
        new("remoteauth", ControlShape.Credentials, "No credentials for relays.", "AUTH to relay "),
        new("authlimits", ControlShape.Line, "10:900", "Failed logins from one address before a lockout, and its seconds: "),
        new("rcptcheck", ControlShape.Number, "0", "Unknown local recipients refused at RCPT (1: yes, ask qmail-rcptd): ", "."),
        new("badrcptlimit", ControlShape.Number, "10", "Unknown recipients one SMTP connection may try before it is closed: ", " (0: no limit)."),
        new("spfbehavior", ControlShape.Number, "1", "SPF at MAIL FROM (0 off, 1 header only, 2 defer on DNS trouble, 3 refuse fail, 4 and softfail, 5 and neutral, 6 all but pass): ", "."),
        new("dmarcpolicy", ControlShape.Number, "0", "DMARC policies honoured by qmail-authres (1: p=reject refused, p=quarantine marked; 0: results only): ", "."),
        new("scanner", ControlShape.Line, "No content scanner: qmail-scan passes mail on unscanned.", "qmail-scan asks ", "."),
        new("scanreject", ControlShape.Line, "Spam is tagged, never refused.", "qmail-scan refuses mail scoring at least ", "."),
        new("scanfailure", ControlShape.Line, "defer", "With the scanner down, qmail-scan does this: ", "."),
        new("bounceformat", ControlShape.Line, "dsn", "Bounces are: ", " (dsn: RFC 3464 reports with qmail's text; qsbmf: qmail's text and the whole message)."),
        new("sendas", ControlShape.List, "Authenticated users send as their own addresses only.", "Sender addresses granted: "),
        new("sendlimit", ControlShape.Line, "No limit on messages per authenticated user.", "Messages an authenticated user may start, and per how many seconds: "),
        new("domainkeys", ControlShape.DomainKeys, "No DKIM keys: qmail-remote signs nothing.", "DKIM: mail from "),
        new("tlsanchors.pem", ControlShape.Anchors, "qmail-remote trusts the system's CAs only.", "qmail-remote also trusts the CA "),
        new("servercert.pem", ControlShape.Certificate, "No certificate: STARTTLS is not offered, SMTPS and POP3S cannot start.", ""),
        new("smtp.tcp", ControlShape.Rules, "rc/mailsuite writes 127.:allow,RELAYCLIENT=\"\" and :allow.", "tcprules source for SMTP (25, 465): "),
        new("pop3.tcp", ControlShape.Rules, "rc/mailsuite writes 127.0.0.1:allow and :deny.", "tcprules source for POP3 (110): "),
    ];

    /// <summary>Files in control/ that no program reads: a typo the administrator should hear about.</summary>
    public static IEnumerable<string> Unknown(string controlDir)
    {
        var known = All.Select(i => i.Name).Concat(["morercpthosts.cdb", "smtp.cdb", "pop3.cdb"]).ToHashSet();
        return Directory.EnumerateFileSystemEntries(controlDir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !known.Contains(name))
            .Order(StringComparer.Ordinal);
    }
}
