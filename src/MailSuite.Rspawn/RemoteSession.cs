// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Rspawn;

/// <summary>
/// One `qmail-remote -s host`: requests go down a pipe to its fd 0, results come back from its
/// fd 1, one message at a time. It holds its SMTP connection between messages; closing the
/// request pipe makes it QUIT and exit, and a thread reaps it.
/// </summary>
internal sealed class RemoteSession : IDisposable
{
    private const int ResultsMax = 1 << 20;

    private readonly int pid;
    private readonly FileStream requests;
    private readonly BufferedStream results;
    private bool dead;

    private RemoteSession(int pid, FileStream requests, BufferedStream results)
    {
        this.pid = pid;
        this.requests = requests;
        this.results = results;
    }

    /// <summary>The host key it serves (the recipients' domain, case-folded).</summary>
    public required string Host { get; init; }

    /// <summary>Messages it was given.</summary>
    public int Messages { get; private set; }

    /// <summary>When it finished its last message (Environment.TickCount64).</summary>
    public long IdleSince { get; private set; }

    /// <summary>False once it died or answered out of turn: it must not get another message.</summary>
    public bool Usable => !dead;

    public static RemoteSession Start(string program, string host, string key)
    {
        var down = Pipe.Create();
        var up = Pipe.Create();
        try
        {
            var request = new SpawnRequest(program, ["qmail-remote", "-s", host], Env.Current(),
                new Dictionary<int, int> { [0] = Pipe.Number(down.Read), [1] = Pipe.Number(up.Write), [2] = 2 }, "/");
            int pid = Spawn.Start(request);
            down.Read.Dispose();   // the child's ends: only its copies stay open, so its exit is our end of file
            up.Write.Dispose();
            return new RemoteSession(pid, new FileStream(down.Write, FileAccess.Write, 1), new BufferedStream(new FileStream(up.Read, FileAccess.Read, 1), 65536)) { Host = key };
        }
        catch
        {
            down.Dispose();
            up.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A request: M and the message's path, then qmail-queue's envelope (F sender, T recipients,
    /// a closing NUL); a NUL inside a field is refused (<see cref="FailureException"/>) before any
    /// session is taken.
    /// </summary>
    public static byte[] Request(string messagePath, string sender, IReadOnlyList<string> recipients) =>
        [.. Encoding.Latin1.GetBytes(EnvelopeRecords.Append(new StringBuilder(), 'M', messagePath).ToString()), .. EnvelopeRecords.Envelope(sender, recipients)];

    /// <summary>qmail-remote's result fields for one request, the final K/Z/D last; null when it died first.</summary>
    public List<string>? Deliver(byte[] request)
    {
        Messages++;
        try
        {
            requests.Write(request);
            requests.Flush();
            List<string>? fields = ReadResults();
            dead = fields is null;
            IdleSince = Environment.TickCount64;
            return fields;
        }
        catch (IOException)
        {
            dead = true;
            return null;
        }
    }

    // Fields until the final one (K, Z or D); the end of the pipe first means it died.
    private List<string>? ReadResults()
    {
        var fields = new List<string>();
        var field = new List<byte>();
        int total = 0;
        while (true)
        {
            int b = results.ReadByte();
            if (b < 0) return null;
            if (++total > ResultsMax) return null;
            if (b != 0)
            {
                field.Add((byte)b);
                continue;
            }
            if (field.Count == 0) continue;
            string text = Encoding.Latin1.GetString(field.ToArray());
            field.Clear();
            fields.Add(text);
            if ("KZD".Contains(text[0])) return fields;
        }
    }

    /// <summary>How it ended, once its pipes are closed (blocks until it exits).</summary>
    public ExitStatus Reap()
    {
        Dispose();
        return Spawn.Wait(pid);
    }

    /// <summary>Ends the request pipe: qmail-remote says QUIT and exits (reap it with <see cref="Reap"/>).</summary>
    public void Dispose()
    {
        dead = true;
        requests.Dispose();
        results.Dispose();
    }
}
