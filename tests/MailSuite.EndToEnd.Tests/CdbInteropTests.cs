// SPDX-License-Identifier: MIT
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;

namespace MailSuite.EndToEnd.Tests;

// Interop with the real readers and writers of cdb on Debian: tinycdb's cdb(1) and ucspi-tcp's
// tcprules and tcpserver.
public sealed class CdbInteropTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cdbinterop").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Tinycdb_reads_what_we_write()
    {
        string path = Path.Combine(dir, "ours.cdb");
        using (var w = new CdbWriter(path))
        {
            for (int i = 0; i < 2000; i++) w.Add(B($"key{i}"), B($"value {i}"));
            w.Add(B("dup"), B("one"));
            w.Add(B("dup"), B("two"));
            w.Commit();
        }
        Assert.Equal("value 1234", Harness.Ok("cdb", "-q", path, "key1234").Stdout);
        Assert.Equal("two", Harness.Ok("cdb", "-q", "-n", "2", path, "dup").Stdout);
        Assert.Equal(100, Harness.Run("cdb", ["-q", path, "key2000"]).Exit);   // tinycdb: 100 = not found
        string dump = Harness.Ok("cdb", "-d", path).Stdout;
        Assert.StartsWith("+4,7:key0->value 0\n+4,7:key1->value 1\n", dump);
    }

    [Fact]
    public void We_read_what_tinycdb_writes()
    {
        string path = Path.Combine(dir, "theirs.cdb");
        var input = new StringBuilder();
        for (int i = 0; i < 2000; i++) input.Append($"+{$"k{i}".Length},{$"v{i}".Length}:k{i}->v{i}\n");
        input.Append("+0,4:->none\n\n");
        Ran made = Harness.Run("cdb", ["-c", path], stdin: input.ToString());
        Assert.Equal(0, made.Exit);
        using var r = CdbReader.Open(path)!;
        Assert.Equal(B("v1999"), r.Find(B("k1999")));
        Assert.Equal(B("none"), r.Find(B("")));
        Assert.Null(r.Find(B("k2000")));
    }

    [Fact]
    public void We_read_tcprules_output_as_tinycdb_does()
    {
        string rules = "127.0.0.1:allow,RELAYCLIENT=\"\"\n10.1.:allow,GREETING=/hi there/\n=host.example:deny\n:deny\n";
        string cdb = Path.Combine(dir, "rules.cdb");
        Assert.Equal(0, Harness.Run("tcprules", [cdb, cdb + ".tmp"], stdin: rules).Exit);
        using var r = CdbReader.Open(cdb)!;
        foreach (string key in (string[])["127.0.0.1", "10.1.", "=host.example", ""])
        {
            byte[] theirs = B(Harness.Ok("cdb", "-q", cdb, key).Stdout);
            Assert.Equal(theirs, r.Find(B(key)));
        }
        Assert.StartsWith("+RELAYCLIENT=", Encoding.Latin1.GetString(r.Find(B("127.0.0.1"))!));
        Assert.StartsWith("D", Encoding.Latin1.GetString(r.Find(B(""))!));
    }

    [Fact]
    public void Debian_tcpserver_obeys_rules_we_write()
    {
        string cdb = Path.Combine(dir, "ours-rules.cdb");
        using (var w = new CdbWriter(cdb))
        {
            w.Add(B("127.0.0.1"), B("+GREETING=from our rule\0"));
            w.Add(B(""), B("D\0"));    // tcpserver reads NUL-terminated entries, as tcprules writes them
            w.Commit();
        }
        var psi = new ProcessStartInfo("tcpserver") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["-1", "-R", "-H", "-l", "0", "-x", cdb, "127.0.0.1", "0", "sh", "-c", "echo \"$GREETING\""])
            psi.ArgumentList.Add(a);
        using var server = Process.Start(psi)!;
        try
        {
            int port = int.Parse(server.StandardOutput.ReadLine()!.Trim());
            Assert.Equal("from our rule\n", Exchange("127.0.0.1", port));
            Assert.Equal("", Exchange("127.0.0.2", port));
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
        }
    }

    // Connects from the given loopback address and reads until the server closes.
    private static string Exchange(string from, int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.ReceiveTimeout = 10_000;
        client.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        client.Connect(IPAddress.Loopback, port);
        using var stream = new NetworkStream(client);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
