// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.MaildirMake;

/// <summary>Creates an empty Maildir as maildir(5) describes it.</summary>
internal static class Maildir
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates dir and its tmp, new and cur; an existing dir is an error, as in qmail.</summary>
    public static void Make(string dir)
    {
        MakeOne(dir);
        foreach (string sub in (string[])["tmp", "new", "cur"]) MakeOne(Path.Combine(dir, sub));
    }

    private static void MakeOne(string path)
    {
        if (Directory.Exists(path) || File.Exists(path))
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to mkdir {path}: file already exists"));
        string parent = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        if (!Directory.Exists(parent))
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to mkdir {path}: no such directory {parent}"));
        try
        {
            Directory.CreateDirectory(path, Private);
            File.SetUnixFileMode(path, Private);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to mkdir {path}: {ErrorText.Of(e)}"));
        }
    }
}
