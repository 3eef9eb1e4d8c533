// SPDX-License-Identifier: MIT
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailSuite.Common;

namespace MailSuite.Remote;

/// <summary>
/// Which certificates qmail-remote believes: the system's CAs, and those in control/tlsanchors.pem
/// (an organization's own CA, a test CA) besides. Used wherever a certificate must be valid: the
/// "verify" policy of tlsdestinations, MTA-STS policy fetches and MTA-STS's MX hosts.
/// </summary>
internal sealed class TrustAnchors(X509Certificate2Collection extra)
{
    public const string FileName = "tlsanchors.pem";

    /// <summary>control/tlsanchors.pem's certificates; none when it does not exist. A file that is not PEM certificates is a temporary failure (an administrator's typo must not lower security, nor bounce mail).</summary>
    public static TrustAnchors Load(ControlDir control)
    {
        var certificates = new X509Certificate2Collection();
        if (control.Read(FileName) is not byte[] pem) return new TrustAnchors(certificates);
        try
        {
            certificates.ImportFromPem(System.Text.Encoding.ASCII.GetString(pem));
        }
        catch (CryptographicException e)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to read control/{FileName}: {ErrorText.Of(e)}"));
        }
        if (certificates.Count == 0)
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to read control/{FileName}: it holds no PEM certificate"));
        return new TrustAnchors(certificates);
    }

    /// <summary>
    /// Whether a peer's certificate is valid for the name it was asked for: what SslStream found
    /// (system CAs, the name) and, when only the chain failed, the chain again with our anchors
    /// as roots. Why it is not, in words, otherwise.
    /// </summary>
    public bool Verify(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, out string why)
    {
        why = "";
        if (errors == SslPolicyErrors.None) return true;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || certificate is null)
        {
            why = "it sent no certificate";
            return false;
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            why = "it is not valid for the name I asked for";
            return false;
        }
        if (ChainsToAnchor(certificate, chain)) return true;
        why = ChainProblem(chain);
        return false;
    }

    private bool ChainsToAnchor(X509Certificate certificate, X509Chain? serverChain)
    {
        if (extra.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));   // server authentication
        if (serverChain is not null) chain.ChainPolicy.ExtraStore.AddRange(serverChain.ChainPolicy.ExtraStore);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    // OpenSSL's words for what is wrong ("self-signed certificate", "certificate has expired").
    private static string ChainProblem(X509Chain? chain)
    {
        string[] problems = chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToArray() ?? [];
        return problems.Length > 0 ? $"it is not signed by a CA I trust ({string.Join("; ", problems)})" : "it is not signed by a CA I trust";
    }
}
