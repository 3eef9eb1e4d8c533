// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>A delivery a spawner is running for us.</summary>
internal sealed record Job(QueuedMessage Message, QueuedRecipient Recipient, long Delivery);

/// <summary>A report from a spawner: slot, K/Z/D, text.</summary>
internal sealed record SpawnReport(int Channel, int Slot, char Status, string Text);

/// <summary>A spawner's report pipe ended: it died.</summary>
internal sealed record SpawnerLost(int Channel);

/// <summary>
/// qmail-send's end of a spawner (qmail-lspawn or qmail-rspawn): commands out, reports in.
/// The first byte from the spawner is the most deliveries it will run; the effective limit is
/// the smaller of that and the control file. A reader thread turns reports into events for the
/// scheduler, which alone touches the queue.
/// </summary>
internal sealed class Spawner
{
    private readonly Stream commands;
    private readonly Stream reports;
    private readonly Job?[] jobs;
    private readonly List<byte> pending = [];

    private Spawner(int channel, Stream commands, Stream reports, int limit)
    {
        Channel = channel;
        this.commands = commands;
        this.reports = reports;
        jobs = new Job?[limit];
    }

    public int Channel { get; }
    public int Limit => jobs.Length;
    public int Running => jobs.Count(j => j is not null);

    /// <summary>
    /// Connects to a spawner on the given fds. A spawner that ends without announcing itself is
    /// absent: null (a remote channel wired to /dev/null: remote deliveries then wait in the queue).
    /// </summary>
    public static Spawner? Connect(int channel, int commandFd, int reportFd, int configured)
    {
        Stream reports = Fd.OpenRead(reportFd);
        int announced = reports.ReadByte();
        if (announced < 0) return null;
        return new Spawner(channel, Fd.OpenWrite(commandFd), reports, Math.Min(configured, announced));
    }

    public int? FreeSlot()
    {
        for (int i = 0; i < jobs.Length; i++) if (jobs[i] is null) return i;
        return null;
    }

    /// <summary>Queues the command; Flush sends what a scheduling pass queued, in one write.</summary>
    public void Start(int slot, Job job, string messRelative, string sender)
    {
        jobs[slot] = job;
        pending.AddRange(SpawnProtocol.Command((byte)slot, messRelative, sender, job.Recipient.Address));
    }

    public void Flush()
    {
        if (pending.Count == 0) return;
        commands.Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending));
        pending.Clear();
    }

    public Job? Finish(int slot)
    {
        if (slot >= jobs.Length) return null;
        Job? job = jobs[slot];
        jobs[slot] = null;
        return job;
    }

    public void ReadReports(BlockingCollection<object> events)
    {
        var thread = new Thread(() =>
        {
            var input = new BufferedStream(reports, 4096);
            try
            {
                while (SpawnProtocol.ReadReport(input) is SpawnAnswer a) events.Add(new SpawnReport(Channel, a.Slot, a.Status, a.Text));
            }
            catch (IOException)
            {
                // Same as end of input: the spawner is gone.
            }
            events.Add(new SpawnerLost(Channel));
        }) { IsBackground = true, Name = "spawner-" + Channel };
        thread.Start();
    }
}
