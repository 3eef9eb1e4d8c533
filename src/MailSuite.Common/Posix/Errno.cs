// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>errno values and their text, for one-line failure messages.</summary>
public static class Errno
{
    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;

    /// <summary>The text of an errno value, as strerror(3) gives it.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>The errno left by the last libc call on this thread.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>A temporary failure naming what was being done and the last errno.</summary>
    public static FailureException Temporary(string doing) =>
        new(Failure.Temporary("4.3.0", $"{doing}: {Describe(Last)}"));
}
