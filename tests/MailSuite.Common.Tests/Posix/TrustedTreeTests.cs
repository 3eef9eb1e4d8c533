// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Common.Tests.Posix;

// Runs as root (as CI does): the files it makes are root's, so each test then spoils one property.
public sealed class TrustedTreeTests : IDisposable
{
    private readonly string root;
    private readonly string bin;
    private readonly string exe;

    public TrustedTreeTests()
    {
        // Under /tmp (sticky, so allowed), a root-owned 0755 tree: prefix/bin/prog.
        root = Directory.CreateTempSubdirectory("trusted").FullName;
        bin = Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        exe = Path.Combine(bin, "prog");
        File.WriteAllText(exe, "#!/bin/sh\n");
        foreach (string p in (string[])[root, bin]) File.SetUnixFileMode(p, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(exe, (UnixFileMode)Convert.ToInt32("4711", 8));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Root_owned_tree_is_trusted()
    {
        Assert.Equal(0u, Native.GetEuid());
        Assert.Empty(TrustedTree.Problems(exe));
    }

    [Fact]
    public void Hard_linked_copy_is_not_trusted()
    {
        Assert.Equal(0, Native.Link(exe, Path.Combine(root, "copy")));
        Assert.Contains(TrustedTree.Problems(exe), p => p.Contains("2 links"));
    }

    [Fact]
    public void Group_writable_directory_above_is_not_trusted()
    {
        File.SetUnixFileMode(bin, (UnixFileMode)Convert.ToInt32("775", 8));
        Assert.Equal([$"{bin}: writable by group or others"], TrustedTree.Problems(exe));
    }

    [Fact]
    public void Directory_owned_by_a_user_is_not_trusted()
    {
        Assert.Equal(0, Native.Chown(root, 65534, 65534));
        Assert.Equal([$"{root}: owned by uid 65534, not root"], TrustedTree.Problems(exe));
    }
}
