// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

/// <summary>
/// A password database that fails for one account, as one whose LDAP source is down does: a copy
/// of /etc/passwd with that account moved last, behind an entry longer than any lookup buffer
/// (2 MiB). glibc answers ERANGE for it (and for any name it does not find); every account before
/// the long entry still resolves. Programs see it through <see cref="Wrapper"/>, which
/// bind-mounts the copy over /etc/passwd in a private mount namespace and execs its arguments.
/// </summary>
internal sealed class BrokenPasswd : IDisposable
{
    private readonly string[] others;
    private readonly string entry;

    public string File { get; } = System.IO.Path.Combine("/tmp", "mailsuite-passwd-" + Guid.NewGuid().ToString("N")[..8]);

    public BrokenPasswd(string account)
    {
        string[] lines = System.IO.File.ReadAllLines("/etc/passwd");
        entry = Assert.Single(lines, l => l.StartsWith(account + ":", StringComparison.Ordinal));
        others = lines.Where(l => l != entry).ToArray();
        string longEntry = $"mstestlong:x:64999:64999:{new string('g', 2 << 20)}:/nonexistent:/usr/sbin/nologin";
        Write([.. others, longEntry, entry]);
    }

    /// <summary>unshare and sh, then the program and its arguments, appended by the caller.</summary>
    public string[] Wrapper => ["unshare", "--mount", "sh", "-c", "mount --bind \"$0\" /etc/passwd && exec \"$@\"", File];

    /// <summary>Removes the long entry, in place: the mount namespace sees the same file.</summary>
    public void Repair() => Write([.. others, entry]);

    private void Write(string[] lines)
    {
        using var f = new FileStream(File, FileMode.OpenOrCreate, FileAccess.Write);
        f.SetLength(0);
        byte[] text = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        f.Write(text);
        System.IO.File.SetUnixFileMode(File, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public void Dispose() => System.IO.File.Delete(File);
}
