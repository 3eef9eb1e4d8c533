// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace MailSuite.DkNewKey;

/// <summary>A new signing key: the private key as PKCS#8 PEM and the DKIM key record's value (RFC 6376 3.6.1, RFC 8463).</summary>
internal sealed record NewKey(string PrivatePem, string RecordValue)
{
    /// <summary>RSA: p= is the SubjectPublicKeyInfo, as every verifier expects.</summary>
    public static NewKey Rsa(int bits)
    {
        using RSA rsa = RSA.Create(bits);
        return new NewKey(rsa.ExportPkcs8PrivateKeyPem() + "\n", $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}");
    }

    /// <summary>Ed25519 (RFC 8463): p= is the bare 32-byte public key. .NET has no Ed25519; BouncyCastle (MimeKit's) does.</summary>
    public static NewKey Ed25519()
    {
        var key = new Ed25519PrivateKeyParameters(new SecureRandom());
        byte[] pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded();
        string pem = PemEncoding.WriteString("PRIVATE KEY", pkcs8) + "\n";
        return new NewKey(pem, $"v=DKIM1; k=ed25519; p={Convert.ToBase64String(key.GeneratePublicKey().GetEncoded())}");
    }

    /// <summary>The record as a zone file line; TXT strings are at most 255 octets, so long keys are split.</summary>
    public string ZoneLine(string domain, string selector)
    {
        var parts = new List<string>();
        for (int i = 0; i < RecordValue.Length; i += 250) parts.Add($"\"{RecordValue[i..Math.Min(i + 250, RecordValue.Length)]}\"");
        return $"{selector}._domainkey.{domain}. IN TXT ( {string.Join("\n\t", parts)} )\n";
    }
}
