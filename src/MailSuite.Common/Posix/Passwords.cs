// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace MailSuite.Common;

/// <summary>What a password check found.</summary>
public enum PasswordVerdict
{
    /// <summary>The account exists, may log in, and the password is its password.</summary>
    Valid,

    /// <summary>Wrong password, unknown or locked account: the same answer for all three.</summary>
    Invalid,

    /// <summary>The password database could not be read (or nobody asked it): a temporary failure.</summary>
    Unavailable,

    /// <summary>Too many failures from the client's address lately: not checked, try again later.</summary>
    Locked,
}

/// <summary>Why a login was invalid: for the server's log only; the client gets one answer for all.</summary>
public enum InvalidLogin : byte
{
    /// <summary>Not invalid (or not checked).</summary>
    None,

    /// <summary>No such account.</summary>
    UnknownUser,

    /// <summary>The account exists and the password is not its password.</summary>
    WrongPassword,

    /// <summary>The account may not log in: locked (`usermod -L`), expired, or without a password.</summary>
    AccountLocked,

    /// <summary>An empty name or password, or one with a NUL.</summary>
    Malformed,
}

/// <summary>The log's words for an <see cref="InvalidLogin"/>.</summary>
public static class InvalidLoginText
{
    /// <summary>"unknown user", "wrong password", ...</summary>
    public static string Of(InvalidLogin why) => why switch
    {
        InvalidLogin.UnknownUser => "unknown user",
        InvalidLogin.WrongPassword => "wrong password",
        InvalidLogin.AccountLocked => "account locked, expired or without a password",
        InvalidLogin.Malformed => "empty or malformed name or password",
        _ => "refused",
    };
}

/// <summary>
/// Checks a password against the system's password database: /etc/shadow (read access, i.e.
/// root or Debian's shadow group) through libcrypt's crypt(3), so every hash libxcrypt knows
/// works (yescrypt, SHA-512, SHA-256, MD5, bcrypt). An unknown account costs the same hash
/// computation as a known one, so timing does not tell which names exist.
/// </summary>
public static partial class Passwords
{
    private const string LibCrypt = "libcrypt.so.1";
    private const int CryptDataSize = 32768;   // sizeof(struct crypt_data) in libxcrypt
    private const int ERANGE = 34;
    private static readonly Lazy<string> Decoy = new(() => GenSalt("$y$") ?? "$6$decoydecoydecoy$");

    /// <summary>Verifies name and password; never says more than valid or invalid.</summary>
    /// <exception cref="FailureException">A temporary failure, with the reason: the password database did not answer.</exception>
    public static PasswordVerdict Verify(string name, string password) => Verify(name, password, out _);

