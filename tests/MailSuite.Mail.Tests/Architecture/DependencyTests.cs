// SPDX-License-Identifier: MIT
using System.Text.RegularExpressions;

namespace MailSuite.Mail.Tests.Architecture;

// The layering of design.md, checked on the project files and sources: the code linked into a
// privileged or network-facing program is part of its attack surface.
public class DependencyTests
{
    private static readonly string Root = RepoRoot.Path;

    private static IEnumerable<string> Projects() =>
        Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Root, "tools"), "*.csproj", SearchOption.AllDirectories));

    private static string Project(string name) => File.ReadAllText(Projects().Single(p => Path.GetFileNameWithoutExtension(p) == name));

    // libc is bound at link time (DirectPInvoke "libc"); a POSIX wrapper library with a native
    // half (Mono.Unix was one) is loaded at run time by every process that makes one call.
    [Fact]
    public void Only_common_calls_libc_and_no_project_uses_a_posix_wrapper_library()
    {
        foreach (string project in Projects())
        {
            Assert.DoesNotContain("Mono.Unix", File.ReadAllText(project));
            Assert.DoesNotContain("Mono.Posix", File.ReadAllText(project));
            if (project.Contains("MailSuite.Common")) continue;
            foreach (string source in Directory.GetFiles(Path.GetDirectoryName(project)!, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/")))
                Assert.False(Regex.IsMatch(File.ReadAllText(source), @"Import\(""libc"""), $"{source} calls libc itself");
        }
    }

    [Theory]
    [InlineData("MailSuite.Common")]
    [InlineData("MailSuite.Mail")]
    [InlineData("MailSuite.Queue")]
    [InlineData("MailSuite.Local")]
    [InlineData("MailSuite.Lspawn")]
    [InlineData("MailSuite.Send")]
    [InlineData("MailSuite.Smtpd")]
    [InlineData("MailSuite.TcpServer")]
    [InlineData("MailSuite.RblSmtpd")]
    public void Machine_facing_programs_link_neither_mimekit_nor_commandline(string name)
    {
        string project = Project(name);
        Assert.DoesNotContain("MimeKit", project);
        Assert.DoesNotContain("System.CommandLine", project);
    }

    [Theory]
    [InlineData("MailSuite.Net")]
    [InlineData("MailSuite.Auth")]
    public void Protocol_libraries_sit_on_common_alone(string name)
    {
        string project = Project(name);
        Assert.Contains("MailSuite.Common.csproj", project);
        Assert.DoesNotContain("MailSuite.Mail", project);
        Assert.DoesNotContain("PackageReference", project);
    }

    [Fact]
    public void Only_the_dns_library_references_the_dnsclient_package()
    {
        string dns = Project("MailSuite.Dns");
        Assert.Contains("MailSuite.Common.csproj", dns);
        Assert.DoesNotContain("MailSuite.Mail", dns);
        foreach (string project in Projects().Where(p => !p.Contains("MailSuite.Dns")))
            Assert.DoesNotContain("\"DnsClient\"", File.ReadAllText(project));
    }

    [Fact]
    public void Common_knows_no_protocol()
    {
        string common = Project("MailSuite.Common");
        Assert.DoesNotContain("MailSuite.Net", common);
        Assert.DoesNotContain("MailSuite.Auth", common);
        foreach (string folder in (string[])["Net", "Rules", "Tls", "Auth"])
            Assert.False(Directory.Exists(Path.Combine(Root, "src", "MailSuite.Common", folder)), $"MailSuite.Common/{folder} belongs in its own library");
    }

    [Fact]
    public void Common_knows_nothing_of_mail()
    {
        Assert.DoesNotContain("MailSuite.Mail", Project("MailSuite.Common"));
        Assert.DoesNotContain("MimeKit", Project("MailSuite.Common"));
    }

    [Fact]
    public void Every_program_is_native_aot_with_its_qmail_name_and_a_readme()
    {
        foreach (string project in Projects().Where(p => File.ReadAllText(p).Contains("<OutputType>Exe</OutputType>")))
        {
            string text = File.ReadAllText(project);
            Assert.Contains("<PublishAot>true</PublishAot>", text);
            Assert.Matches("<AssemblyName>[a-z0-9-]+</AssemblyName>", text);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "README.md")), $"{project} has no README.md");
        }
    }
}
