// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MimeKit;
using MimeKit.Cryptography;

namespace MailSuite.AuthResults;

/// <summary>One DKIM-Signature's result (RFC 8601 words) with the d=, s= and the start of b= that name it.</summary>
internal sealed record DkimOutcome(string Result, string Domain, string Selector, string B);

/// <summary>
/// DKIM (RFC 6376, rsa-sha256 and ed25519-sha256 by MimeKit's verifier) for each signature, at
/// most MaxSignatures, and the ARC chain (RFC 8617) by MimeKit's ArcVerifier. A key that DNS could
/// not deliver is temperror; a missing or broken key or signature, permerror.
/// </summary>
internal static class Signatures
{
    private const int MaxSignatures = 10;

    public static List<DkimOutcome> Dkim(MimeMessage message, DkimKeys keys)
    {
        var verifier = new DkimVerifier(keys);
        var outcomes = new List<DkimOutcome>();
        foreach (Header h in message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Take(MaxSignatures))
        {
            Dictionary<string, string> tags = Tags(h.Value);
            string b = tags.GetValueOrDefault("b", "");
            outcomes.Add(new DkimOutcome(Verify(verifier, message, h), tags.GetValueOrDefault("d", "").ToLowerInvariant(),
                tags.GetValueOrDefault("s", ""), b.Length > 8 ? b[..8] : b));
        }
        return outcomes;
    }

    private static string Verify(DkimVerifier verifier, MimeMessage message, Header signature)
    {
        try
        {
            return verifier.Verify(message, signature) ? "pass" : "fail";
        }
        catch (KeyUnavailableException)
        {
            return "temperror";
        }
        catch (Exception e) when (e is NoKeyException or FormatException or NotSupportedException or ArgumentException or ParseException)
        {
            return "permerror";
        }
    }

    public static string Arc(MimeMessage message, DkimKeys keys)
    {
        try
        {
            return new ArcVerifier(keys).Verify(message).Chain switch
            {
                ArcSignatureValidationResult.Pass => "pass",
                ArcSignatureValidationResult.Fail => "fail",
                _ => "none",
            };
        }
        catch (KeyUnavailableException)
        {
            return "temperror";
        }
        catch (Exception e) when (e is NoKeyException or FormatException or NotSupportedException or ArgumentException or ParseException)
        {
            Log.Warning($"ARC chain unreadable: {ErrorText.Of(e)}");
            return "permerror";
        }
    }

    // "a=rsa-sha256; d=example.com; ..." with folding whitespace removed.
    private static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in value.Split(';'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0) tags[part[..eq].Trim()] = string.Concat(part[(eq + 1)..].Where(c => !char.IsWhiteSpace(c)));
        }
        return tags;
    }
}
