// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Dns;
using MailSuite.Mail;
using MimeKit;

namespace MailSuite.AuthResults;

/// <summary>
/// One message's way through qmail-authres, whether it runs as a program in QMAILQUEUE's place or
/// resident as qmail-authresd: DKIM, ARC and DMARC verified, one Authentication-Results field
/// with qmail-smtpd's SPF result, forged fields removed, then the message on to $AUTHRESQUEUE or
/// qmail-queue, whose exit code is the answer. The environment is the message's own
/// (qmail-smtpd's SPFRESULT, SPFIDENTITY, RELAYCLIENT, SMTPAUTHUSER, and AUTHRESQUEUE), never
/// the process's.
/// </summary>
public static class AuthResFilter
{
    /// <summary>Verified in memory up to this; larger messages pass on unverified.</summary>
    public const int MaxMessage = 64 << 20;

    // Read once a process, when a name first has subdomains to strip; a failed read is tried again.
    private static readonly Lazy<PublicSuffix> Suffixes = new(() => PublicSuffix.Load(), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>Verifies and passes the message on; the next program's exit code and pid, or the filter's own refusal.</summary>
    public static FilterExit Pass(FilterInput input, IReadOnlyDictionary<string, string> environment)
    {
        // Mail from our own users (a relay client, an authenticated one) passes unchanged.
        if (environment.ContainsKey("RELAYCLIENT") || environment.ContainsKey("SMTPAUTHUSER")) return Forward(input, environment, "", input.Message);
        string? spf = environment.GetValueOrDefault("SPFRESULT"), identity = environment.GetValueOrDefault("SPFIDENTITY");
        ControlDir control = ControlDir.OfThisInstall();
        string me = control.Me;
        Verdicts v = input.Rest is null ? Verify(input.Message, spf, identity) : Verdicts.TooLarge(spf, identity);
        bool enforce = control.Number("dmarcpolicy", 0) == 1;
        if (enforce && v.Dmarc is { Result: "fail", Policy: "reject" })
        {
            Log.Info($"refused: DMARC policy of {v.Dmarc.FromDomain} is reject and the message fails it");
            return new FilterExit(QueueFilter.Refused, 0);
        }
        string field = ResultsHeader.Format(me, v.SpfResult, v.SpfIdentity, v.Dkim, v.Arc, v.Dmarc);
        string quarantine = enforce && v.Dmarc is { Result: "fail", Policy: "quarantine" } ? $"X-DMARC-Policy: quarantine ({v.Dmarc.FromDomain})\n" : "";
        return Forward(input, environment, field + quarantine, ResultsHeader.WithoutForged(input.Message, me));
    }

    private static FilterExit Forward(FilterInput input, IReadOnlyDictionary<string, string> environment, string fields, byte[] message) =>
        QueueFilter.ForwardFor("AUTHRESQUEUE", input, environment, queue =>
        {
            queue.Write(Encoding.ASCII.GetBytes(fields));
            queue.Write(message);
            input.Rest?.CopyTo(queue);
        });

    private static Verdicts Verify(byte[] message, string? spf, string? identity)
    {
        MimeMessage parsed = MimeMessage.Load(new MemoryStream(message, writable: false));
        var resolver = Resolver.FromEnvironment();
        var keys = new DkimKeys(resolver);
        List<DkimOutcome> dkim = Signatures.Dkim(parsed, keys);
        string arc = Signatures.Arc(parsed, keys);
        string? from = parsed.From.Mailboxes.Count() == 1 ? parsed.From.Mailboxes.Single().Domain.ToLowerInvariant() : null;
        DmarcOutcome dmarc = new Dmarc(resolver, Suffixes).Evaluate(string.IsNullOrEmpty(from) ? null : from, spf, identity, dkim);
        return new Verdicts(spf, identity, dkim, arc, dmarc);
    }
}

/// <summary>Everything the field reports.</summary>
internal sealed record Verdicts(string? SpfResult, string? SpfIdentity, List<DkimOutcome> Dkim, string Arc, DmarcOutcome Dmarc)
{
    public static Verdicts TooLarge(string? spf, string? identity) =>
        new(spf, identity, [], "none", new DmarcOutcome("none", "none", "message too large to verify"));
}
