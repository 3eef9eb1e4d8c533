// SPDX-License-Identifier: MIT
using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace MailSuite.Remote;

/// <summary>
/// MimeKit's DkimSigner with the RSA signature made by .NET (OpenSSL) instead of BouncyCastle:
/// same rsa-sha256 bytes (PKCS#1 v1.5 is deterministic), a fraction of the CPU. BouncyCastle's
/// managed RSA took ~30 ms a message here — most of qmail-remote's cost — and OpenSSL's ~1.
/// </summary>
internal sealed class NativeRsaSigner(RSA key, string domain, string selector)
    : DkimSigner(new Placeholder(), domain, selector, DkimSignatureAlgorithm.RsaSha256)
{
    protected override ISigner CreateSigningContext() => new Context(key);

    /// <summary>DkimSigner wants a BouncyCastle private key; the one that signs is <c>key</c>, through <see cref="Context"/>.</summary>
    private sealed class Placeholder() : AsymmetricKeyParameter(privateKey: true);

    /// <summary>The ISigner MimeKit feeds the canonical header block to.</summary>
    private sealed class Context(RSA key) : ISigner
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public string AlgorithmName => "SHA-256withRSA";

        public void Init(bool forSigning, ICipherParameters parameters) => throw new NotSupportedException();

        public void Update(byte input) => hash.AppendData([input]);

        public void BlockUpdate(byte[] input, int inOff, int inLen) => hash.AppendData(input, inOff, inLen);

        public void BlockUpdate(ReadOnlySpan<byte> input) => hash.AppendData(input);

        public int GetMaxSignatureSize() => key.KeySize / 8;

        public byte[] GenerateSignature() => key.SignHash(hash.GetHashAndReset(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public bool VerifySignature(byte[] signature) => throw new NotSupportedException();

        public void Reset() => hash.GetHashAndReset();
    }
}
