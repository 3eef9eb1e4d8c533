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

    /// <summary>
    /// Delivers the message (seekable, rewound for each try) and writes its results. A connection
    /// kept from the previous message to this host is tried first (RSET); one that will not take it
    /// is closed and the host connected afresh, so nothing is lost. Returns the connection when
    /// the transaction left it in step, for the caller to reuse or QUIT.
    /// </summary>
    public Connection? Run(string host, string sender, string[] recipients, FileStream message, Connection? kept)
    {
        MessageShape shape = WireMessage.Measure(message);
        var outgoing = new OutgoingMessage(message, shape, Signer(message));
        var envelope = new Envelope(sender, recipients, outgoing);
        if (kept is not null)
        {
            Rewind(message);
            if (Attempt(kept, envelope, reused: true) is { } handled) return handled.Kept;
        }
        return Fresh(host, envelope, message);
    }

    private Connection? Fresh(string host, Envelope envelope, FileStream message)
    {
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
                Socket? socket = Connect(hop, out string? why);
                if (socket is null)
                {
                    lastError = $"Sorry, I wasn't able to establish an SMTP connection to {hop.Name} ({hop.Address}): {why}. (#4.4.1)";
                    break;
                }
                Rewind(message);
                var connection = new Connection(socket, new SmtpChannel(new NetworkStream(socket, ownsSocket: false)), new SmtpDialogue(config, hop, policy, credentials), hop);
                (HopOutcome outcome, Connection? kept) = Attempt(connection, envelope, reused: false, useTls)!.Value;
                if (outcome == HopOutcome.Done) return kept;
                if (outcome == HopOutcome.RetryWithoutTls && useTls) { useTls = false; continue; }
                lastError = connection.Dialogue.LastError ?? lastError;
                break;
            }
        }
        results.Final('Z', lastError);
        return null;
    }

    // One conversation; null when a reused connection would not take the message (nothing sent).
    // The connection comes back only when its transaction left it in step; otherwise it is closed.
    private (HopOutcome Outcome, Connection? Kept)? Attempt(Connection c, Envelope envelope, bool reused, bool useTls = true)
    {
        try
        {
            HopOutcome outcome;
            if (reused)
            {
                if (!c.Dialogue.TryAgain(c.Channel, envelope, results, out outcome))
                {
                    c.Dispose();
                    return null;
                }
            }
            else
            {
                outcome = c.Dialogue.Run(c.Channel, envelope, useTls, results);
            }
            if (outcome == HopOutcome.Done && c.Dialogue.InStep) return (outcome, c);
            if (outcome == HopOutcome.Done) c.Quit(); else c.Dispose();
            return (outcome, null);
        }
        catch (ConnectionLostException e)
        {
            results.Final('Z', ErrorText.Of(e));
        }
        catch (IOException e)
        {
            // As qmail: once connected, a drop ends the attempt. Another MX could get
            // the message twice, and the recipients' answers are already written.
            results.Final('Z', $"Connected to {c.Hop.Address} but connection died: {ErrorText.Of(e)}. (#4.4.2)");
        }
        catch (Exception)
        {
            c.Dispose();   // whatever went wrong, the connection is in no known state
            throw;
        }
        c.Dispose();
        return (HopOutcome.Done, null);
    }

    // The message is read once per peer; a pipe on fd 0 cannot be.
    private static void Rewind(FileStream message)
    {
        if (!message.CanSeek)
            throw new FailureException(Failure.Temporary("4.3.0", "the message must be a file (it is read again for each peer), not a pipe."));
        message.Position = 0;
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
    private static DkimSigner? Signer(FileStream message)
    {
        var files = new DomainKeyFiles(ControlDir.OfThisInstall().Path);
        if (!Directory.Exists(files.Root) || !Directory.EnumerateDirectories(files.Root).Any()) return null;
        return DkimKey.For(files, OutgoingMessage.FromDomain(message));
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
