// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Common.Tests.Control;

public sealed class ControlDirTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("ctl").FullName;
    private readonly ControlDir control;

    public ControlDirTests() => control = new ControlDir(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Missing_file_is_the_default()
    {
        Assert.Null(control.Line("databytes"));
        Assert.Equal(1200, control.Number("timeoutsmtpd", 1200));
        Assert.Null(control.List("rcpthosts"));
        Assert.Equal("postmaster", control.LineOr("doublebounceto", "postmaster"));
    }

    [Fact]
    public void A_control_directory_that_is_a_file_has_every_file_missing()
    {
        string file = Path.Combine(dir, "plain");
        File.WriteAllText(file, "x\n");
        var under = new ControlDir(file);   // open("plain/databytes") fails with ENOTDIR
        Assert.Null(under.Line("databytes"));
        Assert.Equal(1200, under.Number("timeoutsmtpd", 1200));
    }

    [Fact]
    public void A_file_is_read_whole_whatever_its_size()
    {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.Length; i++) big[i] = (byte)('a' + i % 26);
        File.WriteAllBytes(Path.Combine(dir, "rcpthosts"), big);
        Assert.Equal(big, Assert.IsType<byte[]>(control.Read("rcpthosts")));
        File.WriteAllBytes(Path.Combine(dir, "empty"), []);
        Assert.Empty(Assert.IsType<byte[]>(control.Read("empty")));
    }

    [Fact]
    public void Default_me_files_fall_back_to_me_and_me_to_the_host_name()
    {
        Assert.Equal(Environment.MachineName, control.Me);
        File.WriteAllText(Path.Combine(dir, "me"), "mx.example.org\n");
        Assert.Equal("mx.example.org", control.LineOrMe("bouncehost"));
        File.WriteAllText(Path.Combine(dir, "bouncehost"), "bounces.example.org\n");
        Assert.Equal("bounces.example.org", control.LineOrMe("bouncehost"));
    }

    [Fact]
    public void Non_numeric_number_keeps_the_default()
    {
        File.WriteAllText(Path.Combine(dir, "databytes"), "lots\n");
        Assert.Equal(0, control.Number("databytes", 0));
        File.WriteAllText(Path.Combine(dir, "databytes"), "5000000\r\n");
        Assert.Equal(5000000, control.Number("databytes", 0));
    }

    [Fact]
    public void Unreadable_file_is_a_temporary_failure_never_the_default()
    {
        // A directory where a file should be cannot be read, even by root.
        Directory.CreateDirectory(Path.Combine(dir, "rcpthosts"));
        var e = Assert.Throws<FailureException>(() => control.List("rcpthosts"));
        Assert.False(e.Failure.IsPermanent);
        Assert.Equal(111, e.Failure.ExitCode);
        Assert.Contains("rcpthosts", e.Failure.Text);
    }

    [Fact]
    public void Write_is_atomic_and_mode_0644()
    {
        control.Write("locals", ["a.example", "b.example"]);
        Assert.Equal("a.example\nb.example\n", File.ReadAllText(Path.Combine(dir, "locals")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(Path.Combine(dir, "locals")));
        Assert.Single(Directory.GetFiles(dir));
    }
}
