// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// Where this install lives: the parent of the directory holding our own executable, read from
/// the kernel (/proc/self/exe), never from argv[0], the environment or the current directory.
/// So /var/qmail/bin/x works in /var/qmail and /tmp/t/bin/x in /tmp/t, with no rebuild.
/// </summary>
public static class Home
{
    private static readonly Lazy<string> Lazy = new(Find);

    /// <summary>The install prefix (qmail's QH), such as /var/qmail.</summary>
    public static string Prefix => Lazy.Value;

    /// <summary>The full path of the running executable.</summary>
    public static string Executable => ReadExe();

    /// <summary>A path inside the install, such as Home.Path("control").</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Prefix, relative);

    private static string Find()
    {
        string exe = ReadExe();
        string bin = System.IO.Path.GetDirectoryName(exe) ?? "/";
        return System.IO.Path.GetDirectoryName(bin) ?? "/";
    }

    // Environment.ProcessPath is the runtime's readlink of /proc/self/exe (no library needed).
    private static string ReadExe() =>
        Environment.ProcessPath ?? throw new FailureException(Failure.Temporary("4.3.0", "cannot read /proc/self/exe"));
}
