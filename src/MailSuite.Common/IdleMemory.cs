// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// For the resident daemons: a burst of work grows the GC heap, and the runtime keeps what it
/// committed. Each unit of work calls <see cref="Touch"/>; once nothing has happened for two
/// seconds, a timer gives the memory back with an aggressive (decommitting) collection, if at
/// least 4 MiB were allocated since the last one. A burst itself is never slowed down by it.
/// </summary>
public static class IdleMemory
{
    private const long Threshold = 4 << 20;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private static readonly Timer Timer = new(_ => Return(), null, Timeout.Infinite, Timeout.Infinite);
    private static long allocatedAtLastReturn;

    /// <summary>Notes activity: the collection waits for two quiet seconds after the last call.</summary>
    public static void Touch() => Timer.Change(Quiet, Timeout.InfiniteTimeSpan);

    private static void Return()
    {
        if (GC.GetTotalAllocatedBytes() - Interlocked.Read(ref allocatedAtLastReturn) < Threshold) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Exchange(ref allocatedAtLastReturn, GC.GetTotalAllocatedBytes());
    }
}
