// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;

namespace MailSuite.Common;

/// <summary>One passwd entry as getpwnam(3) gives it.</summary>
internal sealed record PasswdEntry(string Name, string Password, uint Uid, uint Gid, string Home, string Shell);

/// <summary>One group entry as getgrnam(3) gives it, without its members.</summary>
internal sealed record GroupEntry(string Name, uint Gid);

/// <summary>
/// The password and group databases through libc's reentrant lookups (getpwnam_r and friends), so
/// whatever nsswitch.conf names answers, as it does for every other program on the machine.
/// "No such entry" (null) and "the database did not answer" (a temporary FailureException) are
/// different answers: an LDAP server that is down, or an unreadable /etc/passwd, must defer a
/// delivery, never bounce it as "no mailbox here" (Postfix's local(8) defers on the same errors).
/// </summary>
internal static unsafe partial class UserDatabase
{
    private const int ERANGE = 34;
    private const int MaxBuffer = 1 << 20;

    // struct passwd and struct group on glibc x86_64.
    [StructLayout(LayoutKind.Sequential)]
    private struct PasswdRecord
    {
        public IntPtr Name, Password;
        public uint Uid, Gid;
        public IntPtr Gecos, Dir, Shell;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct GroupRecord
    {
        public IntPtr Name, Password;
        public uint Gid;
        public IntPtr Members;
    }

    private delegate int Lookup<T>(T* record, byte* buffer, nuint size, T** found) where T : unmanaged;

    /// <summary>The account named so, or null if there is none; a lookup that fails throws (temporary).</summary>
    internal static PasswdEntry? User(string name) =>
        Valid(name) ? Find<PasswdRecord, PasswdEntry>((r, b, n, f) => GetPwNamR(name, r, b, n, f), ToEntry, Passwd) : null;

    /// <summary>The account with this uid, or null.</summary>
    internal static PasswdEntry? User(uint uid) => Find<PasswdRecord, PasswdEntry>((r, b, n, f) => GetPwUidR(uid, r, b, n, f), ToEntry, Passwd);

    /// <summary>The group named so, or null.</summary>
    internal static GroupEntry? Group(string name) =>
        Valid(name) ? Find<GroupRecord, GroupEntry>((r, b, n, f) => GetGrNamR(name, r, b, n, f), ToEntry, Groups) : null;

    /// <summary>The group with this gid, or null.</summary>
    internal static GroupEntry? Group(uint gid) => Find<GroupRecord, GroupEntry>((r, b, n, f) => GetGrGidR(gid, r, b, n, f), ToEntry, Groups);

    // A name with a NUL would be looked up cut short: no account has one.
    private static bool Valid(string name) => name.Length > 0 && !name.Contains('\0');

    private const string Passwd = "password database", Groups = "group database";

    // Calls the lookup with a buffer that doubles while libc says it is too small (ERANGE).
    // getpwnam_r(3): 0 with no record is "not found"; any other return is an error.
    private static TEntry? Find<T, TEntry>(Lookup<T> lookup, Func<T, TEntry> convert, string database) where T : unmanaged where TEntry : class
    {
        for (int size = 1024; size <= MaxBuffer; size *= 2)
        {
            byte[] buffer = new byte[size];
            T record;
            T* found = null;
            int rc;
            fixed (byte* b = buffer) rc = lookup(&record, b, (nuint)size, &found);
            if (rc == ERANGE) continue;
            if (rc != 0) throw Unreadable(database, Errno.Describe(rc));
            return found != null ? convert(record) : null;
        }
        throw Unreadable(database, "an entry longer than 1 MiB");
    }

    // A lookup that did not answer: a temporary failure, never "no such entry".
    internal static FailureException Unreadable(string database, string reason) =>
        new(Failure.Temporary("4.3.0", $"unable to look up an entry in the {database}: {reason}"));

    private static PasswdEntry ToEntry(PasswdRecord pw) =>
        new(Text(pw.Name), Text(pw.Password), pw.Uid, pw.Gid, Text(pw.Dir), Text(pw.Shell));

    private static GroupEntry ToEntry(GroupRecord gr) => new(Text(gr.Name), gr.Gid);

    private static string Text(IntPtr p) => Marshal.PtrToStringUTF8(p) ?? "";

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetPwNamR(string name, PasswdRecord* record, byte* buffer, nuint size, PasswdRecord** found);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int GetPwUidR(uint uid, PasswdRecord* record, byte* buffer, nuint size, PasswdRecord** found);

    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetGrNamR(string name, GroupRecord* record, byte* buffer, nuint size, GroupRecord** found);

    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    private static partial int GetGrGidR(uint gid, GroupRecord* record, byte* buffer, nuint size, GroupRecord** found);
}
