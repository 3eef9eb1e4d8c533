// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// Every installed program has its manual page under PREFIX/man, found by Debian's man-db.
public sealed class ManPageTests : IDisposable
{
    private readonly TempInstall install = new();

    public void Dispose() => install.Dispose();

    private Ran Man(params string[] args) =>
        Harness.Run("man", ["-M", Path.Combine(install.Prefix, "man"), "-P", "cat", .. args], env: new Dictionary<string, string> { ["MANWIDTH"] = "100" });

    // The page's words on one line: man fills and hyphenates them to its width.
    private static string Flowed(string page) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(page, "\u2010\\s+", ""), @"\s+", " ");

    [Fact]
    public void Man_shows_every_programs_page()
    {
        string[] programs = Directory.GetFiles(Path.Combine(install.Prefix, "bin")).Select(Path.GetFileName)
            .Where(n => !n!.EndsWith(".so", StringComparison.Ordinal)).Order().ToArray()!;
        Assert.Contains("qmail-smtpd", programs);
        Assert.All(programs, name =>
        {
            Ran page = Man(name);
            Assert.True(page.Exit == 0, $"man {name}: {page.Stderr}");
            Assert.Matches($@"\n {{7}}{System.Text.RegularExpressions.Regex.Escape(name)} - \S", page.Stdout);   // the NAME line
            Assert.Contains("\nSYNOPSIS\n", page.Stdout);
        });
    }

    [Fact]
    public void Pages_are_in_qmails_and_ucspi_tcps_sections()
    {
        Ran smtpd = Man("8", "qmail-smtpd");
        Assert.StartsWith("qmail-smtpd(8)", smtpd.Stdout.TrimStart());
        Assert.Contains("553 sorry, that domain isn't in my list of allowed rcpthosts", Flowed(smtpd.Stdout));   // the README's text, not a stub
        Assert.StartsWith("tcpserver(1)", Man("1", "tcpserver").Stdout.TrimStart());
        Assert.StartsWith("forward(1)", Man("1", "forward").Stdout.TrimStart());
        Assert.NotEqual(0, Man("1", "qmail-smtpd").Exit);
    }
}
