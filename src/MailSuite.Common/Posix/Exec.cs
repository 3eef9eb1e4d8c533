// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>Replaces this process with another program (chain loading, as qmail-start and checkpassword do).</summary>
public static class Exec
{
    /// <summary>
    /// Runs argv[0] (searched in PATH when it has no slash) in place of this process, with the
    /// current environment. Returns only on failure, as a temporary failure.
    /// </summary>
    public static FailureException Replace(IReadOnlyList<string> argv)
    {
        _ = Native.Execvp(argv[0], [.. argv, null]);
        return Errno.Temporary("unable to run " + argv[0]);
    }

    /// <summary>
    /// Runs a program by absolute path with exactly the given environment (execve). Returns only
    /// on failure, as a temporary failure.
    /// </summary>
    public static FailureException Replace(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment)
    {
        _ = Native.Execve(path, [.. argv, null], [.. environment, null]);
        return new FailureException(Failure.Temporary("4.3.0", $"unable to run {path}: {Errno.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}"));
    }
}
