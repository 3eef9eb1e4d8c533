// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>
/// Where DKIM signing keys live: control/domainkeys/DOMAIN/selector names the active selector,
/// control/domainkeys/DOMAIN/SELECTOR.key is its private key (0400, the signing account's) and
/// SELECTOR.txt the TXT record to publish at SELECTOR._domainkey.DOMAIN. dknewkey writes them,
/// qmail-remote reads them.
/// </summary>
public sealed class DomainKeyFiles(string controlPath)
{
    /// <summary>control/domainkeys.</summary>
    public string Root { get; } = Path.Combine(controlPath, "domainkeys");

    /// <summary>The directory of one domain's keys (the name lowercased).</summary>
    public string DomainDirectory(string domain) => Path.Combine(Root, domain.ToLowerInvariant());

    /// <summary>The file naming the domain's active selector.</summary>
    public string SelectorFile(string domain) => Path.Combine(DomainDirectory(domain), "selector");

    /// <summary>A selector's private key.</summary>
    public string KeyFile(string domain, string selector) => Path.Combine(DomainDirectory(domain), selector + ".key");

    /// <summary>A selector's TXT record, as dknewkey printed it.</summary>
    public string RecordFile(string domain, string selector) => Path.Combine(DomainDirectory(domain), selector + ".txt");

    /// <summary>
    /// A domain or selector safe to use as a file name: DNS labels of letters, digits, '-' and
    /// '_' joined by single dots. A From: domain comes from whoever wrote the message, so
    /// "..", "/" and the like must never reach a path.
    /// </summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(label =>
            label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
}
