// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.DkNewKey;

/// <summary>
/// Writes a key where qmail-remote finds it (<see cref="DomainKeyFiles"/>): directories 0755
/// root's, the private key 0400 and qmailr's from the moment it has content (created 0400 as
/// root, given away before it is renamed into place), the record 0644, then the selector file
/// that makes the key active. An existing key of the same selector is never overwritten.
/// </summary>
internal sealed class KeyStore(string prefix)
{
    private readonly DomainKeyFiles files = new(Path.Combine(prefix, "control"));

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public bool Exists(string domain, string selector) => File.Exists(files.KeyFile(domain, selector));

    public void Save(string domain, string selector, NewKey key, bool activate)
    {
        InstallIds ids = InstallIds.OfTree(prefix);
        Directory.CreateDirectory(files.Root, DirectoryMode);
        Directory.CreateDirectory(files.DomainDirectory(domain), DirectoryMode);
        WritePrivate(files.KeyFile(domain, selector), key.PrivatePem, ids.User(Role.Qmailr).Uid, ids.Group(GroupRole.Qmail));
        AtomicFile.Write(files.RecordFile(domain, selector), Encoding.ASCII.GetBytes(key.ZoneLine(domain, selector)), Hier.Mode("644"));
        if (activate) AtomicFile.Write(files.SelectorFile(domain), Encoding.ASCII.GetBytes(selector + "\n"), Hier.Mode("644"));
    }

    private static void WritePrivate(string path, string pem, uint uid, uint gid)
    {
        string tmp = AtomicFile.TempNameFor(path);
        try
        {
            using (FileStream stream = AtomicFile.Create(tmp, Hier.Mode("400")))
            {
                stream.Write(Encoding.ASCII.GetBytes(pem));
                stream.Flush(flushToDisk: true);
            }
            FileStatus.Chown(tmp, uid, gid);
            AtomicFile.Commit(tmp, path, Hier.Mode("400"));
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
