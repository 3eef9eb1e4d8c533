// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Rspawn;

/// <summary>
/// One remote delivery: qmail-remote with the recipient's domain as host, the message on fd 0 and
/// its results on fd 1; its per-recipient answer (r, h, s) and final answer (K, Z, D) become the
/// one K/Z/D report qmail-send wants, as qmail-rspawn's does.
/// </summary>
internal sealed class RemoteDeliveries(QueueLayout queue)
{
    private const int ReportMax = 4000;
    private readonly string remote = Home.Path("bin/qmail-remote");

    public string Run(string mess, string sender, string recipient)
    {
        try
        {
            int at = recipient.LastIndexOf('@');
            string host = at < 0 ? recipient : recipient[(at + 1)..];
            using SafeFileHandle message = File.OpenHandle(Path.Combine(queue.Dir, "mess", mess), FileMode.Open, FileAccess.Read);
            return Translate(RunRemote(message, host, sender, recipient));
        }
        catch (FailureException e)
        {
            return e.Failure.StatusLine;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"ZUnable to read message: {e.Message} (#4.3.0)";
        }
    }

    private (List<string> Fields, ExitStatus Status) RunRemote(SafeFileHandle message, string host, string sender, string recipient)
    {
        using Pipe output = Pipe.Create();
        int pid = Spawn.Start(new SpawnRequest(remote, ["qmail-remote", host, sender, recipient], Env.Current(),
            new Dictionary<int, int> { [0] = Pipe.Number(message), [1] = Pipe.Number(output.Write), [2] = 2 }, "/"));
        output.Write.Dispose();
        using var stream = new FileStream(output.Read, FileAccess.Read, 4096);
        var all = new MemoryStream();
        stream.CopyTo(all);
        ExitStatus status = Spawn.Wait(pid);
        string text = Encoding.Latin1.GetString(all.GetBuffer(), 0, (int)all.Length);
        return (text.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList(), status);
    }

    private static string Translate((List<string> Fields, ExitStatus Status) r)
    {
        if (!r.Status.Exited || r.Fields.Count == 0 || "KZD".IndexOf(r.Fields[^1][0]) < 0)
            return $"ZUnable to run qmail-remote ({r.Status}). (#4.3.0)";
        string final = r.Fields[^1];
        string? recipient = r.Fields.Count > 1 ? r.Fields[0] : null;
        string report = recipient?[0] switch
        {
            'h' => "D" + recipient[1..],
            's' => "Z" + recipient[1..],
            _ => final,
        };
        return report.Length > ReportMax ? report[..ReportMax] : report;
    }
}
