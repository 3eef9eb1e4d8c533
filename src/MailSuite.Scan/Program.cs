// SPDX-License-Identifier: MIT
// qmail-scan: a QMAILQUEUE filter (qmail-queue's interface in and out) that has the message
// scanned by spamd or rspamd, adds the scanner's verdict as header fields, refuses it above a
// score, and hands it on to qmail-queue.
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Scan;

internal static class Program
{
    private const int MaxScan = 32 << 20;   // scanned in memory up to this; larger ones pass on, marked unscanned
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static int Main(string[] args)
    {
        Log.Init("qmail-scan", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-scan (as QMAILQUEUE: the message on fd 0, the envelope on fd 1)");
            return QueueFilter.Bug;
        }
        try
        {
            ScanPolicy policy = ScanPolicy.Load(ControlDir.OfThisInstall());
            FilterInput? input = QueueFilter.Read(MaxScan);
            return input is null ? QueueFilter.ReadFailed : Pass(input, policy);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return 55;   // qmail-queue's "unable to read configuration"
        }
        catch (IOException e)
        {
            Log.Fatal($"unable to read the message or envelope: {ErrorText.Of(e)}");
            return QueueFilter.ReadFailed;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, QueueFilter.Bug);
        }
    }

    private static int Pass(FilterInput input, ScanPolicy policy)
    {
        if (policy.Scanner is null) return Forward(input, "");
        if (input.Rest is not null) return Forward(input, $"X-Spam-Status: Unscanned, over {MaxScan >> 20} MiB\n");
        ScanResult result;
        try
        {
            result = Scan(policy.Scanner, input);
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Log.Warning($"{policy.Scanner.Kind} at {policy.Scanner.EndPoint} gave no verdict: {ErrorText.Of(e)}; " + (policy.DeferOnFailure ? "deferring" : "passing unscanned"));
            return policy.DeferOnFailure ? QueueFilter.Deferred : Forward(input, $"X-Spam-Status: Unscanned, {policy.Scanner.Kind} unavailable\n");
        }
        if (policy.RejectScore is double reject && result.Score >= reject)
        {
            Log.Info($"refused: {result.Scanner} score {result.Score} at or above {reject} ({Response.Shown(result.Symbols)})");
            return QueueFilter.Refused;
        }
        return Forward(input, result.Fields());
    }

    private static ScanResult Scan(ScannerAddress scanner, FilterInput input)
    {
        if (scanner.Kind == "spamd") return SpamdClient.Check(scanner, input.Message, Timeout);
        (string sender, List<string> recipients) = QueueFilter.Addresses(input.Envelope);
        return RspamdClient.Check(scanner, input.Message, Env.Get("TCPREMOTEIP"), sender, recipients, Timeout);
    }

    private static int Forward(FilterInput input, string fields) => QueueFilter.Forward("SCANQUEUE", input, Env.Snapshot(), queue =>
    {
        queue.Write(Encoding.ASCII.GetBytes(fields));
        queue.Write(input.Message);
        input.Rest?.CopyTo(queue);
    });
}
