// SPDX-License-Identifier: MIT
// dknewkey [--ed25519] [--bits N] [--no-activate] DOMAIN [SELECTOR]: makes a DKIM signing key
// where qmail-remote finds it, makes it active and prints the TXT record to publish.
using System.CommandLine;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.DkNewKey;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("dknewkey");
        var domain = new Argument<string>("domain") { Description = "the From: domain the key signs for" };
        var selector = new Argument<string?>("selector") { Description = "the key's name in DNS (default: rsaYYYYMMDD or edYYYYMMDD)", Arity = ArgumentArity.ZeroOrOne };
        var ed25519 = new Option<bool>("--ed25519") { Description = "an Ed25519 key (RFC 8463) instead of RSA" };
        var bits = new Option<int>("--bits") { Description = "RSA key size, 1024 to 4096", DefaultValueFactory = _ => 2048 };
        var inactive = new Option<bool>("--no-activate") { Description = "leave the active selector as it is (publish first, activate later)" };
        var prefix = new Option<string>("--prefix") { Description = "the install (default: this binary's own)" };
        var root = new RootCommand("Make a DKIM signing key for qmail-remote and print the DNS record to publish.") { domain, selector, ed25519, bits, inactive, prefix };
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Log.Fatal(error.Message);
            return ExitCodes.Permanent;
        }
        if (parsed.Action is not null) return parsed.Invoke();
        try
        {
            return Make(parsed.GetValue(domain)!.ToLowerInvariant(), parsed.GetValue(selector), parsed.GetValue(ed25519),
                parsed.GetValue(bits), !parsed.GetValue(inactive), parsed.GetValue(prefix) ?? Home.Prefix);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    private static int Make(string domain, string? selector, bool ed25519, int bits, bool activate, string prefix)
    {
        selector ??= (ed25519 ? "ed" : "rsa") + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        if (!DomainKeyFiles.IsSafeName(domain) || !DomainKeyFiles.IsSafeName(selector))
            return Usage($"not a domain or selector name: {domain} {selector}");
        if (!ed25519 && bits is < 1024 or > 4096) return Usage($"--bits must be from 1024 to 4096 (RFC 8301), not {bits}");
        var store = new KeyStore(prefix);
        if (store.Exists(domain, selector)) return Usage($"{domain} already has a key named {selector}: choose another selector");
        NewKey key = ed25519 ? NewKey.Ed25519() : NewKey.Rsa(bits);
        store.Save(domain, selector, key, activate);
        using var stdout = new StreamWriter(Fd.OpenWrite(1)) { NewLine = "\n" };
        stdout.Write(key.ZoneLine(domain, selector));
        return ExitCodes.Success;
    }

    private static int Usage(string why)
    {
        Log.Fatal(why);
        return ExitCodes.Permanent;
    }
}
