// SPDX-License-Identifier: MIT
namespace MailSuite.Mail.Tests;

/// <summary>The checkout these tests run from (the folder holding MailSuite.sln), for tests that read its sources.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "MailSuite.sln"))) return d.FullName;
        throw new InvalidOperationException("MailSuite.sln not found");
    }
}
