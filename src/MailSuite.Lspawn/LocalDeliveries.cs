// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Lspawn;

/// <summary>
/// One local delivery: check the message file belongs to qmailq, find the recipient's owner,
/// run qmail-local as that owner (qmail-local -U uid:gid becomes the owner first thing) with the message on fd 0 and its report
/// on fds 1 and 2, and turn its exit code into qmail-send's K, Z or D.
/// </summary>
internal sealed class LocalDeliveries(string defaultDelivery, QueueLayout queue)
{
    private const int ReportMax = 3000;
    private static readonly int[] Temporary = [111, 71, 74, 75];

    private readonly string bin = Home.Path("bin");
    private readonly uint queueOwner = InstallIds.OfTree(Home.Prefix).User(Role.Qmailq).Uid;

    public string Run(string mess, string sender, string recipient)
    {
        try
        {
            return Deliver(mess, sender, recipient);
        }
        catch (FailureException e)
        {
            return e.Failure.StatusLine;
        }
        catch (Exception e)
        {
            return "ZTemporary failure in qmail-lspawn: " + e.GetType().Name + ". (#4.3.0)";
        }
    }

    private string Deliver(string mess, string sender, string recipient)
    {
        int at = recipient.LastIndexOf('@');
        if (at < 0) return "DSorry, address must include host name. (#5.1.3)";
        string local = recipient[..at], domain = recipient[(at + 1)..];
        if (local.Length == 0) return "Kdelivered to nobody: empty local part.";
        using SafeFileHandle message = File.OpenHandle(Path.Combine(queue.Dir, "mess", mess), FileMode.Open, FileAccess.Read);
        if (PosixFile.Owner(message) != queueOwner) return "ZSorry, message has wrong owner. (#4.3.5)";
        Owner owner = UserLookup.Find(local, Home.Path("users/cdb"), Home.Path("alias"));
        if (owner.Uid == 0) return "ZNot allowed to perform deliveries as root. (#4.3.0)";
        return RunLocal(message, owner, local, domain, sender);
    }

    private string RunLocal(SafeFileHandle message, Owner o, string local, string domain, string sender)
    {
        // The envelope's byte strings become argv's UTF-8 text (RFC 6531 local parts byte for byte).
        if (ByteString.ToText(local) is not { } localText || ByteString.ToText(o.Ext) is not { } ext
            || ByteString.ToText(domain) is not { } domainText || ByteString.ToText(sender) is not { } senderText)
            return "DSorry, that address is not UTF-8; I cannot deliver it here. (#5.1.3)";
        string[] argv = ["qmail-local", "-U", $"{o.Uid}:{o.Gid}", "--", o.User, o.Home, localText, o.Dash, ext, domainText, senderText, defaultDelivery];
        var request = new SpawnRequest(Path.Combine(bin, "qmail-local"), argv, Env.Current(), new Dictionary<int, int> { [0] = Pipe.Number(message) }, "/");
        (byte[] output, ExitStatus status) = Spawn.Capture(request, 1, 2);
        string text = Report(output);
        if (!status.Exited) return "Zqmail-local crashed.";
        return status.Code switch
        {
            0 => "K" + text,
            _ when Temporary.Contains(status.Code) => "Z" + Or(text, $"qmail-local exited {status.Code}."),
            _ => "D" + Or(text, $"qmail-local exited {status.Code}."),
        };
    }

    private static string Report(byte[] output)
    {
        string text = Encoding.Latin1.GetString(output, 0, Math.Min(output.Length, ReportMax));
        return output.Length > ReportMax ? text + "\nError report too long, sorry." : text;
    }

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;
}
