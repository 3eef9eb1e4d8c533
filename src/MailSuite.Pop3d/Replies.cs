// SPDX-License-Identifier: MIT
namespace MailSuite.Pop3d;

/// <summary>Every reply qmail-pop3d sends, in one place. Texts are qmail's.</summary>
internal static class Replies
{
    public const string Ok = "+OK ";
    public static string Stat(int count, long bytes) => $"+OK {count} {bytes}";
    public static string Number(int n) => $"+OK {n}";
    public static string Listing(int n, string value) => $"+OK {n} {value}";
    public const string Capabilities = "+OK capability list follows\r\nTOP\r\nUIDL\r\nPIPELINING\r\nIMPLEMENTATION MailSuite\r\n.";
    public const string Unimplemented = "-ERR unimplemented";
    public const string Syntax = "-ERR syntax error";
    public const string CountedFromOne = "-ERR messages are counted from 1";
    public const string NotThatMany = "-ERR not that many messages";
    public const string AlreadyDeleted = "-ERR already deleted";
    public const string UnableToOpen = "-ERR unable to open that message";
    public const string UnableToUnlink = "-ERR unable to unlink all deleted messages";
    public const string NoMaildir = "-ERR this user has no $HOME/Maildir";
    public const string Usage = "-ERR usage: qmail-pop3d maildirname";
    public const string LineTooLong = "-ERR line too long";
}
