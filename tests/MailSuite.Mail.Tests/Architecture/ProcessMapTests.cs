// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;
using MailSuite.Mail;

namespace MailSuite.Mail.Tests.Architecture;

// README.md's process map against what the code does: every program in it is installed (Hier),
// every program qmail-start and rc/mailsuite start is in it, under the account qmail-start gives.
public partial class ProcessMapTests
{
    private static readonly string Root = RepoRoot.Path;

    // program -> account column
    private static Dictionary<string, string> Map()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        string section = readme[readme.IndexOf("## Processes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return Row().Matches(section).Where(m => m.Groups["program"].Value != "program")   // the header row
            .ToDictionary(m => m.Groups["program"].Value, m => m.Groups["account"].Value.Trim());
    }

    [Fact]
    public void Every_program_in_the_map_is_installed()
    {
        var installed = Hier.Entries.Where(e => e.Kind == HierKind.Binary).Select(e => Path.GetFileName(e.Path)).ToHashSet();
        Dictionary<string, string> map = Map();
        Assert.True(map.Count >= 15, $"only {map.Count} rows found");
        Assert.All(map.Keys, program => Assert.Contains(program, installed));
    }

    [Fact]
    public void What_qmail_start_starts_is_in_the_map_under_the_same_account()
    {
        string starter = File.ReadAllText(Path.Combine(Root, "src/MailSuite.Start/Starter.cs"));
        MatchCollection starts = StarterCall().Matches(starter);
        Assert.True(starts.Count >= 4);
        Dictionary<string, string> map = Map();
        foreach (Match m in starts)
        {
            string program = m.Groups["program"].Value, account = m.Groups["account"].Value;
            Assert.True(map.TryGetValue(program, out string? mapped), $"{program} (started by qmail-start) is not in README's process map");
            Assert.StartsWith(account == "null" ? "root" : account.Trim('"'), mapped);
        }
    }

    [Fact]
    public void What_rc_mailsuite_starts_is_in_the_map()
    {
        string rc = File.ReadAllText(Path.Combine(Root, "rc/mailsuite"));
        Dictionary<string, string> map = Map();
        // Every program in a service's command line (tcprules, run once to compile rules, and
        // mailsuite-check, run once by reload to check the configuration, are no processes of the map).
        foreach (Match m in RcProgram().Matches(rc).Where(m => m.Groups["program"].Value is not ("tcprules" or "mailsuite-check")))
            Assert.True(map.ContainsKey(m.Groups["program"].Value), $"{m.Groups["program"].Value} (started by rc/mailsuite) is not in README's process map");
    }

    [GeneratedRegex(@"^\| (?<program>[a-z0-9-]+) \| (?<account>[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"Start\((?<account>null|""[a-z]+""), Path\.Combine\(bin, ""(?<program>[a-z0-9-]+)""\)")]
    private static partial Regex StarterCall();

    [GeneratedRegex(@"\$PREFIX/bin/(?<program>[a-z0-9-]+)")]
    private static partial Regex RcProgram();
}
