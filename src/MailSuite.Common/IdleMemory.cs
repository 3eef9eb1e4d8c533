// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>
/// For the resident daemons: a burst of work grows the GC heap, and the runtime keeps what it
/// committed. Called where a daemon is about to wait, this gives the memory back with an
/// aggressive (decommitting) collection, but only once enough has been allocated since the last
/// time, so a steady stream of small requests does not pay for a collection each.
/// </summary>
public static class IdleMemory
{
    private const long Threshold = 4 << 20;
    private static long allocatedAtLastReturn;

    /// <summary>Returns the heap to the OS if at least 4 MiB were allocated since the last time.</summary>
    public static void Return()
    {
        if (GC.GetTotalAllocatedBytes() - allocatedAtLastReturn < Threshold) return;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        allocatedAtLastReturn = GC.GetTotalAllocatedBytes();
    }
}
