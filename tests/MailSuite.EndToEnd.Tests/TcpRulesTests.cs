// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// Our tcprules and tcprulescheck against Debian's ucspi-tcp, on the same input.
public sealed class TcpRulesTests : IDisposable
{
    private const string Rules =
        "# the guide's POP3 rules, and more\n127.:allow\n10.1.2.3-5:allow,RELAYCLIENT=\"\"\n" +
        "192.168.:allow,GREETING=/hello there/,X=\"\"\n=trusted.example:allow\n=.example.org:deny\n1.2.3.4:deny\nno colon here\n\n:deny\n";
    private readonly string dir = Directory.CreateTempSubdirectory("rules").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Bin(string p) => Path.Combine(Harness.Build, p);

    [Fact]
    public void Our_cdb_is_byte_identical_to_debians()
    {
        Assert.Equal(0, Harness.Run(Bin("tcprules"), [$"{dir}/ours.cdb", $"{dir}/ours.tmp"], stdin: Rules).Exit);
        Assert.Equal(0, Harness.Run("/usr/bin/tcprules", [$"{dir}/theirs.cdb", $"{dir}/theirs.tmp"], stdin: Rules).Exit);
        Assert.Equal(File.ReadAllBytes($"{dir}/theirs.cdb"), File.ReadAllBytes($"{dir}/ours.cdb"));
        Assert.False(File.Exists($"{dir}/ours.tmp"));
    }

    [Theory]
    [InlineData("127.0.0.1", null, null)]
    [InlineData("10.1.2.4", null, null)]
    [InlineData("10.1.2.6", null, null)]
    [InlineData("192.168.7.7", null, null)]
    [InlineData("8.8.8.8", "trusted.example", null)]
    [InlineData("8.8.8.8", "mx.example.org", null)]
    [InlineData("1.2.3.4", null, "joe")]
    [InlineData("0.0.0.0", null, null)]
    public void Tcprulescheck_agrees_with_debians(string ip, string? host, string? info)
    {
        Assert.Equal(0, Harness.Run("/usr/bin/tcprules", [$"{dir}/r.cdb", $"{dir}/r.tmp"], stdin: Rules).Exit);
        var env = new Dictionary<string, string> { ["TCPREMOTEIP"] = ip };
        if (host is not null) env["TCPREMOTEHOST"] = host;
        if (info is not null) env["TCPREMOTEINFO"] = info;
        Ran theirs = Harness.Run("/usr/bin/tcprulescheck", [$"{dir}/r.cdb"], env: env);
        Ran ours = Harness.Run(Bin("tcprulescheck"), [$"{dir}/r.cdb"], env: env);
        Assert.Equal(theirs.Stdout, ours.Stdout);
        Assert.Equal(0, ours.Exit);
    }

    [Fact]
    public void Syntax_error_names_the_line_and_keeps_the_old_database()
    {
        Assert.Equal(0, Harness.Run(Bin("tcprules"), [$"{dir}/r.cdb", $"{dir}/r.tmp"], stdin: "127.:allow\n").Exit);
        byte[] before = File.ReadAllBytes($"{dir}/r.cdb");
        Ran bad = Harness.Run(Bin("tcprules"), [$"{dir}/r.cdb", $"{dir}/r.tmp"], stdin: "127.:allow\n10.:maybe\n");
        Assert.Equal(100, bad.Exit);
        Assert.Equal("tcprules: fatal: unable to parse this line: 10.:maybe\n", bad.Stderr);
        Assert.Equal(before, File.ReadAllBytes($"{dir}/r.cdb"));
    }
}
