// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>Wake-up from lock/trigger: new mail in todo/.</summary>
internal sealed record Trigger;

/// <summary>A signal: TERM, ALRM or HUP.</summary>
internal sealed record SignalEvent(string Name);

/// <summary>
/// qmail-send's loop. Only this thread touches the queue; spawner reports, trigger pokes and
/// signals arrive as events. Each turn: handle events, preprocess new mail, start every delivery
/// that is due and has a free slot, then sleep until the next event or due time. A message's
/// channel waits for its next try in a priority queue; when due, it gets in line for a pass, and
/// when its turn comes the pass reads its recipients from local/n or remote/n and starts every
/// one still to do, in file order, as slots free up. Every step is O(log n) or O(1) per
/// recipient: no scan of the whole queue per event; and only the messages in a pass have their
/// recipients in memory. Retries follow
/// qmail's schedule: after an attempt at t, next = birth + (isqrt(t - birth) + c)^2 with c = 10
/// for local and 20 for remote; past queuelifetime a temporary failure becomes permanent.
/// </summary>
internal sealed partial class Scheduler(QueueLayout queue, Controls controls, Spawner?[] spawners, CleanClient clean)
{
    private const long TodoRescan = 1500;
    private const int TodoBatch = 64;
    private const string NoRemote = "Remote delivery is not available yet: the message waits in the queue. (#4.3.0)";
    private readonly BlockingCollection<object> events = [];
    private readonly Dictionary<ulong, QueuedMessage> messages = [];
    private readonly Queue<Job> pendingWithoutSpawner = new();   // remote, while qmail-rspawn does not exist
    private readonly RetryQueue retries = new();
    private readonly Queue<QueuedMessage>[] passes = [new(), new()];   // messages with recipients to start, per channel
    private readonly PriorityQueue<QueuedMessage, long> bounceRetries = new();
    private Controls controls = controls;
    private long deliveries;
    private long nextTodoScan;
    private long nextOssifiedScan;
    private const long OssifiedScanEvery = 76431;   // qmail's period, about 21 hours
    private bool todoPending = true;
    private bool stopping;

    public BlockingCollection<object> Events => events;

    public int Run()
    {
        LoadQueue();
        RemoveOssified();
        foreach (Spawner? s in spawners) s?.ReadReports(events);
        LogStatus();
        while (true)
        {
            if (stopping && Running() == 0) break;
            if (!stopping)
            {
                if (todoPending || Now() >= nextTodoScan) ScanTodo();
                if (Now() >= nextOssifiedScan) RemoveOssified();
                StartDue();
            }
            IdleMemory.Touch();
            if (events.TryTake(out object? e, WaitTime())) Handle(e);
            while (events.TryTake(out object? more)) Handle(more);
        }
        SaveRetryTimes();
        Log.Event("status: exiting");
        return ExitCodes.Success;
    }

    private void Handle(object e)
    {
        switch (e)
        {
            case Trigger: todoPending = true; break;
            case SpawnReport r: Report(r); break;
            case SpawnerLost l:
                Log.Alert($"oh no! lost spawn connection! dying...");
                spawners[l.Channel] = null;
                stopping = true;
                break;
            case SignalEvent { Name: "TERM" }: stopping = true; break;
            case SignalEvent { Name: "ALRM" }: retries.RetryAllNow(messages.Values); break;
            case SignalEvent { Name: "HUP" }: RereadControls(); break;
            case PostmasterRequest r: Postmaster(r); break;
        }
    }

    // qmail's regetcontrols: a control file that cannot be read now leaves the old controls in
    // force; delivery never stops over a reload.
    private void RereadControls()
    {
        try
        {
            controls = Controls.Load(ControlDir.OfThisInstall());
            Log.Event("status: controls reread");
        }
        catch (FailureException e)
        {
            Log.Alert($"unable to reread controls, keeping the old ones: {e.Failure.Text}");
        }
    }

    // qmail-send's cleanup of what a crashed qmail-queue left (states S2 and S3): a mess file
    // with neither todo nor info, untouched for 36 hours (longer than qmail-queue's 24-hour
    // deadline, so no qmail-queue can still be writing it), goes through qmail-clean.
    private void RemoveOssified()
    {
        nextOssifiedScan = Now() + OssifiedScanEvery;
        DateTime cutoff = DateTime.UtcNow - TimeSpan.FromHours(36);
        foreach (string dir in Directory.EnumerateDirectories(Path.Combine(queue.Dir, "mess")))
            foreach (string file in Directory.EnumerateFiles(dir))
            {
                if (!ulong.TryParse(Path.GetFileName(file), out ulong n) || messages.ContainsKey(n)) continue;
                if (File.Exists(queue.Todo(n)) || File.Exists(queue.Info(n)) || File.GetLastWriteTimeUtc(file) > cutoff) continue;
                Log.Warning($"removing ossified mess/{QueueLayout.MessRelative(n)} left by a crashed qmail-queue");
                if (!clean.Request($"foop/{n}")) Log.Warning($"qmail-clean unable to clean up mess/{QueueLayout.MessRelative(n)}");
            }
    }

