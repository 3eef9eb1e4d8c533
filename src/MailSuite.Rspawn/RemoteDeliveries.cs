// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Rspawn;

/// <summary>
/// Remote deliveries: qmail-remote with the recipients' domain as host, the message on fd 0 and its
/// results on fd 1; each recipient's answer (r, h, s) with the final answer (K, Z, D) becomes the
/// K/Z/D report qmail-send wants for that recipient's slot, as qmail-rspawn's does. The recipients
/// of one message for one domain that qmail-send asked for together go in one call, so in one SMTP
/// transaction. With a session pool, the call goes to a `qmail-remote -s` already connected to
/// that domain when one waits, so messages share connections.
/// </summary>
internal sealed class RemoteDeliveries(QueueLayout queue, SessionPool? pool)
{
    private const int ReportMax = 4000;
    private readonly string remote = Home.Path("bin/qmail-remote");

    /// <summary>Deliveries that may share a call: same message, sender and (case-folded) domain.</summary>
    public static string BatchKey(SpawnCommand c) => $"{c.Mess}\0{c.Sender}\0{Host(c.Recipient).ToLowerInvariant()}";

    public IReadOnlyList<string> Run(IReadOnlyList<SpawnCommand> batch)
    {
        try
        {
            string path = Path.Combine(queue.Dir, "mess", batch[0].Mess);
            List<string> recipients = batch.Select(c => c.Recipient).ToList();
            if (pool is not null) return Translate(RunSession(path, Host(batch[0].Recipient), batch[0].Sender, recipients), batch.Count);
            using SafeFileHandle message = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return Translate(RunRemote(message, Host(batch[0].Recipient), batch[0].Sender, recipients), batch.Count);
        }
        catch (FailureException e)
        {
            return Enumerable.Repeat(e.Failure.StatusLine, batch.Count).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Enumerable.Repeat($"ZUnable to read message: {ErrorText.Of(e)} (#4.3.0)", batch.Count).ToList();
        }
    }

    private static string Host(string recipient) => recipient.LastIndexOf('@') is int at and >= 0 ? recipient[(at + 1)..] : recipient;

    private (List<string> Fields, ExitStatus Status) RunRemote(SafeFileHandle message, string host, string sender, List<string> recipients)
    {
        // argv is UTF-8 text; the queue's byte strings are UTF-8 (RFC 6531) or, if not, go as they are.
        var request = new SpawnRequest(remote, ["qmail-remote", .. new[] { host, sender }.Concat(recipients).Select(a => ByteString.ToText(a) ?? a)], Env.Current(),
            new Dictionary<int, int> { [0] = Pipe.Number(message), [2] = 2 }, "/");
        (byte[] output, ExitStatus status) = Spawn.Capture(request, 1);
        return (Encoding.Latin1.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList(), status);
    }

    // A waiting session for the domain if there is one, else a new one; given back afterwards.
    private (List<string> Fields, ExitStatus Status) RunSession(string path, string host, string sender, List<string> recipients)
    {
        byte[] request = RemoteSession.Request(path, sender, recipients);
        string key = host.ToLowerInvariant();
        RemoteSession session = pool!.Take(key) ?? RemoteSession.Start(remote, ByteString.ToText(host) ?? host, key);
        List<string>? fields = session.Deliver(request);
        if (fields is not null)
        {
            pool.Give(session);
            return (fields, new ExitStatus(0, 0));
        }
        return ([], session.Reap());
    }

    // Field i (i < count) answers recipient i when qmail-remote got that far; the last field is final.
    private static List<string> Translate((List<string> Fields, ExitStatus Status) r, int count)
    {
        if (!r.Status.Exited || r.Fields.Count == 0 || "KZD".IndexOf(r.Fields[^1][0]) < 0)
            return Enumerable.Repeat($"ZUnable to run qmail-remote ({r.Status}). (#4.3.0)", count).ToList();
        string final = r.Fields[^1];
        var perRecipient = r.Fields.Take(r.Fields.Count - 1).ToList();
        var reports = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            string? answer = i < perRecipient.Count ? perRecipient[i] : null;
            string report = answer?[0] switch
            {
                'h' => "D" + answer[1..],
                's' => "Z" + answer[1..],
                _ => final,
            };
            reports.Add(report.Length > ReportMax ? report[..ReportMax] : report);
        }
        return reports;
    }
}
