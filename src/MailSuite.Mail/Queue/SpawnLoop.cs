// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>One delivery qmail-send asked for: its slot, the message (S/n), the sender, the recipient.</summary>
public sealed record SpawnCommand(byte Slot, string Mess, string Sender, string Recipient);

/// <summary>
/// The spawner side of qmail's spawn protocol (spawn.c). First one byte: how many deliveries may
/// run at once. Then, per command from qmail-send — slot byte, "S/n" NUL, sender NUL, recipient
/// NUL — a delivery runs on its own thread and its report goes back as slot byte, status byte
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
        var running = new List<Thread>();
        byte[] buffer = new byte[65536];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            int n = commands.Read(buffer, length, buffer.Length - length);
            if (n <= 0) break;
            length += n;
            List<SpawnCommand> burst = Parse(buffer, ref length);
            var groups = batchKey is null ? burst.Select(c => (IReadOnlyList<SpawnCommand>)[c]) : burst.GroupBy(batchKey).Select(g => (IReadOnlyList<SpawnCommand>)g.ToList());
            foreach (IReadOnlyList<SpawnCommand> group in groups)
            {
                var thread = new Thread(() =>
                {
                    IReadOnlyList<string> results = deliver(group);
                    for (int i = 0; i < group.Count; i++) Report(group[i].Slot, results[i]);
                    IdleMemory.Touch();
                });
                thread.Start();
                running.Add(thread);
            }
            running.RemoveAll(t => !t.IsAlive);
        }
        foreach (Thread t in running) t.Join();
    }

    // Every complete command in the buffer; a partial one is moved to the front for the next read.
    private static List<SpawnCommand> Parse(byte[] buffer, ref int length)
    {
        var parsed = new List<SpawnCommand>();
        int start = 0;
        while (true)
        {
            int pos = start + 1;
            string?[] fields = new string?[3];
            for (int f = 0; f < 3 && pos <= length; f++)
            {
                int nul = Array.IndexOf(buffer, (byte)0, pos, length - pos);
                if (nul < 0) { pos = -1; break; }
                fields[f] = Encoding.Latin1.GetString(buffer, pos, nul - pos);
                pos = nul + 1;
            }
            if (start >= length || pos < 0 || fields[2] is null) break;
            parsed.Add(new SpawnCommand(buffer[start], fields[0]!, fields[1]!, fields[2]!));
            start = pos;
        }
        Array.Copy(buffer, start, buffer, 0, length - start);
        length -= start;
        return parsed;
    }

    private void Report(byte slot, string statusAndText)
    {
        byte[] text = Encoding.Latin1.GetBytes(statusAndText.Replace('\0', '_'));
        lock (writeLock)
        {
            reports.Write([slot]);
            reports.Write(text);
            reports.Write([0]);
        }
    }
}