    private void LoadQueue()
    {
        foreach (string dir in Directory.EnumerateDirectories(Path.Combine(queue.Dir, "info")))
            foreach (string file in Directory.EnumerateFiles(dir))
            {
                // A message that still has todo/n is in state S4: its info/local/remote are stale
                // leftovers of a preprocessing a crash cut short, and preprocessing starts over.
                if (!ulong.TryParse(Path.GetFileName(file), out ulong n) || File.Exists(queue.Todo(n))) continue;
                if (QueuedMessage.Load(queue, n) is { } m) messages[n] = m;
            }
        foreach (QueuedMessage m in messages.Values.ToList()) Admit(m);
    }

    // Preprocesses up to TodoBatch messages per turn, oldest first, with one commit for the batch;
    // with more waiting, the next turn goes on after deliveries have been started, so a burst of
    // new mail does not hold up delivery of what is already preprocessed.
    private void ScanTodo()
    {
        todoPending = false;
        nextTodoScan = Now() + TodoRescan;
        var batch = new List<Todo.Prepared>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(queue.Dir, "todo")).Order())
        {
            if (!ulong.TryParse(Path.GetFileName(file), out ulong n) || messages.ContainsKey(n)) continue;
            if (batch.Count == TodoBatch)
            {
                todoPending = true;
                break;
            }
            try
            {
                if (Todo.Prepare(n, queue, controls) is { } p) batch.Add(p);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.Warning($"trouble preprocessing todo/{n}, will try again: {ErrorText.Of(e)}");
            }
        }
        Commit(batch);
    }

    private void Commit(List<Todo.Prepared> batch)
    {
        try
        {
            Todo.Commit(batch, queue, clean);
        }
        catch (Exception e) when (e is IOException or FailureException)
        {
            Log.Warning($"trouble making {batch.Count} new message(s) durable, will try again: {ErrorText.Of(e)}");
            return;
        }
        foreach (Todo.Prepared p in batch)
        {
            messages[p.Message.Number] = p.Message;
            Admit(p.Message);
        }
    }

    // A message enters scheduling: each channel with recipients to do waits for its next try.
    private void Admit(QueuedMessage m)
    {
        retries.Arm(m, Channel.Local);
        retries.Arm(m, Channel.Remote);
        if (m.Finished) Complete(m);
    }

    private void StartDue()
    {
        long now = Now();
        foreach ((QueuedMessage m, int ch) in retries.TakeDue(now)) passes[ch].Enqueue(m);
        while (bounceRetries.TryPeek(out QueuedMessage? m, out long at) && at <= now)
        {
            bounceRetries.Dequeue();
            if (messages.GetValueOrDefault(m.Number) != m) continue;   // deleted by the postmaster meanwhile
            Complete(m);   // the bounce could not be queued last time
        }
        for (int ch = 0; ch < 2; ch++) StartPasses(ch);
        // One write per spawner for the whole pass: the recipients of a message reach qmail-rspawn
        // together, and it sends those for one domain in one SMTP transaction.
        foreach (Spawner? s in spawners) s?.Flush();
    }

    // Starts recipients of the messages in a pass, oldest first, until the channel is full. A
    // message's recipients are read when its turn comes, so a long line costs little memory.
    private void StartPasses(int ch)
    {
        while (passes[ch].TryPeek(out QueuedMessage? m))
        {
            if (m[ch].Work is null && LeavesTheLine(m, ch))
            {
                passes[ch].Dequeue();
                continue;
            }
            ChannelWork w = m[ch].Work ??= Read(m, ch);
            while (w.Pending.TryPeek(out QueuedRecipient? r))
            {
                if (!StartOne(m, r, ch)) return;
                w.Pending.Dequeue();
            }
            passes[ch].Dequeue();
            if (w.Over) EndPass(m, ch);   // nothing was left to start
        }
    }

    // The pass begins: the recipients still to do, from the file.
    private ChannelWork Read(QueuedMessage m, int ch)
    {
        m[ch].Phase = ChannelPhase.InPass;
        var w = new ChannelWork();
        string file = Channel.FileOf(queue, m.Number, ch);
        try
        {
            w.Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning($"trouble reading {Channel.Name(ch)}/{m.Number}, will try again: {ErrorText.Of(e)}");
            w.DeferUnread();
            m[ch].NextTry = NextRetry(m.Birth, Now(), ch);
        }
        return w;
    }

    // The pass is over: the channel waits for its next try if recipients were deferred, and is
    // done otherwise; the message ends when both channels are done.
    private void EndPass(QueuedMessage m, int ch)
    {
        ref ChannelState c = ref m[ch];
        c.Open = c.Work!.Deferred > 0;
        c.Work = null;
        c.Phase = ChannelPhase.Idle;
        if (m.Action is not null)
        {
            if (m.Quiet) CarryOut(m);
            return;
        }
        if (m.Held) c.NextTry = QueueManagement.HeldUntil;
        retries.Arm(m, ch);
        if (m.Finished) Complete(m);
    }

    // False when the channel has no free slot (try again when a delivery ends).
    private bool StartOne(QueuedMessage m, QueuedRecipient r, int ch)
    {
        Spawner? s = spawners[ch];
        long d = ++deliveries;
        if (s is null)
        {
            Log.Event($"starting delivery {d}: msg {m.Number} to {Channel.Name(ch)} {r.Address}");
            m[ch].Work!.InFlight++;
            events.Add(new SpawnReport(ch, -1, 'Z', NoRemote));
            pendingWithoutSpawner.Enqueue(new Job(m, r, d));
            return true;
        }
        if (s.FreeSlot() is not int slot) return false;
        m[ch].Work!.InFlight++;
        Log.Event($"starting delivery {d}: msg {m.Number} to {Channel.Name(ch)} {r.Address}");
        s.Start(slot, new Job(m, r, d), QueueLayout.MessRelative(m.Number), m.Sender);
        LogStatus();
        return true;
    }

    private void Report(SpawnReport report)
    {
        Job? job = report.Slot < 0 ? pendingWithoutSpawner.Dequeue() : spawners[report.Channel]?.Finish(report.Slot);
        if (job is null) return;
        (QueuedMessage m, QueuedRecipient r, long d) = job;
        int ch = report.Channel;
        ChannelWork w = m[ch].Work!;
        char status = report.Status;
        string text = report.Text;
        if (status == 'Z' && Now() > m.Birth + controls.QueueLifetime)
        {
            status = 'D';
            text += "\nI'm not going to try again; this message has been in the queue too long.";
        }
        string file = Channel.FileOf(queue, m.Number, ch);
        switch (status)
        {
            case 'K':
                Log.Event($"delivery {d}: success: {LogText(text)}");
                QueuedMessage.MarkDone(file, r);
                w.Finished();
                break;
            case 'D':
                Log.Event($"delivery {d}: failure: {LogText(text)}");
                Bounce.Add(queue, m.Number, r.Address, text);
                QueuedMessage.MarkDone(file, r);
                w.Finished();
                break;
            default:
                Log.Event($"delivery {d}: deferral: {LogText(text)}");
                w.Defer();
                m[ch].NextTry = NextRetry(m.Birth, Now(), ch);
                break;
        }
        if (report.Slot >= 0) LogStatus();
        if (w.Over) EndPass(m, ch);
    }

    private void Complete(QueuedMessage m)
    {
        ulong n = m.Number;
        if (File.Exists(queue.Bounce(n)) && !Bounce.Send(queue, m, controls))
        {
            bounceRetries.Enqueue(m, Now() + 60);
            return;
        }
        foreach (string path in (string[])[queue.Bounce(n), queue.Local(n), queue.Remote(n), queue.Info(n)]) File.Delete(path);
        if (!clean.Request($"foop/{n}")) Log.Warning($"qmail-clean unable to clean up mess/{QueueLayout.MessRelative(n)}");
        messages.Remove(n);
        Log.Event($"end msg {n}");
    }

    private static long NextRetry(long birth, long now, int ch)
    {
        long c = ch == Channel.Local ? 10 : 20;
        long root = (long)Math.Sqrt(Math.Max(0, now - birth));
        return birth + (root + c) * (root + c);
    }

    // On exit the next attempt of each channel is kept as the mtime of its file, as qmail does.
    private void SaveRetryTimes()
    {
        foreach (QueuedMessage m in messages.Values)
            for (int ch = 0; ch < 2; ch++)
            {
                string file = Channel.FileOf(queue, m.Number, ch);
                if (m[ch].Open && File.Exists(file)) PosixFile.SetTimes(file, Now(), m[ch].NextTry);
            }
    }

    private TimeSpan WaitTime()
    {
        if (todoPending) return TimeSpan.Zero;   // a batch of new mail is still waiting
        long now = Now();
        long next = nextTodoScan;
        if (retries.Next is long retry) next = Math.Min(next, retry);
        if (bounceRetries.TryPeek(out _, out long bounce)) next = Math.Min(next, bounce);
        return TimeSpan.FromSeconds(Math.Clamp(next - now, 0, TodoRescan));
    }

    private int Running() => spawners.Sum(s => s?.Running ?? 0) + pendingWithoutSpawner.Count;

    private void LogStatus()
    {
        Spawner? l = spawners[Channel.Local], r = spawners[Channel.Remote];
        Log.Event($"status: local {l?.Running ?? 0}/{l?.Limit ?? 0} remote {r?.Running ?? 0}/{r?.Limit ?? 0}");
    }

    // qmail-log(5): newlines become '/', spaces and other unprintables '_'.
    private static string LogText(string text)
    {
        var b = new System.Text.StringBuilder(text.Length);
        foreach (char c in text) b.Append(c == '\n' ? '/' : c is > ' ' and <= '~' ? c : '_');
        return b.ToString();
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
