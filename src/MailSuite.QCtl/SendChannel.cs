// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QCtl;

/// <summary>
/// Asks qmail-send, one line "VERB ID" a message, and prints each answer ("ok ..." or "no ...").
/// A delete or bounce is answered once the deliveries under way have ended, so the wait has no
/// bound of its own: a remote delivery under way ends within qmail-remote's timeouts.
/// </summary>
internal static class SendChannel
{
    public static int Ask(string verb, IReadOnlyList<ulong> ids)
    {
        if (ids.Count == 0)
        {
            Log.Warning("no message matches");
            return ExitCodes.Success;
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        string path = QueueManagement.SocketPath;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            Log.Fatal($"qmail-send does not answer at {path} ({ErrorText.Of(e)}): is it running, and are you root?");
            return ExitCodes.Temporary;
        }
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using Stream stdout = Fd.OpenWrite(1);
        int refused = 0;
        foreach (ulong id in ids)
        {
            stream.Write(Encoding.ASCII.GetBytes($"{verb} {id}\n"));
            string? answer = reader.ReadLine();
            if (answer is null)
            {
                Log.Fatal($"qmail-send closed the connection before answering {verb} {id}");
                return ExitCodes.Temporary;
            }
            stdout.Write(Encoding.UTF8.GetBytes(answer + "\n"));
            if (!answer.StartsWith("ok ", StringComparison.Ordinal)) refused++;
            if (answer.StartsWith("no:", StringComparison.Ordinal)) return ExitCodes.Temporary;   // refused as a whole (not root)
        }
        return refused == 0 ? ExitCodes.Success : 1;
    }
}
