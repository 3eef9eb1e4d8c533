// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

/// <summary>A real Unix account with a fresh home directory (created once, emptied for each test).</summary>
internal sealed class TestUser
{
    public string Name { get; }
    public string Home { get; }
    public string Uid { get; }

    public TestUser(string name)
    {
        Harness.RequireRoot();
        Name = name;
        if (Harness.Run("id", [name]).Exit != 0) Harness.Ok("useradd", "-m", "-s", "/bin/sh", name);
        Home = Harness.Ok("sh", "-c", $"getent passwd {name} | cut -d: -f6").Stdout.Trim();
        Uid = Harness.Ok("id", "-u", name).Stdout.Trim();
        Harness.Ok("rm", "-rf", Home);
        Harness.Ok("mkdir", "-m", "0755", Home);
        Harness.Ok("chown", $"{name}:", Home);
    }

    public string Path(string relative) => System.IO.Path.Combine(Home, relative);

    /// <summary>Writes a file in the home directory, owned by the user, mode 0644.</summary>
    public void Write(string relative, string content)
    {
        File.WriteAllText(Path(relative), content);
        Harness.Ok("chown", $"{Name}:", Path(relative));
        Harness.Ok("chmod", "0644", Path(relative));
    }
}
