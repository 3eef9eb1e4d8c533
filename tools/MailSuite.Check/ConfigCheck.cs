// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;
using MailSuite.Net;

namespace MailSuite.Check;

/// <summary>
/// mailsuite-check --config: every control file, the rules sources, the certificate and the alias
/// account's .qmail files, read the way the programs read them, as the accounts that read them.
/// Each problem is one line naming the file (and line) and what the programs would do about it.
/// rc/mailsuite reload runs it first and reloads nothing while it finds a problem.
/// </summary>
internal static class ConfigCheck
{
    // The control files only one account reads (secrets); every other one is read by the mail
    // accounts, the users' qmail-local and qmail-inject alike, as in qmail: world-readable.
    private static readonly Dictionary<string, string> PrivateTo = new()
    {
        ["remoteauth"] = "qmailr",
        ["servercert.pem"] = "qmaild",
    };

    public static List<string> Problems(string prefix)
    {
        var problems = new List<string>();
        string control = Path.Combine(prefix, "control");
        foreach (ControlItem item in ControlItems.All)
        {
            string path = Path.Combine(control, item.Name);
            if (FileStatus.Of(path) is not { Kind: FileKind.File } status) continue;
            string name = $"control/{item.Name}";
            if (Unreadable(path, status, PrivateTo.GetValueOrDefault(item.Name)) is { } who)
            {
                problems.Add($"{name}: {who} cannot read it (owner {Owner(status.Uid)}, mode {Convert.ToString(status.Mode, 8)}): " +
                    "running programs keep their old settings, programs that start now fail temporarily");
                continue;
            }
            problems.AddRange(Content(item, path, name));
        }
        problems.AddRange(AliasFiles(prefix));
        return problems;
    }

    private static IEnumerable<string> Content(ControlItem item, string path, string name)
    {
        byte[] data = File.ReadAllBytes(path);
        switch (item.Shape)
        {
            case ControlShape.Number:
                string first = ControlFile.FirstLine(data);
                if (first.Length > 0 && ControlFile.Number(first) is null)
                    yield return $"{name}:1: \"{Printable(first)}\" is not a number: the programs use the default ({item.Default})";
                break;
            case ControlShape.Rules:
                foreach (string problem in Rules(data, name)) yield return problem;
                break;
            case ControlShape.Certificate:
                string? error = null;
                try
                {
                    _ = TlsServerSide.Load(Encoding.ASCII.GetString(data));
                }
                catch (FailureException e)
                {
                    error = e.Failure.Text;
                }
                if (error is not null) yield return $"{name}: {error}: STARTTLS is not offered and sslserver (SMTPS, POP3S) cannot start";
                break;
        }
    }

    // tcprules' own parser, line by line: a rules file that does not compile leaves the old cdb.
    private static IEnumerable<string> Rules(byte[] data, string name)
    {
        string[] lines = Encoding.Latin1.GetString(data).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            _ = TcpRule.Parse(lines[i].TrimEnd('\r'), out string? error);
            if (error is not null) yield return $"{name}:{i + 1}: tcprules cannot parse \"{Printable(lines[i])}\": the old rules stay in force";
        }
    }

    // The alias account reads its .qmail files as itself: one it cannot read defers that mail.
    private static IEnumerable<string> AliasFiles(string prefix)
    {
        string alias = Path.Combine(prefix, "alias");
        if (!Directory.Exists(alias) || Accounts.Find("alias") is not { } account) yield break;
        foreach (string path in Directory.EnumerateFiles(alias, ".qmail*").Order(StringComparer.Ordinal))
            if (FileStatus.OfTarget(path) is { } status && !CanRead(status, account.Uid, account.Gid))
                yield return $"alias/{Path.GetFileName(path)}: the alias account cannot read it (owner {Owner(status.Uid)}, mode " +
                    $"{Convert.ToString(status.Mode, 8)}): mail for that address is deferred";
    }

    // Who of those that must read the file cannot: null when everyone can.
    private static string? Unreadable(string path, FileStatus status, string? onlyAccount)
    {
        if (onlyAccount is null) return (status.Mode & 4) != 0 ? null : "the mail accounts";
        if (Accounts.Find(onlyAccount) is not { } account) return null;   // no such account here: nothing reads it
        return CanRead(status, account.Uid, account.Gid) ? null : onlyAccount;
    }

    private static bool CanRead(FileStatus status, uint uid, uint gid) =>
        status.Uid == uid ? (status.Mode & 0x100) != 0 : status.Gid == gid ? (status.Mode & 0x20) != 0 : (status.Mode & 4) != 0;

    private static string Owner(uint uid) => Accounts.Find(uid)?.Name ?? uid.ToString();

    private static string Printable(string s)
    {
        var b = new StringBuilder();
        foreach (char c in s.Length > 80 ? s[..80] : s) b.Append(c is >= ' ' and <= '~' ? c : '?');
        return b.ToString();
    }
}
