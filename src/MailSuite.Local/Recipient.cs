// SPDX-License-Identifier: MIT
namespace MailSuite.Local;

/// <summary>qmail-local's eight arguments, as qmail-lspawn passes them.</summary>
internal sealed record Recipient(string User, string HomeDir, string Local, string Dash, string Ext,
    string Domain, string Sender, string DefaultDelivery)
{
    /// <summary>The envelope recipient, local@domain.</summary>
    public string Address => $"{Local}@{Domain}";

    /// <summary>The loop-detection line this delivery adds (newlines made harmless, as qmail does).</summary>
    public string DeliveredTo => $"Delivered-To: {Address.Replace('\n', '_')}\n";

    /// <summary>The Return-Path line for file deliveries.</summary>
    public string ReturnPath => $"Return-Path: <{Sender.Replace('\n', '_')}>\n";
}
