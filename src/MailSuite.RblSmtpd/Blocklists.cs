// SPDX-License-Identifier: MIT
using System.Net;
using System.Text;
using MailSuite.Dns;

namespace MailSuite.RblSmtpd;

/// <summary>
/// rblsmtpd's decision, step by step as ucspi-tcp 0.88 takes it: $RBLSMTPD first (set and empty:
/// accept; "-text": 553; "text": 451), then each -r and -a in command-line order until one
/// decides. A listing is a TXT record under the reversed address (its text is the reply); an
/// anti-listing is an A record. A lookup that fails (timeout, SERVFAIL) lists nothing unless -c
/// (fail closed) says so, and then the answer is 451 even with -b.
/// </summary>
internal sealed class Blocklists(string remoteIp, Func<string, DnsAnswer<byte[]>> txt, Func<string, DnsAnswer<IPAddress>> a)
{
    private readonly string reversed = Reverse(remoteIp);
    private Decision decision = Decision.Undecided;
    private byte[] text = [];
    private bool bounce;
    private bool failClosed;
    private bool mustNotBounce;

    public Verdict Decide(string? rblsmtpd, IEnumerable<RblOption> options)
    {
        FromEnvironment(rblsmtpd);
        foreach (RblOption o in options)
        {
            switch (o.Letter)
            {
                case 'b': bounce = true; break;
                case 'B': bounce = false; break;
                case 'c': failClosed = true; break;
                case 'C': failClosed = false; break;
                case 'r': Listed(o.Value!); break;
                case 'a': AntiListed(o.Value!); break;
            }
        }
        return new Verdict(decision, text, mustNotBounce);
    }

    private void FromEnvironment(string? value)
    {
        if (value is null) return;
        if (value.Length == 0) decision = Decision.Accept;
        else if (value[0] == '-') (decision, text) = (Decision.Bounce, Encoding.UTF8.GetBytes(value[1..]));
        else (decision, text) = (Decision.Reject, Encoding.UTF8.GetBytes(value));
    }

    private void Listed(string zone)
    {
        if (decision != Decision.Undecided) return;
        DnsAnswer<byte[]> answer = txt(reversed + zone);
        if (answer.Status == DnsStatus.TempError)
        {
            mustNotBounce = true;
            if (failClosed) (decision, text) = (Decision.Reject, "temporary RBL lookup error"u8.ToArray());
            return;
        }
        text = [.. answer.Records.SelectMany(t => t)];
        if (text.Length > 0) decision = bounce ? Decision.Bounce : Decision.Reject;
    }

    private void AntiListed(string zone)
    {
        if (decision != Decision.Undecided) return;
        DnsAnswer<IPAddress> answer = a(reversed + zone);
        if (answer.Status == DnsStatus.TempError)
        {
            mustNotBounce = true;
            if (!failClosed) decision = Decision.Accept;
            return;
        }
        if (answer.Records.Count > 0) decision = Decision.Accept;
    }

    /// <summary>
    /// The address as a blocklist name's prefix: "4.3.2.1." for 1.2.3.4 (any text ucspi-tcp would
    /// reverse by its dots), the 32 reversed nibbles of an IPv6 address (RFC 5782), the IPv4
    /// address inside an IPv4-mapped one.
    /// </summary>
    public static string Reverse(string ip)
    {
        if (ip.Contains(':') && IPAddress.TryParse(ip, out IPAddress? v6))
        {
            if (v6.IsIPv4MappedToIPv6) return Reverse(v6.MapToIPv4().ToString());
            var b = new StringBuilder(64);
            foreach (byte octet in v6.GetAddressBytes().Reverse())
                b.Append("0123456789abcdef"[octet & 0xf]).Append('.').Append("0123456789abcdef"[octet >> 4]).Append('.');
            return b.ToString();
        }
        string[] parts = ip.Split('.');
        return ip.Length == 0 ? "" : string.Concat(parts.Reverse().Select(p => p + "."));
    }
}
