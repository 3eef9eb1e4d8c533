// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Common.Tests.Cdb;

public sealed class CdbTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cdb").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Round_trip_with_duplicates_empty_key_and_binary_data()
    {
        string path = Path.Combine(dir, "t.cdb");
        using (var w = new CdbWriter(path))
        {
            w.Add(B("127.0.0.1"), B("+RELAYCLIENT=\0"));
            w.Add(B(""), B("D"));
            w.Add(B("dup"), B("first"));
            w.Add(B("dup"), B("second"));
            w.Add(B("bin"), [0, 255, 10, 13]);
            w.Commit();
        }
        using var r = CdbReader.Open(path)!;
        Assert.Equal(B("+RELAYCLIENT=\0"), r.Find(B("127.0.0.1")));
        Assert.Equal(B("D"), r.Find(B("")));
        Assert.Equal([B("first"), B("second")], r.FindAll(B("dup")).ToArray());
        Assert.Equal(new byte[] { 0, 255, 10, 13 }, r.Find(B("bin")));
        Assert.Null(r.Find(B("127.0.0.2")));
    }

    [Fact]
    public void Empty_database_finds_nothing()
    {
        string path = Path.Combine(dir, "empty.cdb");
        using (var w = new CdbWriter(path)) w.Commit();
        Assert.Equal(2048, new FileInfo(path).Length);
        using var r = CdbReader.Open(path)!;
        Assert.Null(r.Find(B("anything")));
    }

    [Fact]
    public void Hundred_thousand_records_all_found()
    {
        string path = Path.Combine(dir, "big.cdb");
        using (var w = new CdbWriter(path))
        {
            for (int i = 0; i < 100_000; i++) w.Add(B($"user{i}@example.com"), B($"{i}"));
            w.Commit();
        }
        using var r = CdbReader.Open(path)!;
        for (int i = 0; i < 100_000; i += 997) Assert.Equal(B($"{i}"), r.Find(B($"user{i}@example.com")));
        Assert.Null(r.Find(B("user100000@example.com")));
    }

    [Fact]
    public void Uncommitted_writer_leaves_the_old_file_and_no_temporary()
    {
        string path = Path.Combine(dir, "keep.cdb");
        using (var w = new CdbWriter(path)) { w.Add(B("k"), B("old")); w.Commit(); }
        using (var w = new CdbWriter(path)) w.Add(B("k"), B("new"));
        Assert.Equal(["keep.cdb"], Directory.GetFiles(dir).Select(Path.GetFileName));
        using var r = CdbReader.Open(path)!;
        Assert.Equal(B("old"), r.Find(B("k")));
    }

    [Fact]
    public void Missing_database_is_null_and_truncated_is_temporary()
    {
        Assert.Null(CdbReader.Open(Path.Combine(dir, "none.cdb")));
        string path = Path.Combine(dir, "short.cdb");
        File.WriteAllBytes(path, new byte[100]);
        using var r = CdbReader.Open(path)!;
        var e = Assert.Throws<FailureException>(() => r.Find(B("x")));
        Assert.False(e.Failure.IsPermanent);
    }
}
