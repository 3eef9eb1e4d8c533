// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// The spawner side of qmail's spawn protocol (spawn.c). First one byte: how many deliveries may
/// run at once. Then, per command from qmail-send — slot byte, "S/n" NUL, sender NUL, recipient
/// NUL — a delivery (qmail-lspawn's local, qmail-rspawn's remote) runs on its own thread and its report goes back as slot byte, status byte
/// (K success, Z temporary, D permanent), text, NUL, in whatever order deliveries finish. At end
/// of input the running deliveries finish and report before the spawner exits.
/// </summary>
public sealed class SpawnLoop(Stream commands, Stream reports, Func<string, string, string, string> deliver)
{
    /// <summary>qmail's conf-spawn: the most deliveries a spawner runs at once.</summary>
    public const byte Concurrency = 120;

    private readonly Lock writeLock = new();

    /// <summary>Serves commands until qmail-send closes its end, then waits for running deliveries.</summary>
    public void Run()
    {
        reports.Write([Concurrency]);
        var input = new BufferedStream(commands, 4096);
        var running = new List<Thread>();
        while (true)
        {
            int slot = input.ReadByte();
            if (slot < 0) break;
            string? mess = ReadField(input), sender = ReadField(input), recipient = ReadField(input);
            if (mess is null || sender is null || recipient is null) break;
            var thread = new Thread(() =>
            {
                Report((byte)slot, deliver(mess, sender, recipient));
                IdleMemory.Touch();
            });
            thread.Start();
            running.Add(thread);
            running.RemoveAll(t => !t.IsAlive);
        }
        foreach (Thread t in running) t.Join();
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

    private static string? ReadField(Stream input)
    {
        var field = new List<byte>();
        while (true)
        {
            int c = input.ReadByte();
            if (c < 0) return null;
            if (c == 0) return Encoding.Latin1.GetString([.. field]);
            field.Add((byte)c);
        }
    }
}
