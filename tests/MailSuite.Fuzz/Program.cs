// SPDX-License-Identifier: MIT
// MailSuite.Fuzz [TARGET|all] [COUNT] [SEED]: COUNT inputs (1,000,000) per parser; any exception
// that is not the parser's documented answer, any input taking over 2 s, or a heap over 512 MiB
// is a finding: the input is saved under artifacts/fuzz/ and the exit code is 1.
using System.Diagnostics;
using MailSuite.Fuzz;

string which = args.Length > 0 ? args[0] : "all";
long count = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
int seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
Environment.SetEnvironmentVariable("QMAILQUEUE", "/nonexistent/qmail-queue");   // DATA never queues anything here
MailSuite.Common.Log.Init("fuzz", fd: 2);
int findings = 0;
foreach (Target t in Targets.All.Where(t => which == "all" || t.Name == which))
{
    var mutator = new Mutator(seed);
    var clock = Stopwatch.StartNew();
    long slowest = 0;
    for (long i = 0; i < count && findings == 0; i++)
    {
        byte[] input = mutator.Next(t.Seeds);
        long start = clock.ElapsedMilliseconds;
        try
        {
            t.Run(input, mutator.Random);
        }
        catch (Exception e)
        {
            if (!t.Expected.Contains(e.GetType())) findings += Finding.Save(t.Name, i, input, $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        long took = clock.ElapsedMilliseconds - start;
        slowest = Math.Max(slowest, took);
        if (took > 2000) findings += Finding.Save(t.Name, i, input, $"took {took} ms");
        if (i % 10_000 == 0 && GC.GetTotalMemory(false) > 512L << 20) findings += Finding.Save(t.Name, i, input, "heap over 512 MiB");
    }
    Console.WriteLine($"{t.Name}: {count} inputs in {clock.Elapsed.TotalSeconds:F1} s, slowest {slowest} ms, {(findings == 0 ? "no findings" : "FINDINGS")}");
}
return findings == 0 ? 0 : 1;

internal static class Finding
{
    public static int Save(string target, long index, byte[] input, string what)
    {
        string dir = Path.Combine("artifacts", "fuzz");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, $"{target}-{index}.bin");
        File.WriteAllBytes(file, input);
        Console.WriteLine($"{target}: input {index} ({input.Length} bytes, saved as {file}): {what}");
        return 1;
    }
}
