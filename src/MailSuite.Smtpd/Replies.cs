// SPDX-License-Identifier: MIT
namespace MailSuite.Smtpd;

/// <summary>Every reply qmail-smtpd sends, in one place (qmail-smtpd.c's err_* block). Texts are qmail's.</summary>
internal static class Replies
{
    public static string Greeting(string g) => $"220 {g} ESMTP";
    public static string Helo(string g) => $"250 {g}";
    public static string Ehlo(string g, long databytes, bool startTls, bool auth) =>
        $"250-{g}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n" + (startTls ? "250-STARTTLS\r\n" : "") + (auth ? "250-AUTH PLAIN LOGIN\r\n" : "") +
        $"250 SIZE{(databytes > 0 ? " " + databytes : "")}";
    public static string Quit(string g) => $"221 {g}";
    public const string Ok = "250 ok";
    public const string Flushed = "250 flushed";
    public const string Vrfy = "252 send some mail, i'll try my best";
    public const string Help = "214 MailSuite qmail-smtpd: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY QUIT";
    public const string GoAhead = "354 go ahead";
    public static string Accepted(long time, int qp) => $"250 ok {time} qp {qp}";
    public const string Unimplemented = "502 unimplemented (#5.5.1)";
    public const string MailFirst = "503 MAIL first (#5.5.1)";
    public const string RcptFirst = "503 RCPT first (#5.5.1)";
    public const string Syntax = "555 syntax error (#5.5.4)";
    public const string ControlInAddress = "501 sorry, an address may not hold control characters (#5.5.4)";
    public const string LineTooLong = "500 line too long (#5.5.2)";
    public const string BadMailFrom = "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)";
    public const string NotYourSender = "553 sorry, that sender address is not one of yours (#5.7.1)";
    public const string SendLimit = "451 sorry, you have sent too many messages lately; try again later (#4.7.1)";
    public const string CannotCheckSendLimit = "451 sorry, I cannot check your sending rate now; try again later (#4.3.0)";
    public const string NotRcptHost = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)";
    public const string NoMailbox = "550 sorry, no mailbox here by that name (#5.1.1)";
    public const string CannotCheckRecipient = "451 sorry, I cannot check that recipient now; try again later (#4.3.0)";
    public const string TooManyUnknown = "421 too many unknown recipients, closing (#4.7.1)";
    public const string TooManyRecipients = "452 sorry, too many recipients (#4.5.3)";
    public const string TooBig = "552 sorry, that message size exceeds my databytes limit (#5.3.4)";
    public const string Looping = "554 too many hops, this message is looping (#5.4.6)";
    public const string BareNewline = "451 See https://cr.yp.to/docs/smtplf.html: a bare CR or LF in DATA; closing (#4.6.0)";
    public const string QueueStartFailed = "451 qqt failure (#4.3.0)";
    public const string Timeout = "451 timeout (#4.4.2)";
    public static string TooMany(string what) => $"421 too many {what}, closing (#4.7.0)";
    public const string SessionTooLong = "421 session time limit reached, closing (#4.4.2)";
    public const string ReadyForTls = "220 ready to start TLS";
    public const string NoTls = "454 TLS not available due to temporary reason (#4.3.0)";
    public const string AlreadyTls = "503 already in TLS (#5.5.1)";
    public const string TlsFirst = "530 must issue a STARTTLS command first (#5.7.0)";
    public const string AuthRequired = "530 authentication required (#5.7.0)";
    public const string AlreadyAuthenticated = "503 you are already authenticated (#5.5.1)";
    public const string AuthDuringTransaction = "503 no AUTH during a mail transaction (#5.5.1)";
    public const string AuthUnavailable = "502 AUTH not available (#5.5.1)";
    public const string AuthMechanism = "504 unrecognized authentication type (#5.5.4)";
    public const string AuthCancelled = "501 authentication cancelled (#5.0.0)";
    public const string AuthSyntax = "501 malformed authentication data (#5.5.2)";
    public const string AuthOk = "235 ok, go ahead (#2.0.0)";
    public const string AuthFailed = "535 authentication failed (#5.7.8)";
    public const string AuthTemporary = "454 temporary authentication failure (#4.3.0)";
    public const string AskUsername = "334 VXNlcm5hbWU6";   // "Username:"
    public const string AskPassword = "334 UGFzc3dvcmQ6";   // "Password:"
    public const string AskPlain = "334 ";
    public const string ControlsUnreadable = "421 unable to read controls (#4.3.0)";
    public const string InternalError = "421 temporary internal error, closing (#4.3.0)";
}
