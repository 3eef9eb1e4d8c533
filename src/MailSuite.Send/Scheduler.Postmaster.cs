// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>A request from qmail-qctl: a verb and a message number; Reply answers it, once.</summary>
internal sealed record PostmasterRequest(string Verb, ulong Id, Action<string> Reply);

/// <summary>
/// The postmaster's requests, carried out by the scheduler's own thread between deliveries, so a
/// message is never changed under a delivery. resend: the next try is now. hold: no delivery
/// starts until release (the channel files' mtime says so, across restarts). delete and bounce
/// stop starting recipients, wait for the deliveries under way, then end the message: a delete
/// removes info/n first (from then on no restart can deliver it), a bounce fails every recipient
/// still to do with one reason and sends the bounce as for any permanent failure.
/// </summary>
internal sealed partial class Scheduler
{
    private const string ReturnedByPostmaster = "The postmaster returned this message before it could be delivered. (#5.0.0)";

    // A request that meets a file it cannot read or remove is answered with the reason and logged;
    // qmail-send goes on (the message stays as it was, or a delete's leftovers for qmail-qcheck).
    private void Postmaster(PostmasterRequest r)
    {
        try
        {
            Carry(r);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning($"trouble with the postmaster's {r.Verb} of msg {r.Id}: {ErrorText.Of(e)}");
            r.Reply($"no {r.Id}: {ErrorText.Of(e)}");
        }
    }

    private void Carry(PostmasterRequest r)
    {
        QueuedMessage? m = Find(r.Id);
        if (m is null)
        {
            r.Reply($"no {r.Id}: not in the queue");
            return;
        }
        if (m.Action is not null)
        {
            r.Reply($"no {r.Id}: already being {(m.Action.Bounce ? "bounced" : "deleted")}");
            return;
        }
        switch (r.Verb)
        {
            case "resend": Resend(m, r.Reply); break;
            case "hold": Hold(m, r.Reply); break;
            case "release": Release(m, r.Reply); break;
            case "delete" or "bounce": BeginEnding(m, new PostmasterAction(r.Verb == "bounce", r.Reply)); break;
            default: r.Reply($"no {r.Id}: unknown request {r.Verb}"); break;
        }
    }

    // A message still in todo/ is preprocessed first, so it can be acted on like any other.
    private QueuedMessage? Find(ulong id)
    {
        if (!messages.ContainsKey(id) && File.Exists(queue.Todo(id))) ScanTodo();
        return messages.GetValueOrDefault(id);
    }

    private void Resend(QueuedMessage m, Action<string> reply)
    {
        if (m.Held)
        {
            reply($"no {m.Number}: held; release it to send it");
            return;
        }
        for (int ch = 0; ch < 2; ch++) retries.Rearm(m, ch, 0);
        Log.Event($"resend msg {m.Number}: asked by the postmaster");
        reply($"ok {m.Number}: due now");
    }

    private void Hold(QueuedMessage m, Action<string> reply)
    {
        m.Held = true;
        for (int ch = 0; ch < 2; ch++)
        {
            m[ch].Work?.Stop();   // the pass ends with its deliveries under way, and arms the hold
            retries.Rearm(m, ch, QueueManagement.HeldUntil);
            KeepNextTry(m, ch, QueueManagement.HeldUntil);
        }
        Log.Event($"hold msg {m.Number}: asked by the postmaster");
        reply($"ok {m.Number}: held");
    }

    private void Release(QueuedMessage m, Action<string> reply)
    {
        if (!m.Held)
        {
            reply($"no {m.Number}: not held");
            return;
        }
        m.Held = false;
        for (int ch = 0; ch < 2; ch++)
        {
            retries.Rearm(m, ch, 0);
            KeepNextTry(m, ch, Now());
        }
        Log.Event($"release msg {m.Number}: asked by the postmaster");
        reply($"ok {m.Number}: released, due now");
    }

    private void BeginEnding(QueuedMessage m, PostmasterAction action)
    {
        m.Action = action;
        for (int ch = 0; ch < 2; ch++) m[ch].Work?.Stop();
        if (m.Quiet) CarryOut(m);   // else the last pass to end does it (EndPass)
    }

