// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// The spawner side of qmail's spawn protocol (spawn.c). First one byte: how many deliveries may
/// run at once. Then, per command from qmail-send — slot byte, "S/n" NUL, sender NUL, recipient
/// NUL — a delivery runs on a thread of its own (reused: <see cref="WorkerThreads"/>) and its report goes back as slot byte, status byte
/// (K success, Z temporary, D permanent), text, NUL, in whatever order deliveries finish. At end
/// of input the running deliveries finish and report before the spawner exits.
/// With a batch key (qmail-rspawn: same message, sender and domain), the commands qmail-send
/// wrote in one burst that share a key run as one delivery — one SMTP transaction for all of them —
/// and each slot still gets its own report; qmail-send sees qmail's protocol unchanged.
/// </summary>
public sealed class SpawnLoop
{
    /// <summary>qmail's conf-spawn: the most deliveries a spawner runs at once.</summary>
    public const byte Concurrency = 120;

    private readonly Lock writeLock = new();
    private readonly Stream commands;
    private readonly Stream reports;
    private readonly Func<IReadOnlyList<SpawnCommand>, IReadOnlyList<string>> deliver;
    private readonly Func<SpawnCommand, string>? batchKey;

    /// <summary>One delivery per command (qmail-lspawn).</summary>
    public SpawnLoop(Stream commands, Stream reports, Func<string, string, string, string> deliverOne)
        : this(commands, reports, batch => [deliverOne(batch[0].Mess, batch[0].Sender, batch[0].Recipient)], null)
    {
    }

    /// <summary>Commands of one burst with equal keys delivered together; the reports in the commands' order.</summary>
    public SpawnLoop(Stream commands, Stream reports, Func<IReadOnlyList<SpawnCommand>, IReadOnlyList<string>> deliver, Func<SpawnCommand, string>? batchKey)
    {
        this.commands = commands;
        this.reports = reports;
        this.deliver = deliver;
        this.batchKey = batchKey;
    }

    /// <summary>Serves commands until qmail-send closes its end, then waits for running deliveries.</summary>
    public void Run()
    {
        reports.Write([Concurrency]);
        var workers = new WorkerThreads(Concurrency, "delivery");
        byte[] buffer = new byte[65536];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            int n = commands.Read(buffer, length, buffer.Length - length);
            if (n <= 0) break;
            length += n;
            List<SpawnCommand> burst = SpawnProtocol.ReadCommands(buffer, ref length);
            var groups = batchKey is null ? burst.Select(c => (IReadOnlyList<SpawnCommand>)[c]) : burst.GroupBy(batchKey).Select(g => (IReadOnlyList<SpawnCommand>)g.ToList());
            foreach (IReadOnlyList<SpawnCommand> group in groups)
            {
                workers.Run(() =>
                {
                    IReadOnlyList<string> results = deliver(group);
                    for (int i = 0; i < group.Count; i++) Report(group[i].Slot, results[i]);
                    IdleMemory.Touch();
                });
            }
        }
        workers.WaitAll();
    }

    private void Report(byte slot, string statusAndText)
    {
        byte[] report = SpawnProtocol.Report(slot, statusAndText);
        lock (writeLock) reports.Write(report);   // one write: reports of concurrent deliveries never interleave
    }
}
