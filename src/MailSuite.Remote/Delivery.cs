// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using MailSuite.Common;
using MailSuite.Mail;
using MimeKit.Cryptography;

namespace MailSuite.Remote;

/// <summary>
/// One remote delivery: the next hops for the host, tried in order until one takes the message
/// (or refuses it for good); a host that cannot be reached in timeoutconnect seconds, greets with
/// an error, or fails a TLS policy passes the turn to the next. A connection that dies later ends
/// the attempt (temporary), as in qmail. When none was reachable the result is temporary, with
/// the last reason.
/// </summary>
internal sealed class Delivery(RemoteConfig config, Results results)
{
    public void Run(string host, string sender, string[] recipients, Stream message)
    {
        MessageShape shape = WireMessage.Measure(message);
        using var outgoing = new OutgoingMessage(message, shape, Signer());
        var envelope = new Envelope(sender, recipients, outgoing);
        TlsPolicy policy = TlsPolicy.For(config.TlsDestinations, host);
        Relay? relay = Routes.Find(config.SmtpRoutes, host);
        Credentials? credentials = relay?.Host is string r ? Credentials.For(ControlDir.OfThisInstall(), r) : null;
        string lastError = "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)";
        foreach (Hop hop in new NextHops(config).For(host))
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
            why = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.NetworkUnreachable => "network unreachable",
                SocketError.HostUnreachable => "host unreachable",
                _ => e.SocketErrorCode.ToString(),
            };
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
