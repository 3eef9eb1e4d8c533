// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// Runs each job on a thread of its own, reusing threads that have finished a job. Starting a
/// .NET thread is not just clone(2): Thread.Start spins in sched_yield until the new thread runs,
/// and on a busy machine that was a fifth of qmail-lspawn's CPU when it started one per delivery
/// (perf, 4 SMTP sessions). A thread idle for a while (30 s) ends, so a burst's
/// threads do not stay. Every job starts at once: a thread is started whenever none is idle, up
/// to the bound the caller gives (its own limit on concurrent work).
/// </summary>
/// <param name="maxThreads">The most threads at once; further jobs wait for one to finish.</param>
/// <param name="name">The threads' name (in ps -L and perf).</param>
/// <param name="idleLifetime">How long a thread waits for another job before it ends; 30 s by default.</param>
public sealed class WorkerThreads(int maxThreads, string name, TimeSpan? idleLifetime = null)
{
    private readonly TimeSpan idleLifetime = idleLifetime ?? TimeSpan.FromSeconds(30);

    private readonly object gate = new();
    private readonly Queue<Action> jobs = new();
    private readonly object done = new();   // WaitAll's own, so that Run's Pulse always wakes a worker
    private int threads, idle, unfinished;

    /// <summary>Threads alive now, busy or idle.</summary>
    public int Threads
    {
        get { lock (gate) return threads; }
    }

    /// <summary>Runs the job on an idle thread, or on a new one. An exception in a job ends the process, as on a thread of its own.</summary>
    public void Run(Action job)
    {
        lock (gate)
        {
            jobs.Enqueue(job);
            unfinished++;
            if (idle > jobs.Count - 1)
            {
                Monitor.Pulse(gate);
                return;
            }
            if (threads >= maxThreads) return;   // the caller's bound: a thread finishing takes it
            threads++;
        }
        new Thread(Work) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Waits until every job given so far has finished.</summary>
    public void WaitAll()
    {
        lock (done)
            while (Volatile.Read(ref unfinished) > 0) Monitor.Wait(done);
    }

    private void Work()
    {
        for (Action? job = Next(finishedOne: false); job is not null; job = Next(finishedOne: true))
            job();
    }

    // Counts the job just finished and takes the next, waiting for one while idle — both under
    // one lock, so a job given right after the last one finished finds this thread idle. Null
    // once the thread has been idle too long.
    private Action? Next(bool finishedOne)
    {
        lock (gate)
        {
            if (finishedOne && --unfinished == 0)
                lock (done) Monitor.PulseAll(done);
            while (jobs.Count == 0)
            {
                idle++;
                bool woken = Monitor.Wait(gate, idleLifetime);
                idle--;
                if (!woken && jobs.Count == 0)
                {
                    threads--;
                    return null;
                }
            }
            return jobs.Dequeue();
        }
    }
}
