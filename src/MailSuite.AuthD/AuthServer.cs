// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MailSuite.Common;

namespace MailSuite.AuthD;

/// <summary>
/// Password verification as a service, so that nothing facing the network needs root or the
/// shadow group (design.md: SMTP AUTH only verifies). A client writes a login in checkpassword's
/// format and shuts down its sending side; the answer is one byte: Y (valid), N (invalid, after
/// two seconds), T (temporary failure). The socket is reachable only through PREFIX/authd/
/// (qmailp:nofiles 0750), i.e. by qmaild and the other nofiles accounts. At most Parallel
/// checks run at once, so a flood costs the attacker time, not the machine its memory.
/// </summary>
internal sealed class AuthServer : IDisposable
{
    private const int Parallel = 4;
    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);
    private readonly Socket listener;
    private readonly SemaphoreSlim slots = new(Parallel);

    private AuthServer(Socket listener) => this.listener = listener;

    public static AuthServer Listen(string path)
    {
        _ = PosixFile.Unlink(path);   // a socket left by an earlier run
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(64);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to listen on {path}: {e.Message}"));
        }
        FileStatus.Chmod(path, Convert.ToInt32("660", 8));
        if (Privileges.EffectiveUid == 0) BecomeVerifier(path);
        return new AuthServer(listener);
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
        Log.Info($"ready: uid {Privileges.RealUid}, shadow {(Passwords.CanReadDatabase ? "readable" : "NOT readable")}");
        while (true)
        {
            Socket client = listener.Accept();
            slots.Wait();
            new Thread(() => Serve(client)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                client.ReceiveTimeout = (int)ReadLimit.TotalMilliseconds;
                using var stream = new NetworkStream(client, ownsSocket: false);
                Login? login = Login.ReadFrom(stream);
                byte answer = login is null ? (byte)'N' : Verify(login);
                client.Send([answer]);
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client went away; it gets no answer, which it takes as temporary.
        }
        finally
        {
            slots.Release();
        }
    }

    private static byte Verify(Login login)
    {
        switch (Passwords.Verify(login.Name, login.Password))
        {
            case PasswordVerdict.Valid: return (byte)'Y';
            case PasswordVerdict.Unavailable:
                Log.Warning("unable to read the password database");
                return (byte)'T';
            default:
                Thread.Sleep(FailureDelay);
                return (byte)'N';
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        slots.Dispose();
    }
}
