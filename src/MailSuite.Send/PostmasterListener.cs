// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Send;

/// <summary>
/// qmail-qctl's channel: PREFIX/qmgr/socket, mode 0600 in a qmails 0700 directory, and a client
/// that is not root by the kernel's word (SO_PEERCRED) is refused. Each request line, "VERB ID",
/// goes to the scheduler as an event and its one-line answer comes back; a delete or bounce is
/// answered when it is done. A few clients at once, each line at most
/// <see cref="QueueManagement.MaxLine"/> bytes: nothing a client sends can grow memory.
/// </summary>
internal static class PostmasterListener
{
    private const int MaxClients = 4;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromMinutes(1);

    public static void Start(string path, BlockingCollection<object> events)
    {
        Socket listener;
        try
        {
            listener = LocalSocket.Listen(path);
            FileStatus.Chmod(path, Convert.ToInt32("600", 8));
        }
        catch (Exception e) when (e is FailureException or IOException or UnauthorizedAccessException)
        {
            Log.Warning($"no queue management (qmail-qctl) this time: {ErrorText.Of(e)}");
            return;
        }
        new Thread(() => LocalSocket.ServeForever(listener, MaxClients, c => Serve(c, events))) { IsBackground = true, Name = "qmgr" }.Start();
    }

    private static void Serve(Socket client, BlockingCollection<object> events)
    {
        using (client)
        {
            try
            {
                client.ReceiveTimeout = client.SendTimeout = (int)ReadLimit.TotalMilliseconds;
                using var stream = new NetworkStream(client, ownsSocket: false);
                bool root = PeerCredentials.Uid(client) == 0;
                while (ReadLine(stream) is { } line)
                {
                    if (!root)
                    {
                        Answer(stream, "no: only root may manage the queue");   // after its line: a close with unread input would reset the answer away
                        return;
                    }
                    if (Parse(line) is not { } request)
                    {
                        Answer(stream, $"no: not a request: {Printable(line)}");
                        return;
                    }
                    using var answer = new BlockingCollection<string>(1);
                    events.Add(new PostmasterRequest(request.Verb, request.Id, answer.Add));
                    Answer(stream, answer.Take());
                }
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
            {
                // The client went away or sent a line too long: it gets nothing more.
            }
        }
    }

    private static (string Verb, ulong Id)? Parse(string line)
    {
        string[] words = line.Split(' ');
        return words.Length == 2 && QueueManagement.Verbs.Contains(words[0]) && ulong.TryParse(words[1], out ulong id) && id > 0
            ? (words[0], id)
            : null;
    }

    // A line ending in LF, at most MaxLine bytes; null at end of input.
    private static string? ReadLine(Stream s)
    {
        var line = new StringBuilder();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) return line.Length == 0 ? null : throw new InvalidDataException("a request without its newline");
            if (b == '\n') return line.ToString();
            if (line.Length >= QueueManagement.MaxLine) throw new InvalidDataException("a request line too long");
            line.Append((char)b);
        }
    }

    private static void Answer(Stream s, string text) => s.Write(Encoding.UTF8.GetBytes(text + "\n"));

    private static string Printable(string s) => new(s.Select(c => c is >= ' ' and <= '~' ? c : '_').ToArray());
}
