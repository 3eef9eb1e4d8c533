// SPDX-License-Identifier: MIT
namespace MailSuite.Analog;

/// <summary>
/// The delay distribution's bins (qmailanalog's zddist, as a histogram): under 1 s, then
/// doubling-ish steps a person reads at a glance, up to a day and beyond.
/// </summary>
internal static class DelayBins
{
    private static readonly double[] Upper = [1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 86400, double.PositiveInfinity];

    public static readonly string[] Labels = ["<1s", "1-2s", "2-5s", "5-10s", "10-30s", "30s-1m", "1-5m", "5-15m", "15m-1h", "1-4h", "4h-1d", ">1d"];

    public static long[] Count(IEnumerable<double> delays)
    {
        long[] bins = new long[Upper.Length];
        foreach (double d in delays) bins[Array.FindIndex(Upper, u => d < u)]++;
        return bins;
    }

    /// <summary>The delay below which the given share of delays fall (nearest rank).</summary>
    public static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
}
