// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;

namespace MailSuite.RcptD;

/// <summary>
/// The unprivileged half of qmail-rcptd, as qmailp: it accepts qmail-smtpd's questions on
/// PREFIX/rcptd/socket (reachable by the nofiles accounts only), one per connection: the address,
/// then end of input; the answer is one byte, Y, N or T. Everything a client sends is parsed here;
/// the root half only ever sees .qmail paths built from a local part already split and checked.
/// </summary>
internal sealed class RcptServer(Socket listener, Stream statChannel)
{
    private const int MaxAddress = 1024;
    private const int MaxConnections = 128;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);
    private readonly Lock statLock = new();

    public int Run()
    {
        var recipients = new Recipients(AskRoot);
        Log.Info($"ready: uid {Privileges.RealUid}");
        LocalSocket.ServeForever(listener, MaxConnections, client => Serve(client, recipients));
        return ExitCodes.Temporary;
    }

    private static void Serve(Socket client, Recipients recipients)
    {
        try
        {
            using (client)
            {
                client.ReceiveTimeout = client.SendTimeout = (int)ReadLimit.TotalMilliseconds;
                string? address = ReadAddress(client);
                Deliverable answer = address is null ? Deliverable.Unknown : Answer(recipients, address);
                client.Send([(byte)answer]);
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client went away; it gets no answer, which it takes as no check.
        }
    }

    private static Deliverable Answer(Recipients recipients, string address)
    {
        try
        {
            Deliverable d = recipients.Check(address);
            if (d == Deliverable.Unknown) Log.Warning($"unable to check {Log.Sanitize(address)}: a .qmail file could not be examined");
            return d;
        }
        catch (FailureException e)
        {
            Log.Warning($"unable to check {Log.Sanitize(address)}: {e.Failure.Text}");
            return Deliverable.Unknown;
        }
        catch (Exception e)   // a bug costs one answer, never the service
        {
            Log.Warning($"unexpected {e.GetType().Name} checking {Log.Sanitize(address)}: {ErrorText.Of(e)}");
            return Deliverable.Unknown;
        }
    }

    // The address up to end of input; null when longer than any address can be.
    private static string? ReadAddress(Socket client)
    {
        byte[] buffer = new byte[MaxAddress + 1];
        int length = 0, n;
        while (length < buffer.Length && (n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None)) > 0) length += n;
        return length > MaxAddress ? null : Encoding.Latin1.GetString(buffer, 0, length);
    }

    // One question at a time to the root half, which answers in order.
    private DotQmailKind AskRoot(string path)
    {
        if (path.Contains('\0') || path.Length > StatHelper.MaxPath) return DotQmailKind.Absent;
        lock (statLock)
        {
            statChannel.Write(Encoding.Latin1.GetBytes(path + "\0"));
            statChannel.Flush();
            int b = statChannel.ReadByte();
            if (b < 0) throw new IOException("the privileged half of qmail-rcptd is gone");
            return (DotQmailKind)b;
        }
    }
}
