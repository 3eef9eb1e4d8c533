// SPDX-License-Identifier: MIT
// qmail-submit: a QMAILQUEUE filter for the submission ports (qmail-queue's interface in and out).
// A message from an authenticated user must be From: one of their addresses; Date: and
// Message-ID: are added when missing. Then it goes on to $SUBMITQUEUE or qmail-queue.
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Submit;

internal static class Program
{
    private const int MaxHeader = 1 << 20;   // read in memory; a header longer than this is refused

    private static int Main(string[] args)
    {
        Log.Init("qmail-submit", timestamps: true);
        if (args.Length != 0)
        {
            Log.Fatal("usage: qmail-submit (as QMAILQUEUE: the message on fd 0, the envelope on fd 1)");
            return QueueFilter.Bug;
        }
        try
        {
            ControlDir control = ControlDir.OfThisInstall();
            var submission = new Submission(SenderPolicy.Load(control), control.LineOrMe("idhost"));
            FilterInput? input = QueueFilter.Read(MaxHeader);
            return input is null ? QueueFilter.ReadFailed : Pass(input, submission);
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return 55;   // qmail-queue's "unable to read configuration"
        }
        catch (IOException e)
        {
            Log.Fatal($"unable to read the message or envelope: {ErrorText.Of(e)}");
            return QueueFilter.ReadFailed;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, QueueFilter.Bug);
        }
    }

    private static int Pass(FilterInput input, Submission submission)
    {
        byte[] message = input.Message;
        (int headerLength, bool separated) = HeaderSplit.Find(message);
        if (input.Rest is not null && headerLength == message.Length)
        {
            Log.Info($"refused: a header over {MaxHeader >> 20} MiB");
            return QueueFilter.Refused;
        }
        string? user = Env.Get("SMTPAUTHUSER");
        Verdict verdict = submission.Check(message.AsSpan(0, headerLength), user, DateTimeOffset.UtcNow);
        if (verdict.Refusal is not null)
        {
            Log.Info($"refused: {Log.Sanitize(verdict.Refusal)}");
            return QueueFilter.Refused;
        }
        return QueueFilter.Forward("SUBMITQUEUE", input, Env.Snapshot(), queue =>
        {
            queue.Write(message.AsSpan(0, headerLength));
            queue.Write(Encoding.UTF8.GetBytes(verdict.AddedFields));
            if (!separated && verdict.AddedFields.Length > 0) queue.WriteByte((byte)'\n');
            queue.Write(message.AsSpan(headerLength));
            input.Rest?.CopyTo(queue);
        });
    }
}
