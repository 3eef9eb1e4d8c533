// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>The outcome of handing a message to qmail-queue: its pid ("qp") and the failure, if any.</summary>
public sealed record QueueResult(int QueuePid, Failure? Failure);

/// <summary>
/// Hands a message to qmail-queue as qmail.c does: message on its fd 0, envelope on its fd 1
/// ("F" sender NUL, "T" recipient NUL each, NUL), then reads its exit code through
/// <see cref="QqExit"/>. QMAILQUEUE names a replacement (a content filter), as netqmail allows;
/// it gets the caller's environment, while our own qmail-queue gets an empty one (it trusts none).
/// </summary>
public static class QueueClient
{
    /// <summary>Queues one message. <paramref name="writeMessage"/> writes the message bytes.</summary>
    public static QueueResult Submit(Action<Stream> writeMessage, string sender, IEnumerable<string> recipients, string? qmailQueue = null)
    {
        string? filter = qmailQueue ?? Env.Get("QMAILQUEUE");
        string program = filter is { Length: > 0 } ? filter : Home.Path("bin/qmail-queue");
        IReadOnlyList<string> environment = filter is { Length: > 0 } ? CurrentEnvironment() : [];
        using Pipe message = Pipe.Create();
        using Pipe envelope = Pipe.Create();
        var fds = new Dictionary<int, int> { [0] = Pipe.Number(message.Read), [1] = Pipe.Number(envelope.Read), [2] = 2 };
        int pid = Spawn.Start(new SpawnRequest(program, [Path.GetFileName(program)], environment, fds));
        message.Read.Dispose();
        envelope.Read.Dispose();
        try
        {
            using (var m = new FileStream(message.Write, FileAccess.Write, 65536)) writeMessage(m);
            using (var e = new FileStream(envelope.Write, FileAccess.Write, 4096)) e.Write(Envelope(sender, recipients));
        }
        catch (IOException)
        {
            // qmail-queue stopped reading (it failed): its exit code says why.
        }
        return new QueueResult(pid, QqExit.Meaning(Spawn.Wait(pid)));
    }

    /// <summary>The envelope in qmail-queue's format.</summary>
    public static byte[] Envelope(string sender, IEnumerable<string> recipients)
    {
        var b = new StringBuilder();
        b.Append('F').Append(sender).Append('\0');
        foreach (string r in recipients) b.Append('T').Append(r).Append('\0');
        b.Append('\0');
        return Encoding.Latin1.GetBytes(b.ToString());
    }

    private static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            list.Add($"{e.Key}={e.Value}");
        return list;
    }
}
