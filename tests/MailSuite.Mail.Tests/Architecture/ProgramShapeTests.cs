// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace MailSuite.Mail.Tests.Architecture;

// One failure discipline (design.md): every program's Main ends with a catch-all that turns the
// unexpected into its temporary failure with a log line, never a crash or a bounce.
public partial class ProgramShapeTests
{
    private static readonly string Root = RepoRoot.Path;

    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (string dir in (string[])["src", "tools"])
            foreach (string p in Directory.GetFiles(Path.Combine(Root, dir), "Program.cs", SearchOption.AllDirectories))
                if (!p.Contains("/obj/", StringComparison.Ordinal)) data.Add(Path.GetRelativePath(Root, p));
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Every_main_ends_with_a_catch_all_and_shows_no_runtime_message(string path)
    {
        string source = File.ReadAllText(Path.Combine(Root, path));
        Assert.True(CatchAll().IsMatch(source), $"{path}: Main has no catch (Exception e) without a filter");
        Assert.DoesNotMatch(@"\b(e|ex)\.Message\b", source);   // runtime messages are resource keys under AOT: ErrorText.Of
    }

    [GeneratedRegex(@"catch \(Exception e\)\s*(//[^\n]*)?\n")]
    private static partial Regex CatchAll();
}
