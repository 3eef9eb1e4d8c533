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

    /// <summary>Sets the account's password with chpasswd, hashed by the given method (YESCRYPT, SHA512, SHA256, MD5).</summary>
    public void SetPassword(string password, string method = "YESCRYPT") =>
        Assert.Equal(0, Harness.Run("chpasswd", ["-c", method], stdin: $"{Name}:{password}\n").Exit);

    private int delivered;

    /// <summary>Puts a message into ~/Maildir/new as a delivery would (tmp, then link), owned by the user.</summary>
    public string Deliver(string message)
    {
        string name = $"{1700000000 + delivered}.M{delivered++}P{Environment.ProcessId}.test";
        File.WriteAllText(Path("Maildir/tmp/" + name), message);
        File.SetLastWriteTimeUtc(Path("Maildir/tmp/" + name), DateTime.UtcNow.AddSeconds(-1000 + delivered));
        File.Move(Path("Maildir/tmp/" + name), Path("Maildir/new/" + name));
        Harness.Ok("chown", $"{Name}:", Path("Maildir/new/" + name));
        return Path("Maildir/new/" + name);
    }
}
