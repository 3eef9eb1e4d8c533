// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Local;

/// <summary>
/// Refuses a message whose header already has exactly this delivery's Delivered-To line: it went
/// round a forwarding loop back to us. Only the header is read.
/// </summary>
internal static class LoopCheck
{
    public static void Run(Stream message, string deliveredTo)
    {
        byte[] wanted = Encoding.Latin1.GetBytes(deliveredTo);
        message.Position = 0;
        var reader = new LineReader(message);
        while (reader.Next() is { } line)
        {
            if (line.Length <= 1 || line is [(byte)'\r', (byte)'\n']) return;   // end of header
            if (line.AsSpan().SequenceEqual(wanted))
                throw new FailureException(Failure.Permanent("5.4.6", "This message is looping: it already has my Delivered-To line."));
        }
    }
}
