// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;
using MimeKit;

namespace MailSuite.Inject;

/// <summary>
/// qmail-inject's job: read the message, rewrite its header, choose the envelope, and queue it
/// through qmail-queue (or print it with -n). The body bytes pass through untouched.
/// </summary>
internal sealed class Injection(Options options, Identity id)
{
    public int Run(Stream input, Stream output)
    {
        byte[] message = ReadAll(input);
        (int bodyStart, bool separated) = HeaderSplit.Find(message);
        HeaderList headers = bodyStart == 0 ? [] : HeaderList.Load(new MemoryStream(message, 0, bodyStart));
        RewrittenHeader rewritten = HeaderRewriter.Rewrite(headers, id);
        List<string> recipients = Recipients(rewritten.Recipients);
        // The envelope holds bytes: a UTF-8 address (RFC 6531) goes in as its UTF-8.
        string sender = ByteString.FromText(options.Sender is { } s ? s : $"{id.EnvelopeUser}@{id.EnvelopeHost}");

        void WriteMessage(Stream o)
        {
            var text = new StringBuilder();
            foreach (Header h in rewritten.Headers) text.Append(h.Field).Append(':').Append(Unfold(h));
            if (!separated) text.Append('\n');   // body text with no empty line of its own before it
            o.Write(Encoding.UTF8.GetBytes(text.ToString()));
            if (bodyStart < message.Length) o.Write(message, bodyStart, message.Length - bodyStart);
        }

        if (options.PrintOnly)
        {
            output.Write(Encoding.Latin1.GetBytes($"F{sender}\n" + string.Concat(recipients.Select(r => $"T{r}\n"))));
            WriteMessage(output);
            return ExitCodes.Success;
        }
        if (recipients.Count == 0) throw new FailureException(Failure.Permanent("5.1.3", "no recipients"));
        QueueResult result = QueueClient.Submit(WriteMessage, sender, recipients);
        return result.Failure is { } f ? throw new FailureException(f) : ExitCodes.Success;
    }

    private List<string> Recipients(List<string> fromHeader)
    {
        var args = options.Recipients.Select(id.Qualify);
        IEnumerable<string> chosen = options.Source switch
        {
            RecipientSource.ArgsOnly => args,
            RecipientSource.HeaderOnly => fromHeader,
            RecipientSource.Both => args.Concat(fromHeader),
            _ => options.Recipients.Count > 0 ? args : fromHeader,
        };
        return chosen.Select(ByteString.FromText).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    // A header field's raw value keeps the sender's folding; a value we set is written as MimeKit folds it.
    private static string Unfold(Header h)
    {
        string raw = Encoding.UTF8.GetString(h.RawValue);
        return raw.EndsWith('\n') ? raw : raw + "\n";
    }

    private static byte[] ReadAll(Stream input)
    {
        var all = new MemoryStream();
        input.CopyTo(all);
        return all.ToArray();
    }
}
