// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using MailSuite.Common;
using MailSuite.Mail;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;

namespace MailSuite.Remote;

/// <summary>
/// The signing key of a From: domain (control/domainkeys/DOMAIN/selector and SELECTOR.key, see
/// <see cref="DomainKeyFiles"/>). A domain with no directory is not signed; a domain whose key
/// cannot be read or used is a temporary failure: the message waits for the administrator
/// rather than leaving unsigned by surprise.
/// </summary>
internal static class DkimKey
{
    /// <summary>The signer for a From: domain, or null when the domain signs nothing.</summary>
    public static DkimSigner? For(DomainKeyFiles files, string? domain)
    {
        if (domain is null || !DomainKeyFiles.IsSafeName(domain) || !Directory.Exists(files.DomainDirectory(domain))) return null;
        string selectorFile = files.SelectorFile(domain);
        string selector = ReadText(selectorFile).Split('\n')[0].Trim();
        if (!DomainKeyFiles.IsSafeName(selector)) throw Unusable(selectorFile, "it does not name a selector");
        string keyFile = files.KeyFile(domain, selector);
        string pem = ReadText(keyFile);
        DkimSigner signer = NativeRsa(pem, domain.ToLowerInvariant(), selector) ?? Ed25519(pem, keyFile, domain.ToLowerInvariant(), selector);
        signer.HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        signer.BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        return signer;
    }

    // An RSA key (PKCS#8 or PKCS#1 PEM) signs through OpenSSL; anything else is not RSA.
    private static NativeRsaSigner? NativeRsa(string pem, string domain, string selector)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new NativeRsaSigner(rsa, domain, selector);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            return null;
        }
    }

    private static DkimSigner Ed25519(string pem, string file, string domain, string selector)
    {
        object? key;
        try
        {
            key = new PemReader(new StringReader(pem)).ReadObject();
        }
        catch (Exception e) when (e is PemException or IOException or InvalidCastException or ArgumentException)
        {
            throw Unusable(file, $"it is not a PEM private key ({ErrorText.Of(e)})");
        }
        if (key is not Ed25519PrivateKeyParameters ed) throw Unusable(file, "it is neither an RSA nor an Ed25519 private key");
        return new DkimSigner(ed, domain, selector, DkimSignatureAlgorithm.Ed25519Sha256);
    }

    /// <summary>The domain of the first address in From:, lowercased; null when there is none.</summary>
    public static string? FromDomain(HeaderList headers)
    {
        string? from = headers[HeaderId.From];
        if (from is null || !InternetAddressList.TryParse(from, out InternetAddressList? list)) return null;
        string? domain = list.Mailboxes.FirstOrDefault()?.Domain;
        return string.IsNullOrEmpty(domain) ? null : domain.ToLowerInvariant();
    }

    private static string ReadText(string file)
    {
        using var reader = new StreamReader(ReadStream(file));
        return reader.ReadToEnd();
    }

    private static MemoryStream ReadStream(string file)
    {
        try
        {
            return new MemoryStream(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable(file, $"unable to read it: {ErrorText.Of(e)}");
        }
    }

    private static FailureException Unusable(string file, string why)
    {
        Log.Warning($"DKIM: {file}: {why}");
        return new FailureException(Failure.Temporary("4.3.0",
            $"Unable to sign with DKIM: {file}: {why}. The message waits rather than leave unsigned"));
    }
}