    // A message in line whose pass must not begin: held, or being (or already) removed.
    private bool LeavesTheLine(QueuedMessage m, int ch)
    {
        ref ChannelState c = ref m[ch];
        if (c.Phase != ChannelPhase.InLine) return true;
        if (!m.Held && m.Action is null) return false;
        c.Phase = ChannelPhase.Idle;
        if (m.Held && m.Action is null)
        {
            c.NextTry = QueueManagement.HeldUntil;
            retries.Arm(m, ch);
        }
        return true;
    }

    // No delivery of the message is under way: the delete or bounce happens now.
    private void CarryOut(QueuedMessage m)
    {
        PostmasterAction action = m.Action!;
        m.Action = null;
        for (int ch = 0; ch < 2; ch++) m[ch].Phase = ChannelPhase.Idle;   // any retry entry is stale from here
        try
        {
            End(m, action);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning($"trouble ending msg {m.Number} for the postmaster: {ErrorText.Of(e)}");
            action.Reply($"no {m.Number}: {ErrorText.Of(e)}");
            Readmit(m);
        }
    }

    // What a failed delete or bounce left: the message goes on from its files, or is gone with its info.
    private void Readmit(QueuedMessage m)
    {
        if (!File.Exists(queue.Info(m.Number)))
        {
            messages.Remove(m.Number);
            return;
        }
        for (int ch = 0; ch < 2; ch++) m[ch].Open = File.Exists(Channel.FileOf(queue, m.Number, ch));
        Admit(m);
    }

    private void End(QueuedMessage m, PostmasterAction action)
    {
        ulong n = m.Number;
        if (action.Bounce)
        {
            int failed = FailTheRest(m);
            m[Channel.Local].Open = m[Channel.Remote].Open = false;
            Log.Event($"bounce msg {n}: asked by the postmaster, {failed} recipient(s) not delivered");
            Complete(m);
            action.Reply($"ok {n}: bounced, {failed} recipient(s) not delivered");
            return;
        }
        m[Channel.Local].Open = m[Channel.Remote].Open = false;
        // info/n first: once it is gone, no restart delivers the message; whatever a crash leaves
        // after it is a dangling file that qmail-qcheck names and --repair removes.
        foreach (string path in (string[])[queue.Info(n), queue.Local(n), queue.Remote(n), queue.Bounce(n)]) File.Delete(path);
        if (!clean.Request($"foop/{n}")) Log.Warning($"qmail-clean unable to clean up mess/{QueueLayout.MessRelative(n)}");
        messages.Remove(n);
        Log.Event($"delete msg {n}: asked by the postmaster");
        Log.Event($"end msg {n}");
        action.Reply($"ok {n}: deleted");
    }

    // Every recipient still to do gets the postmaster's reason in bounce/n, then its 'D' mark.
    private int FailTheRest(QueuedMessage m)
    {
        int failed = 0;
        for (int ch = 0; ch < 2; ch++)
        {
            var w = new ChannelWork();
            string file = Channel.FileOf(queue, m.Number, ch);
            w.Read(file);
            foreach (QueuedRecipient r in w.Pending) Bounce.Add(queue, m.Number, r.Address, ReturnedByPostmaster);
            foreach (QueuedRecipient r in w.Pending) QueuedMessage.MarkDone(file, r);
            failed += w.Pending.Count;
        }
        return failed;
    }

    // The next try lives in the channel file's mtime (qmail's way), so a hold outlives a restart.
    private void KeepNextTry(QueuedMessage m, int ch, long at)
    {
        string file = Channel.FileOf(queue, m.Number, ch);
        if (!m[ch].Open || !File.Exists(file)) return;
        try
        {
            PosixFile.SetTimes(file, Now(), at);
        }
        catch (IOException e)
        {
            Log.Warning($"unable to keep the next try of {Channel.Name(ch)}/{m.Number}: {ErrorText.Of(e)}");
        }
    }
}
