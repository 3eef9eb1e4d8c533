// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.Common;
using MailSuite.Mail;
using MailSuite.Remote.MtaSts;
using MimeKit.Cryptography;

namespace MailSuite.Remote;

/// <summary>
/// One remote delivery: the next hops for the host, tried in order until one takes the message
/// (or refuses it for good); a host that cannot be reached in timeoutconnect seconds, greets with
/// an error, or fails a TLS policy passes the turn to the next. A connection that dies later ends
/// the attempt (temporary), as in qmail. When none was reachable the result is temporary, with
/// the last reason. Mail to a domain's MX hosts follows its MTA-STS policy (RFC 8461).
/// </summary>
internal sealed class Delivery(RemoteConfig config, Results results)
{
    private readonly DnsLookup dns = new(config.DnsServers);

    public void Run(string host, string sender, string[] recipients, Stream message)
    {
        MessageShape shape = WireMessage.Measure(message);
        using var outgoing = new OutgoingMessage(message, shape, Signer());
        var envelope = new Envelope(sender, recipients, outgoing);
        Relay? relay = Routes.Find(config.SmtpRoutes, host);
        StsPolicy? sts = relay?.Host is null && !Routes.Names(config.TlsDestinations, host) ? Sts().For(host) : null;
        TlsPolicy policy = TlsPolicy.For(config.TlsDestinations, host, sts);
        Credentials? credentials = relay?.Host is string r ? Credentials.For(ControlDir.OfThisInstall(), r) : null;
        string lastError = "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)";
        foreach (Hop hop in Allowed(new NextHops(config, dns).For(host), host, sts))
        {
            bool useTls = true;
            while (true)
            {
                using Socket? socket = Connect(hop, out string? why);
                if (socket is null)
                {
                    lastError = $"Sorry, I wasn't able to establish an SMTP connection to {hop.Name} ({hop.Address}): {why}. (#4.4.1)";
                    break;
                }
                Fd.Rewind(0);
                var dialogue = new SmtpDialogue(config, results, hop, policy, credentials);
                HopOutcome outcome;
                try
                {
                    outcome = dialogue.Run(new SmtpChannel(new NetworkStream(socket, ownsSocket: false)), envelope, useTls);
                }
                catch (ConnectionLostException e)
                {
                    results.Final('Z', ErrorText.Of(e));
                    return;
                }
                catch (IOException e)
                {
                    // As qmail: once connected, a drop ends the attempt. Another MX could get
                    // the message twice, and the recipients' answers are already written.
                    results.Final('Z', $"Connected to {hop.Address} but connection died: {ErrorText.Of(e)}. (#4.4.2)");
                    return;
                }
                if (outcome == HopOutcome.Done) return;
                if (outcome == HopOutcome.RetryWithoutTls && useTls) { useTls = false; continue; }
                lastError = dialogue.LastError ?? lastError;
                break;
            }
        }
        results.Final('Z', lastError);
    }

    private StsLookup Sts() => new(dns, new StsCache(QueueLayout.OfThisInstall().MtaSts),
        new PolicyFetcher(dns, config.Anchors, TimeSpan.FromSeconds(config.TimeoutConnect)));

    // RFC 8461 4.1: under enforce, only the MX hosts the policy lists; none of them is a
    // temporary failure (the policy may change, RFC 8461 5.1), naming the hosts found.
    private static List<Hop> Allowed(List<Hop> hops, string host, StsPolicy? sts)
    {
        if (sts?.Mode != StsMode.Enforce) return hops;
        List<Hop> allowed = hops.Where(h => sts.Allows(h.Name)).ToList();
        if (allowed.Count > 0) return allowed;
        string names = string.Join(", ", hops.Select(h => h.Name).Distinct());
        throw new FailureException(Failure.Temporary("4.7.5",
            $"Sorry, the MTA-STS policy of {host} (enforce) allows none of its MX hosts ({names}); it allows {string.Join(", ", sts.Mx)}."));
    }

    // Only an install with keys pays for reading the From: field.
    private static DkimSigner? Signer()
    {
        var files = new DomainKeyFiles(ControlDir.OfThisInstall().Path);
        if (!Directory.Exists(files.Root) || !Directory.EnumerateDirectories(files.Root).Any()) return null;
        return DkimKey.For(files, OutgoingMessage.FromDomain());
    }

    // qmail's tcpto: an address that timed out twice in a row lately is not tried; a timeout is
    // remembered, an answer forgets it. A refusal is an answer of sorts and changes nothing.
    private Socket? Connect(Hop hop, out string? why)
    {
        string tcpto = QueueLayout.OfThisInstall().TcpTo;
        why = "it timed out twice lately, skipped for now (qmail-tcpok clears that)";
        if (TcpTimeouts.ShouldSkip(tcpto, hop.Address)) return null;
        var socket = new Socket(hop.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(config.TimeoutConnect));
            socket.ConnectAsync(hop.Address, hop.Port, deadline.Token).AsTask().GetAwaiter().GetResult();
            socket.ReceiveTimeout = socket.SendTimeout = config.TimeoutRemote * 1000;
            Remember(() => TcpTimeouts.Clear(tcpto, hop.Address));
            why = null;
            return socket;
        }
        catch (OperationCanceledException)
        {
            Remember(() => TcpTimeouts.Record(tcpto, hop.Address));
            socket.Dispose();
            why = $"no answer within {config.TimeoutConnect} s";
            return null;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            why = SocketWords.Of(e);
            return null;
        }
    }

    // The memory is an optimisation: a tcpto that cannot be written never stops a delivery.
    private static void Remember(Action update)
    {
        try
        {
            update();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning($"unable to update lock/tcpto: {ErrorText.Of(e)}");
        }
    }
}
