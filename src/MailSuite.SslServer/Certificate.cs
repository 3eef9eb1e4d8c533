// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Net;

namespace MailSuite.SslServer;

/// <summary>$CERTFILE (certificate and chain) and $KEYFILE (key; unset or empty: in CERTFILE), as PEM text.</summary>
internal static class Certificate
{
    public static string Read(string? certFile, string? keyFile)
    {
        if (string.IsNullOrEmpty(certFile)) throw new FailureException(Failure.Temporary("4.3.0", "CERTFILE is not set"));
        string pem = ReadFile(certFile);
        if (!string.IsNullOrEmpty(keyFile) && keyFile != certFile) pem += "\n" + ReadFile(keyFile);
        _ = TlsServerSide.Load(pem);   // unusable material stops the server now, not each connection later
        return pem;
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to read {path}: {ErrorText.Of(e)}"));
        }
    }
}
