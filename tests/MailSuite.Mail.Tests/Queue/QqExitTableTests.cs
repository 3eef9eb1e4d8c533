// SPDX-License-Identifier: MIT
using System.Reflection;
using System.Text.RegularExpressions;
using MailSuite.Common;

namespace MailSuite.Mail.Tests.Queue;

// qmail-queue's exit codes, three places that must agree: the constants (QqExit), what a caller
// makes of them (QqExit.Meaning: temporary or permanent) and the table in qmail-queue's README.
public partial class QqExitTableTests
{
    private static string Root() => RepoRoot.Path;

    private static Dictionary<int, string> ReadmeTable()
    {
        string readme = File.ReadAllText(Path.Combine(Root(), "src/MailSuite.Queue/README.md"));
        return Row().Matches(readme[readme.IndexOf("## EXIT CODES", StringComparison.Ordinal)..])
            .ToDictionary(m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture), m => m.Groups["meaning"].Value);
    }

    [Fact]
    public void Every_code_qmail_queue_can_exit_with_is_in_its_readme_with_the_right_kind()
    {
        Dictionary<int, string> table = ReadmeTable();
        // qmail-queue's own files and the steps it shares with qmail-queued.
        string[] files = [.. Directory.GetFiles(Path.Combine(Root(), "src/MailSuite.Queue"), "*.cs"),
            Path.Combine(Root(), "src/MailSuite.Mail/Queue/QueueInjector.cs"), Path.Combine(Root(), "src/MailSuite.Mail/Queue/EnvelopeCopy.cs")];
        string sources = string.Concat(files.Select(File.ReadAllText));
        var used = typeof(QqExit).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && sources.Contains("QqExit." + f.Name, StringComparison.Ordinal))
            .Select(f => (int)f.GetRawConstantValue()!).Append(QqExit.Ok).ToHashSet();
        Assert.True(used.Count >= 8, $"only {used.Count} codes found in qmail-queue's sources");
        foreach (int code in used)
        {
            Assert.True(table.TryGetValue(code, out string? meaning), $"exit code {code} is used by qmail-queue but not in its README");
            Failure? f = QqExit.Meaning(new ExitStatus(code, 0));
            Assert.Equal(code == 0, f is null);
            if (f is not null) Assert.Equal(f.IsPermanent, meaning.Contains("permanent", StringComparison.Ordinal));
        }
        Assert.All(table.Keys, code => Assert.Contains(code, used));
    }

    [GeneratedRegex(@"^\| (?<code>\d+) \| (?<meaning>[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
