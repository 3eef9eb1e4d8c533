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

    private static int Main(string[] args)
    {
        Log.Init("qmail-authres", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-authres (as QMAILQUEUE: the message on fd 0, the envelope on fd 1)");
            return QueueFilter.Bug;
        }
        try
        {
            FilterInput? input = QueueFilter.Read(MaxMessage);
            return input is null ? QueueFilter.ReadFailed : Pass(input);
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

    // Verify (unless too large), then the new field, the message without forged fields, and the
    // envelope to the next program ($AUTHRESQUEUE or qmail-queue), whose exit code is ours.
    // Mail from our own users (a relay client, an authenticated one) passes unchanged.
    private static int Pass(FilterInput input)
    {
        if (Env.Get("RELAYCLIENT") is not null || Env.Get("SMTPAUTHUSER") is not null) return Forward(input, "", input.Message);
        ControlDir control = ControlDir.OfThisInstall();
        string me = control.Me;
        Verdicts v = input.Rest is null ? Verify(input.Message) : Verdicts.TooLarge(Env.Get("SPFRESULT"), Env.Get("SPFIDENTITY"));
        bool enforce = control.Number("dmarcpolicy", 0) == 1;
        if (enforce && v.Dmarc is { Result: "fail", Policy: "reject" })
        {
            Log.Info($"refused: DMARC policy of {v.Dmarc.FromDomain} is reject and the message fails it");
            return QueueFilter.Refused;
        }
        string field = ResultsHeader.Format(me, v.SpfResult, v.SpfIdentity, v.Dkim, v.Arc, v.Dmarc);
        string quarantine = enforce && v.Dmarc is { Result: "fail", Policy: "quarantine" } ? $"X-DMARC-Policy: quarantine ({v.Dmarc.FromDomain})\n" : "";
        return Forward(input, field + quarantine, ResultsHeader.WithoutForged(input.Message, me));
    }

    private static int Forward(FilterInput input, string fields, byte[] message) => QueueFilter.Forward("AUTHRESQUEUE", input.Envelope, queue =>
    {
        queue.Write(System.Text.Encoding.ASCII.GetBytes(fields));
        queue.Write(message);
        input.Rest?.CopyTo(queue);
    });

    private static Verdicts Verify(byte[] message)
    {
        string? spf = Env.Get("SPFRESULT"), identity = Env.Get("SPFIDENTITY");
        MimeMessage parsed = MimeMessage.Load(new MemoryStream(message, writable: false));
        var resolver = Resolver.FromEnvironment();
        var keys = new DkimKeys(resolver);
        List<DkimOutcome> dkim = Signatures.Dkim(parsed, keys);
        string arc = Signatures.Arc(parsed, keys);
        string? from = parsed.From.Mailboxes.Count() == 1 ? parsed.From.Mailboxes.Single().Domain.ToLowerInvariant() : null;
        DmarcOutcome dmarc = new Dmarc(resolver, new Lazy<PublicSuffix>(() => PublicSuffix.Load())).Evaluate(string.IsNullOrEmpty(from) ? null : from, spf, identity, dkim);
        return new Verdicts(spf, identity, dkim, arc, dmarc);
    }
}

/// <summary>Everything the field reports.</summary>
internal sealed record Verdicts(string? SpfResult, string? SpfIdentity, List<DkimOutcome> Dkim, string Arc, DmarcOutcome Dmarc)
{
    public static Verdicts TooLarge(string? spf, string? identity) =>
        new(spf, identity, [], "none", new DmarcOutcome("none", "none", "message too large to verify"));
}
