// SPDX-License-Identifier: MIT
// qmail-authres: a QMAILQUEUE filter (qmail-queue's interface in and out) that verifies DKIM,
// ARC and DMARC, adds one Authentication-Results field with qmail-smtpd's SPF result, and hands
// the message on to qmail-queue.
using MailSuite.Common;
using MailSuite.Dns;
using MailSuite.Mail;
using MimeKit;

namespace MailSuite.AuthRes;

internal static class Program
{
    private const int MaxMessage = 64 << 20;    // verified in memory up to this; larger ones pass on unverified
    private const int MaxEnvelope = 16 << 20;   // 10,000 recipients of 1,000 bytes, and room to spare
    private const int Refused = 31, ReadFailed = 54, Bug = 81;

    private static int Main(string[] args)
    {
        Log.Init("qmail-authres", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-authres (as QMAILQUEUE: the message on fd 0, the envelope on fd 1)");
            return Bug;
        }
        try
        {
            using var input = new FdStream(0);
            (byte[] message, bool whole) = Slurp(input, MaxMessage);
            using var envelopeIn = new FdStream(1);
            (byte[] envelope, bool envelopeWhole) = Slurp(envelopeIn, MaxEnvelope);
            if (!envelopeWhole) return ReadFailed;
            return Pass(message, whole ? null : input, envelope);
        }
        catch (IOException e)
        {
            Log.Fatal($"unable to read the message or envelope: {ErrorText.Of(e)}");
            return ReadFailed;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, Bug);
        }
    }

    // Verify (unless too large), then the new field, the message without forged fields, and the
    // envelope to qmail-queue, whose exit code is ours.
    private static int Pass(byte[] message, Stream? rest, byte[] envelope)
    {
        if (Env.Get("RELAYCLIENT") is not null || Env.Get("SMTPAUTHUSER") is not null) return Unchanged(message, rest, envelope);
        ControlDir control = ControlDir.OfThisInstall();
        string me = control.Me;
        Verdicts v = rest is null ? Verify(message) : Verdicts.TooLarge(Env.Get("SPFRESULT"), Env.Get("SPFIDENTITY"));
        bool enforce = control.Number("dmarcpolicy", 0) == 1;
        if (enforce && v.Dmarc is { Result: "fail", Policy: "reject" })
        {
            Log.Info($"refused: DMARC policy of {v.Dmarc.FromDomain} is reject and the message fails it");
            return Refused;
        }
        string field = ResultsHeader.Format(me, v.SpfResult, v.SpfIdentity, v.Dkim, v.Arc, v.Dmarc);
        string quarantine = enforce && v.Dmarc is { Result: "fail", Policy: "quarantine" } ? $"X-DMARC-Policy: quarantine ({v.Dmarc.FromDomain})\n" : "";
        return Forward(envelope, queue =>
        {
            queue.Write(System.Text.Encoding.ASCII.GetBytes(field + quarantine));
            queue.Write(ResultsHeader.WithoutForged(message, me));
            rest?.CopyTo(queue);
        });
    }

    // Mail from our own users (a relay client, an authenticated one) is not checked here.
    private static int Unchanged(byte[] message, Stream? rest, byte[] envelope) => Forward(envelope, queue =>
    {
        queue.Write(message);
        rest?.CopyTo(queue);
    });

    // The message to qmail-queue (or $AUTHRESQUEUE, the next filter: QMAILQUEUE names one
    // program without arguments), then the envelope as it came; its exit code is ours.
    private static int Forward(byte[] envelope, Action<Stream> write)
    {
        using QueueSubmission next = QueueClient.Start(Env.Get("AUTHRESQUEUE") is { Length: > 0 } then ? then : Home.Path("bin/qmail-queue"));
        try
        {
            write(next.Message);
        }
        catch (IOException)
        {
            // qmail-queue stopped reading: its exit code says why.
        }
        ExitStatus status = next.CommitEnvelope(envelope);
        return status.Exited ? status.Code : Bug;
    }

    private static Verdicts Verify(byte[] message)
    {
        string? spf = Env.Get("SPFRESULT"), identity = Env.Get("SPFIDENTITY");
        MimeMessage parsed = MimeMessage.Load(new MemoryStream(message, writable: false));
        var resolver = Resolver.FromEnvironment();
        var keys = new DkimKeys(resolver);
        List<DkimOutcome> dkim = Signatures.Dkim(parsed, keys);
        string arc = Signatures.Arc(parsed, keys);
        string? from = parsed.From.Mailboxes.Count() == 1 ? parsed.From.Mailboxes.Single().Domain.ToLowerInvariant() : null;
        DmarcOutcome dmarc = new Dmarc(resolver, PublicSuffix.Load()).Evaluate(string.IsNullOrEmpty(from) ? null : from, spf, identity, dkim);
        return new Verdicts(spf, identity, dkim, arc, dmarc);
    }

    // Up to max bytes; whole is false when there was more.
    private static (byte[] Data, bool Whole) Slurp(Stream s, int max)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[65536];
        int n;
        while ((n = s.Read(chunk, 0, (int)Math.Min(chunk.Length, max + 1L - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > max) return (buffer.ToArray(), false);
        }
        return (buffer.ToArray(), true);
    }
}

/// <summary>Everything the field reports.</summary>
internal sealed record Verdicts(string? SpfResult, string? SpfIdentity, List<DkimOutcome> Dkim, string Arc, DmarcOutcome Dmarc)
{
    public static Verdicts TooLarge(string? spf, string? identity) =>
        new(spf, identity, [], "none", new DmarcOutcome("none", "none", "message too large to verify"));
}
