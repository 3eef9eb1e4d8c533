// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Rspawn;

/// <summary>
/// The qmail-remote sessions that are connected and waiting for more mail, by host. A delivery
/// takes one for its host or starts a new one, and gives it back when its message is done; one
/// that carried control/remotereuse messages, died, or waited control/remoteidle seconds is
/// closed (QUIT) and reaped. At most <see cref="IdleMax"/> wait at once.
/// </summary>
internal sealed class SessionPool : IDisposable
{
    private const int IdleMax = SpawnLoop.Concurrency;

    private readonly Lock gate = new();
    private readonly List<RemoteSession> idle = [];
    private readonly int reuse;
    private readonly long idleMs;
    private readonly Timer sweeper;

    public SessionPool(int reuse, int idleSeconds)
    {
        this.reuse = reuse;
        idleMs = idleSeconds * 1000L;
        sweeper = new Timer(_ => Sweep(), null, 1000, 1000);
    }

    public RemoteSession? Take(string key)
    {
        lock (gate)
        {
            int i = idle.FindLastIndex(s => s.Host == key);
            if (i < 0) return null;
            RemoteSession s = idle[i];
            idle.RemoveAt(i);
            return s;
        }
    }

    public void Give(RemoteSession session)
    {
        if (!session.Usable || session.Messages >= reuse)
        {
            Close(session);
            return;
        }
        RemoteSession? surplus = null;
        lock (gate)
        {
            idle.Add(session);
            if (idle.Count > IdleMax)
            {
                surplus = idle[0];
                idle.RemoveAt(0);
            }
        }
        if (surplus is not null) Close(surplus);
    }

    private void Sweep()
    {
        List<RemoteSession> stale;
        lock (gate)
        {
            long now = Environment.TickCount64;
            stale = idle.Where(s => now - s.IdleSince >= idleMs).ToList();
            idle.RemoveAll(stale.Contains);
        }
        foreach (RemoteSession s in stale) Close(s);
    }

    // QUIT can take up to timeoutremote; a thread of its own waits, so no delivery does.
    private static void Close(RemoteSession session)
    {
        session.Dispose();
        new Thread(() =>
        {
            ExitStatus status = session.Reap();
            if (!status.Exited || status.Code != 0) Log.Warning($"qmail-remote -s {session.Host} ended with {status}");
        }) { IsBackground = false }.Start();
    }

    /// <summary>Closes every waiting session and waits for each to say QUIT and exit.</summary>
    public void Dispose()
    {
        sweeper.Dispose();
        List<RemoteSession> all;
        lock (gate)
        {
            all = [.. idle];
            idle.Clear();
        }
        foreach (RemoteSession s in all) s.Dispose();
        foreach (RemoteSession s in all) s.Reap();
    }
}
