// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Local;

/// <summary>
/// Forwarding: every forward line of the file goes out in one qmail-queue call at the end, with
/// this delivery's Delivered-To line on top (that is what stops loops) and no Return-Path. The
/// envelope sender is the original one, or local-owner@domain when .qmail-ext-owner exists (and
/// the VERP form when .qmail-ext-owner-default exists too), as dot-qmail(5) says.
/// </summary>
internal static class Forwarder
{
    public static string Check(string address)
    {
        string a = address.Trim();
        if (a.Length == 0 || a.Any(c => c is ' ' or '<' or '>' or '\0'))
            throw new FailureException(Failure.Permanent("5.1.3", $"Unable to forward to a malformed address: {a}"));
        return a;
    }

    public static string NewSender(Recipient r)
    {
        if (r.Sender.Length == 0 || r.Sender == "#@[]") return r.Sender;
        string? owner = ByteString.ToText($".qmail{r.Dash}{AsciiCase.Lower(r.Ext).Replace('.', ':')}-owner");
        if (owner is null || !File.Exists(Path.Combine(r.HomeDir, owner))) return r.Sender;
        return File.Exists(Path.Combine(r.HomeDir, owner + "-default"))
            ? $"{r.Local}-owner-@{r.Domain}-@[]"
            : $"{r.Local}-owner@{r.Domain}";
    }

    /// <summary>Queues the forwards; returns qmail-queue's pid for the report.</summary>
    public static string Send(List<string> recipients, Recipient r, Stream message)
    {
        QueueResult result = QueueClient.Submit(output =>
        {
            output.Write(Encoding.Latin1.GetBytes(r.DeliveredTo));
            message.Position = 0;
            message.CopyTo(output);
        }, NewSender(r), recipients);
        if (result.Failure is { } f)
            throw new FailureException(f.IsPermanent ? f : Failure.Temporary(f.Status, $"Unable to forward message: {f.Text}"));
        return result.QueuePid.ToString();
    }
}
