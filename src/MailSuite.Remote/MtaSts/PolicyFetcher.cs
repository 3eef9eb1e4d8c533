// SPDX-License-Identifier: MIT
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MailSuite.Common;

namespace MailSuite.Remote.MtaSts;

/// <summary>
/// Fetches https://mta-sts.DOMAIN/.well-known/mta-sts.txt as RFC 8461 3.3 asks: HTTPS with a
/// certificate valid for mta-sts.DOMAIN (system CAs and control/tlsanchors.pem), TLS 1.2 or
/// later, HTTP/1.1, no redirects followed, status 200, media type text/plain, at most 64 KiB,
/// within timeoutconnect seconds. Names resolve through qmail-remote's own DNS, no proxy.
/// </summary>
internal sealed class PolicyFetcher(DnsLookup dns, TrustAnchors anchors, TimeSpan timeout)
{
    public const int MaxPolicy = 64 * 1024;

    /// <summary>The policy text, or null with the reason in words.</summary>
    public string? Fetch(string domain, out string why)
    {
        string url = $"https://mta-sts.{domain}/.well-known/mta-sts.txt";
        string tlsProblem = "";
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = 16,
            ConnectTimeout = timeout,
            ConnectCallback = (context, cancel) => Connect(context.DnsEndPoint, cancel),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => anchors.Verify(certificate, chain, errors, out tlsProblem),
            },
        };
        using var client = new HttpClient(handler)
        {
            Timeout = timeout, DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            using HttpResponseMessage response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            return Body(response, url, out why);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or FailureException)
        {
            why = tlsProblem.Length > 0 ? $"{url}: its certificate does not verify: {tlsProblem}"
                : e is TaskCanceledException ? $"{url}: no answer within {timeout.TotalSeconds} s" : $"{url}: {ErrorText.Of(e)}";
            return null;
        }
    }

    private static string? Body(HttpResponseMessage response, string url, out string why)
    {
        why = "";
        if (response.StatusCode != HttpStatusCode.OK)
        {
            why = $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase} (only 200 counts; redirects are not followed)";
            return null;
        }
        MediaTypeHeaderValue? type = response.Content.Headers.ContentType;
        if (!string.Equals(type?.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
        {
            why = $"{url} is served as {type?.MediaType ?? "no media type"}, not text/plain";
            return null;
        }
        using Stream body = response.Content.ReadAsStream();
        var buffer = new byte[MaxPolicy + 1];
        int length = body.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length > MaxPolicy)
        {
            why = $"{url} is longer than {MaxPolicy} bytes";
            return null;
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    // Each address of the name in turn (AAAA first), as qmail-remote reaches MX hosts.
    private async ValueTask<Stream> Connect(DnsEndPoint endPoint, CancellationToken cancel)
    {
        string last = "it has no address";
        foreach (IPAddress address in dns.Resolve(endPoint.Host))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endPoint.Port, cancel).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = $"{address}: {SocketWords.Of(e)}";
            }
        }
        throw new HttpRequestException($"unable to connect to {endPoint.Host}: {last}");
    }
}
