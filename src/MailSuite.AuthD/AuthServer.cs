// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MailSuite.Common;
using MailSuite.Auth;

namespace MailSuite.AuthD;

/// <summary>
/// Password verification as a service, so that nothing facing the network needs root or the
/// shadow group (design.md: SMTP AUTH only verifies). A client writes a login in checkpassword's
/// format, then the client's address as a fourth field, and shuts down its sending side; the
/// answer is one byte: Y (valid), N (invalid, after a delay that grows with the address's
/// failures), T (temporary failure), L (the address is locked out: nothing was checked). The
/// socket is reachable only through PREFIX/authd/ (qmailp:nofiles 0750), i.e. by qmaild and the
/// other nofiles accounts. At most Parallel hash computations run at once; the delay after a
/// failure holds no slot, so guessers slow themselves down, not everyone's logins.
/// </summary>
internal sealed class AuthServer : IDisposable
{
    private const int Parallel = 4;
    private const int MaxConnections = 256;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);
    private readonly Socket listener;
    private readonly AuthLimits limits;
    private readonly FailureCounts counts;
    private readonly SendCounts sent = new();
    private readonly SemaphoreSlim slots = new(Parallel);

    private AuthServer(Socket listener, AuthLimits limits)
    {
        this.listener = listener;
        this.limits = limits;
        counts = new FailureCounts(limits);
    }

    public static AuthServer Listen(string path, AuthLimits limits)
    {
        Socket listener = LocalSocket.Listen(path);
        if (Privileges.EffectiveUid == 0) BecomeVerifier(path);
        return new AuthServer(listener, limits);
    }

    // qmailp, qmail's account for password lookups, plus read access to /etc/shadow.
    private static void BecomeVerifier(string path)
    {
        Account qmailp = Accounts.Require("qmailp");
        FileStatus.Chown(path, qmailp.Uid, qmailp.Gid);
        uint shadow = Accounts.FindGroup("shadow") ?? throw new FailureException(Failure.Temporary("4.3.0", "no group named shadow"));
        Privileges.DropTo(qmailp, [shadow]);
    }

    public int Run()
    {
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Environment.Exit(ExitCodes.Success));
        Log.Info($"ready: uid {Privileges.RealUid}, shadow {(Passwords.CanReadDatabase ? "readable" : "NOT readable")}, " +
                 (limits.LockoutEnabled ? $"lockout after {limits.Failures} failures in {limits.Seconds} s" : "no lockout"));
        LocalSocket.ServeForever(listener, MaxConnections, Serve);
        return ExitCodes.Temporary;
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                client.ReceiveTimeout = (int)ReadLimit.TotalMilliseconds;
                using var stream = new NetworkStream(client, ownsSocket: false);
                byte[] request = ReadRequest(stream, Login.Max + Login.MaxClient + 1);
                client.Send([SendRate.IsOne(request) ? Answer(SendRate.Parse(request)) : Login.Parse(request) is { } login ? Answer(login) : (byte)'N']);
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client went away; it gets no answer, which it takes as temporary.
        }
        catch (Exception e)   // a bug costs one answer, never the service
        {
            Log.Warning($"unexpected {e.GetType().Name}: {ErrorText.Of(e)}");
        }
    }

    // The whole request up to the client's shutdown, or an empty one when it is over the limit.
    private static byte[] ReadRequest(Stream stream, int limit)
    {
        byte[] data = new byte[limit + 1];
        int length = 0, n;
        while (length < data.Length && (n = stream.Read(data.AsSpan(length))) > 0) length += n;
        return length > limit ? [] : data[..length];
    }

    private byte Answer(SendRate? rate)
    {
        if (rate is null) return (byte)'T';
        if (sent.TryCount(rate.User, rate.Messages, rate.Seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds())) return (byte)'Y';
        Log.Event($"send limit: {Log.Sanitize(rate.User)} has started {rate.Messages} messages within {rate.Seconds} s: refused one more");
        return (byte)'N';
    }

    private byte Answer(Login login)
    {
        string key = FailureCounts.Key(login.Client);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long locked = counts.LockedFor(key, now);
        if (locked > 0)
        {
            Log.Event($"refused {Log.Sanitize(login.Name)} from {key}: locked out for {locked} more s");
            return (byte)'L';
        }
        switch (Verify(login, out InvalidLogin why))
        {
            case PasswordVerdict.Valid:
                counts.Succeeded(key);
                return (byte)'Y';
            case PasswordVerdict.Unavailable:
                return (byte)'T';
            default:
                (TimeSpan delay, bool lockedNow, int count) = counts.Failed(key, now);
                if (lockedNow) Log.Warning($"{key}: {count} failed logins within {limits.Seconds} s: locked out for {limits.Seconds} s");
                else Log.Event($"failed login for {Log.Sanitize(login.Name)} from {key}: {InvalidLoginText.Of(why)}, failure {count}, slowed by {delay.TotalSeconds:0} s");
                Thread.Sleep(delay);   // holds no slot: the guesser waits, nobody else
                return AuthAnswers.Invalid(why);
        }
    }

    // The hash work, at most Parallel at once. A database that does not answer is logged with its
    // reason, and the caller hears "temporary".
    private PasswordVerdict Verify(Login login, out InvalidLogin why)
    {
        slots.Wait();
        try
        {
            return Passwords.Verify(login.Name, login.Password, out why);
        }
        catch (FailureException e)
        {
            Log.Warning($"unable to check passwords: {e.Failure.Text}");
            why = InvalidLogin.None;
            return PasswordVerdict.Unavailable;
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        slots.Dispose();
    }
}
