// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace MailSuite.Common;

/// <summary>
/// Words a person can act on for an exception, qmail's error_str style ("permission denied",
/// "file does not exist"). Native AOT builds strip the runtime's messages down to resource keys
/// (UseSystemResourceKeys: "UnauthorizedAccess_IODenied_Path, /x"), so the runtime's Message is
/// never shown as it is: an errno becomes strerror's text, the common cases have fixed words.
/// </summary>
public static partial class ErrorText
{
    /// <summary>The reason, in lower case, without the file name (callers name the file).</summary>
    public static string Of(Exception e) => e switch
    {
        FailureException f => f.Failure.Text,
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "file does not exist",
        PathTooLongException => "file name too long",
        IOException io when io.HResult is > 0 and < 4096 => Lower(Errno.Describe(io.HResult)),
        _ when !ResourceKey().IsMatch(e.Message) && e.Message.Length > 0 => e.Message,
        OperationCanceledException or TimeoutException => "timed out",
        OutOfMemoryException => "out of memory",
        _ => $"unexpected {e.GetType().Name}",
    };

    private static string Lower(string s) => s.Length > 0 ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    // What a stripped runtime message looks like: "Word_Word" first, maybe ", argument" after.
    [GeneratedRegex(@"^[A-Za-z0-9]+_[A-Za-z0-9_]+(,|$)")]
    private static partial Regex ResourceKey();
}
