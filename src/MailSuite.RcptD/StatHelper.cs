// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.RcptD;

/// <summary>
/// The privileged half of qmail-rcptd, as root: it answers "is there a regular file at this
/// path?" and nothing else, for paths through a name that starts with ".qmail" (users' homes
/// may be closed to everyone but their owner). A request is the path and a NUL; the answer one
/// byte. It parses nothing else, reads no file, and ends when its one client does.
/// </summary>
internal static class StatHelper
{
    public const int MaxPath = 4096;

    public static void Serve(Stream channel)
    {
        var path = new List<byte>(256);
        int b;
        while ((b = channel.ReadByte()) >= 0)
        {
            if (b != 0)
            {
                if (path.Count <= MaxPath) path.Add((byte)b);
                continue;
            }
            channel.WriteByte((byte)Answer(Encoding.Latin1.GetString([.. path])));
            channel.Flush();
            path.Clear();
        }
    }

    public static DotQmailKind Answer(string path)
    {
        if (!IsDotQmailPath(path)) return DotQmailKind.Trouble;
        try
        {
            return FileStatus.OfTarget(path) is { Kind: FileKind.File } ? DotQmailKind.File : DotQmailKind.Absent;
        }
        catch (FailureException)
        {
            return DotQmailKind.Trouble;
        }
    }

    // Absolute, not too long, no ".." anywhere, and through a .qmail name (an extension may hold
    // '/', as qmail-local's open() would take it; its dots are already ':').
    public static bool IsDotQmailPath(string path)
    {
        if (path.Length is 0 or > MaxPath || path[0] != '/') return false;
        string[] parts = path.Split('/');
        return !parts.Contains("..") && parts.Any(p => p.StartsWith(".qmail", StringComparison.Ordinal));
    }
}
