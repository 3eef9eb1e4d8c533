// SPDX-License-Identifier: MIT
namespace MailSuite.Popup;

/// <summary>Every reply qmail-popup sends, in one place. Texts are qmail's where qmail had one.</summary>
internal static class Replies
{
    public static string Greeting(string host) => $"+OK {host} POP3 ready";
    public const string Ok = "+OK ";
    public const string Capabilities = "+OK capability list follows\r\nUSER\r\nTOP\r\nUIDL\r\nIMPLEMENTATION MailSuite\r\n.";
    public const string Syntax = "-ERR syntax error";
    public const string UserFirst = "-ERR USER first";
    public const string AuthorizationFirst = "-ERR authorization first";
    public const string NoApop = "-ERR APOP is not offered (MD5 challenge-response is broken): use USER and PASS over TLS";
    public const string AuthorizationFailed = "-ERR authorization failed";
    public const string TemporaryFailure = "-ERR temporary problem, try again later";
    public const string ChildCrashed = "-ERR aack, child crashed";
    public const string Usage = "-ERR usage: popup hostname subprogram";
    public const string LineTooLong = "-ERR line too long, closing";
    public const string UnableToRun = "-ERR unable to run the login program";
    public const string TooManyErrors = "-ERR too many errors, closing";
    public const string TooManyCommands = "-ERR too many commands without logging in, closing";
    public const string LoginTimeOver = "-ERR too long without logging in, closing";
}