    /// <summary>
    /// Verifies name and password, and says in <paramref name="why"/> why an invalid one is: for
    /// the log, never for the client. Each invalid case costs the same hash computation.
    /// </summary>
    /// <exception cref="FailureException">A temporary failure, with the reason: the password
    /// database did not answer, which is not "no such account".</exception>
    public static PasswordVerdict Verify(string name, string password, out InvalidLogin why)
    {
        if (password.Length == 0 || name.Length == 0 || name.Contains('\0') || password.Contains('\0'))
            return Refuse(password, InvalidLogin.Malformed, out why);
        PasswdEntry? pw = UserDatabase.User(name);
        if (pw is null) return Refuse(password, InvalidLogin.UnknownUser, out why);
        string? hash = pw.Password;
        if (hash is "x" or "*" or "*NP*")
        {
            Shadow? shadow = LookUpShadow(name);
            if (shadow is null || shadow.Expired) return Refuse(password, InvalidLogin.AccountLocked, out why);
            hash = shadow.Hash;
        }
        if (string.IsNullOrEmpty(hash) || hash[0] is '!' or '*') return Refuse(password, InvalidLogin.AccountLocked, out why);
        string? computed = Crypt(password, hash);
        why = InvalidLogin.AccountLocked;   // a hash libcrypt does not know: nobody can log in with it
        if (computed is null) return PasswordVerdict.Invalid;
        bool right = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(computed), Encoding.UTF8.GetBytes(hash));
        why = right ? InvalidLogin.None : InvalidLogin.WrongPassword;
        return right ? PasswordVerdict.Valid : PasswordVerdict.Invalid;
    }

    // The work a real check would have done, for an answer that is "invalid" anyway.
    private static PasswordVerdict Refuse(string password, InvalidLogin reason, out InvalidLogin why)
    {
        why = reason;
        return Burn(password);
    }

    private static PasswordVerdict Burn(string password)
    {
        _ = Crypt(password.Length == 0 ? "x" : password, Decoy.Value);
        return PasswordVerdict.Invalid;
    }

    /// <summary>crypt(3) of the phrase with the setting (or a whole hash); null if libcrypt refuses it.</summary>
    public static string? Crypt(string phrase, string setting)
    {
        byte[] data = new byte[CryptDataSize];
        IntPtr result = CryptRn(phrase, setting, data, data.Length);
        if (result == IntPtr.Zero) return null;
        string? text = Marshal.PtrToStringUTF8(result);
        return text is null || text.StartsWith('*') ? null : text;
    }

    /// <summary>A fresh random setting for a hash method ("$y$" yescrypt, "$6$" SHA-512, ...).</summary>
    public static string? GenSalt(string prefix)
    {
        byte[] output = new byte[256];
        IntPtr result = CryptGenSaltRn(prefix, 0, IntPtr.Zero, 0, output, output.Length);
        return result == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(result);
    }

    private sealed record Shadow(string Hash, long Expire)
    {
        public bool Expired => Expire > 0 && DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86400 >= Expire;
    }

    // Null when there is no entry; throws when the shadow database does not answer.
    private static Shadow? LookUpShadow(string name)
    {
        byte[] buffer = new byte[4096];
        while (true)
        {
            int rc = GetSpNamR(name, out SpwdRecord record, buffer, (nuint)buffer.Length, out IntPtr found);
            if (rc == ERANGE && buffer.Length < 1 << 20) { buffer = new byte[buffer.Length * 2]; continue; }
            if (rc != 0 && rc != 2)   // ENOENT means "no such entry" on some libcs
                throw ShadowUnanswered(rc == ERANGE ? "an entry longer than 1 MiB" : Errno.Describe(rc));
            if (found == IntPtr.Zero)
            {
                // getspnam_r says nothing when it cannot open /etc/shadow at all: tell the two apart.
                if (!CanReadShadow()) throw ShadowUnanswered($"/etc/shadow is not readable by uid {Native.GetUid()}");
                return null;
            }
            return new Shadow(Marshal.PtrToStringUTF8(record.Password) ?? "", record.Expire.ToInt64());
        }
    }

    private static FailureException ShadowUnanswered(string reason) => UserDatabase.Unreadable("shadow password database", reason);

    /// <summary>True when this process may read /etc/shadow (root, or Debian's shadow group).</summary>
    public static bool CanReadDatabase => CanReadShadow();

    private static bool CanReadShadow() => Native.Access("/etc/shadow", Native.R_OK) == 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct SpwdRecord
    {
        public IntPtr Name;
        public IntPtr Password;
        public nint LastChange;
        public nint Min;
        public nint Max;
        public nint Warn;
        public nint Inactive;
        public nint Expire;
        public nuint Flag;
    }

    [LibraryImport("libc", EntryPoint = "getspnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetSpNamR(string name, out SpwdRecord record, byte[] buffer, nuint length, out IntPtr result);

    [LibraryImport(LibCrypt, EntryPoint = "crypt_rn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr CryptRn(string phrase, string setting, byte[] data, int size);

    [LibraryImport(LibCrypt, EntryPoint = "crypt_gensalt_rn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr CryptGenSaltRn(string prefix, ulong count, IntPtr randomBytes, int randomLength, byte[] output, int outputSize);
}
