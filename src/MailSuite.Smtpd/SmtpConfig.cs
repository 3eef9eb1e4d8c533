// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Smtpd;

/// <summary>What qmail-smtpd reads before greeting: its control files and tcpserver's environment.</summary>
internal sealed record SmtpConfig(
    string Greeting,
    string LocalIpHost,
    HashSet<string>? RcptHosts,
    string MoreRcptHostsCdb,
    HashSet<string> BadMailFrom,
    long DataBytes,
    int TimeoutSeconds,
    int SessionSeconds,
    string? RelayClient,
    bool CheckRecipients,
    int SpfBehavior,
    int UnknownRecipientLimit,
    string RemoteIp,
    string RemoteHost,
    string? RemoteInfo,
    string LocalHost,
    SmtpAuthConfig Auth,
    string? TlsSession,
    string CertFile,
    SenderPolicy Senders,
    (int Messages, long Seconds)? SendLimit)
{
    public const int MaxRecipients = 10000;

    // Unknown recipients a connection may try before it is closed (harvesting): a person mistyping
    // an address tries a few, a dictionary attack thousands.
    private const long DefaultUnknownRecipientLimit = 10;

    // A whole session, however busy the client keeps it: an hour carries 35 MB at 10 kB/s.
    private const long DefaultSessionSeconds = 3600;

    /// <param name="c">The control directory.</param>
    /// <param name="args">argv after the program name: [hostname checkprogram subprogram...], the smtp-auth patch's.</param>
    public static SmtpConfig Load(ControlDir c, string[] args)
    {
        string greeting = c.LineOrMe("smtpgreeting");
        long databytes = c.Number("databytes", 0);
        if (Env.Get("DATABYTES") is { } env && ControlFile.Number(env) is { } n) databytes = n;
        long timeout = c.Number("timeoutsmtpd", 1200);
        string remoteIp = Env.Get("TCPREMOTEIP", "unknown");
        return new SmtpConfig(
            greeting,
            c.LineOrMe("localiphost"),
            c.List("rcpthosts") is { } rh ? new HashSet<string>(rh, StringComparer.OrdinalIgnoreCase) : null,
            Path.Combine(c.Path, "morercpthosts.cdb"),
            new HashSet<string>(c.List("badmailfrom") ?? [], StringComparer.OrdinalIgnoreCase),
            databytes,
            (int)Math.Clamp(timeout <= 0 ? 1 : timeout, 1, int.MaxValue / 1000),
            (int)Math.Clamp(c.Number("timeoutsmtpdsession", DefaultSessionSeconds), 1, int.MaxValue / 1000),
            Env.Get("RELAYCLIENT"),
            c.Number("rcptcheck", 0) == 1,
            (int)Math.Clamp(c.Number("spfbehavior", 1), 0, 6),
            (int)Math.Clamp(c.Number("badrcptlimit", DefaultUnknownRecipientLimit), 0, int.MaxValue),
            remoteIp,
            Env.Get("TCPREMOTEHOST", "unknown"),
            Env.Get("TCPREMOTEINFO"),
            Env.Get("TCPLOCALHOST") ?? Env.Get("TCPLOCALIP", "unknown"),
            SmtpAuthConfig.From(args, Env.Get("SMTPAUTH")),
            Env.Get("SSL_PROTOCOL") is { Length: > 0 } protocol ? $"{protocol} {Env.Get("SSL_CIPHER", "")}".Trim() : null,
            Env.Get("CERTFILE") is { Length: > 0 } cert ? cert : Path.Combine(c.Path, "servercert.pem"),
            SenderPolicy.Load(c),
            ReadSendLimit(c));
    }

    // control/sendlimit "MESSAGES:SECONDS": messages an authenticated user may start per window (none: no limit).
    private static (int, long)? ReadSendLimit(ControlDir c)
    {
        string? line = c.Line("sendlimit");
        if (line is null) return null;
        return MailSuite.Auth.SendRate.ParseLimit(line) ?? throw new FailureException(Failure.Temporary("4.3.0",
            $"unable to read controls: {Path.Combine(c.Path, "sendlimit")}: expected MESSAGES:SECONDS, e.g. 200:3600, not \"{Log.Sanitize(line)}\""));
    }
}

/// <summary>
/// SMTP AUTH as the smtp-auth patch configures it: argv "hostname checkprogram subprogram..."
/// enables it; SMTPAUTH "-" disables it, a leading "!" makes it required before MAIL (submission).
/// </summary>
internal sealed record SmtpAuthConfig(string[]? CheckProgram, bool Required)
{
    public bool Available => CheckProgram is not null;

    public static SmtpAuthConfig From(string[] args, string? smtpauth)
    {
        string[]? program = args.Length >= 2 && smtpauth != "-" ? args[1..] : null;
        return new SmtpAuthConfig(program, smtpauth?.StartsWith('!') == true);
    }
}
