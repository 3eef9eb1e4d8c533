// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Dns;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailSuite.AuthResults;

/// <summary>A key lookup that could not be answered now (DNS failed): the signature's result is temperror.</summary>
internal sealed class KeyUnavailableException(string message) : Exception(message);

/// <summary>A key record that does not exist or cannot be used: the signature's result is permerror.</summary>
internal sealed class NoKeyException(string message) : Exception(message);

/// <summary>DKIM public keys from DNS (SELECTOR._domainkey.DOMAIN TXT) through MailSuite.Dns.</summary>
internal sealed class DkimKeys(Resolver dns) : DkimPublicKeyLocatorBase
{
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        string name = $"{selector}._domainkey.{domain}";
        DnsAnswer<byte[]> txt = dns.Txt(name);
        if (txt.Status == DnsStatus.TempError) throw new KeyUnavailableException(txt.Reason);
        if (txt.Records.Count != 1) throw new NoKeyException($"{name} has {txt.Records.Count} key records");
        try
        {
            return GetPublicKey(Encoding.ASCII.GetString(txt.Records[0]));
        }
        catch (Exception e) when (e is ParseException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new NoKeyException($"{name} is not a usable key: {MailSuite.Common.ErrorText.Of(e)}");
        }
    }

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
}
