// SPDX-License-Identifier: MIT
namespace MailSuite.Common.Tests;

// The threads qmail-lspawn, qmail-rspawn, tcpserver and the resident services run their work on.
public class WorkerThreadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Every_job_starts_at_once_while_others_are_still_running()
    {
        var workers = new WorkerThreads(10, "test");
        using var allStarted = new Barrier(5);
        int finished = 0;
        for (int i = 0; i < 5; i++)
            workers.Run(() =>
            {
                Assert.True(allStarted.SignalAndWait(Patience), "a job waited behind a running one");
                Interlocked.Increment(ref finished);
            });
        workers.WaitAll();
        Assert.Equal(5, finished);
    }

    [Fact]
    public void A_thread_that_finished_a_job_runs_the_next_one()
    {
        var workers = new WorkerThreads(10, "test");
        var ids = new List<int>();
        for (int i = 0; i < 20; i++)
        {
            workers.Run(() => { lock (ids) ids.Add(Environment.CurrentManagedThreadId); });
            workers.WaitAll();
        }
        Assert.Single(ids.Distinct());
        Assert.Equal(1, workers.Threads);
    }

    [Fact]
    public void No_more_threads_than_the_bound_and_every_job_still_runs()
    {
        var workers = new WorkerThreads(2, "test");
        int running = 0, most = 0, finished = 0;
        for (int i = 0; i < 12; i++)
            workers.Run(() =>
            {
                int now = Interlocked.Increment(ref running);
                lock (workers) most = Math.Max(most, now);
                Thread.Sleep(5);
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref finished);
            });
        workers.WaitAll();
        Assert.Equal(12, finished);
        Assert.InRange(most, 1, 2);
        Assert.InRange(workers.Threads, 1, 2);
    }

    [Fact]
    public void Idle_threads_end_after_their_lifetime()
    {
        var workers = new WorkerThreads(10, "test", TimeSpan.FromMilliseconds(50));
        using var together = new Barrier(3);
        for (int i = 0; i < 3; i++) workers.Run(() => together.SignalAndWait(Patience));
        workers.WaitAll();
        var deadline = DateTime.UtcNow + Patience;
        while (workers.Threads > 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.Equal(0, workers.Threads);
        workers.Run(() => { });   // and a job after that still gets a thread
        workers.WaitAll();
    }
}
