// SPDX-License-Identifier: MIT
using System.Text;
using Mono.Unix.Native;

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

    private static string ReadExe()
    {
        var buffer = new StringBuilder(4096);
        long n = Syscall.readlink("/proc/self/exe", buffer);
        if (n <= 0) throw Errno.Temporary("readlink /proc/self/exe");
        return buffer.ToString(0, (int)n);
    }
}
