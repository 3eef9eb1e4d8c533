// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.EndToEnd.Tests;

// qmail-queue, installed setuid qmailq, run by an ordinary user ('nobody') as any local user may.
public sealed class QueueTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly string work = Directory.CreateTempSubdirectory("qq").FullName;

    public QueueTests() => Harness.Ok("chmod", "0755", work);

    public void Dispose()
    {
        install.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private string Queue(string sub) => Path.Combine(install.Prefix, "queue", sub);

    private Ran QueueAsNobody(string message, string envelope, string program = "", string hostileSetup = "")
    {
        File.WriteAllText(Path.Combine(work, "msg"), message, Encoding.Latin1);
        File.WriteAllText(Path.Combine(work, "env"), envelope, Encoding.Latin1);
        string qq = program.Length > 0 ? program : install.Bin("qmail-queue");
        string script = $"{hostileSetup} exec {qq} <{work}/msg 1<{work}/env";
        return Harness.Run(install.Bin("setuidgid"), ["nobody", "/usr/bin/env", "-i",
            "PATH=/tmp/evil", "IFS=x", "QMAILHOME=/tmp", "QMAILQUEUE=/bin/false", "DOTNET_gcServer=1",
            "DOTNET_GCHeapHardLimit=0x100000", "DOTNET_DbgEnableMiniDump=1", "DOTNET_DbgMiniDumpName=/tmp/evil-dump",
            "/bin/sh", "-c", script]);
    }

    private string[] Files(string sub) =>
        Directory.EnumerateFiles(Queue(sub), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Queue(sub), f)).Order().ToArray();

    [Fact]
    public void Ordinary_user_with_a_hostile_environment_queues_into_the_real_queue()
    {
        string nobody = Harness.Ok("id", "-u", "nobody").Stdout.Trim();
        Ran r = QueueAsNobody("Subject: hi\n\nbody\n", "Fjoe@example.com\0Tann@example.com\0Tbob@example.com\0\0",
            hostileSetup: "umask 0; exec 2>&- 3>&-;");

        Assert.True(r.Exit == 0, r.Stderr);
        string n = Assert.Single(Files("todo"));
        ulong num = ulong.Parse(n);
        Assert.Equal([n], Files("intd"));
        Assert.Empty(Files("pid"));
        string mess = Path.Combine(Queue("mess"), (num % 23).ToString(), n);
        Assert.Equal("-rw-r--r-- qmailq", Harness.Ok("stat", "-c", "%A %U", mess).Stdout.Trim());
        Assert.Equal(num.ToString(), Harness.Ok("stat", "-c", "%i", mess).Stdout.Trim());
        string text = File.ReadAllText(mess, Encoding.Latin1);
        Assert.Matches($@"^Received: \(qmail \d+ invoked by uid {nobody}\); \d+ \w{{3}} \d{{4}} \d\d:\d\d:\d\d -0000\nSubject: hi\n\nbody\n$", text);
        string intd = File.ReadAllText(Path.Combine(Queue("intd"), n), Encoding.Latin1);
        Assert.Matches($"^u{nobody}\0p\\d+\0Fjoe@example.com\0Tann@example.com\0Tbob@example.com\0$", intd);
        Assert.False(File.Exists("/tmp/evil-dump"));
    }

    [Theory]
    [InlineData("Xjoe@example.com\0Tann@example.com\0\0", 91)]          // not F first
    [InlineData("Fjoe@example.com\0Xann@example.com\0\0", 91)]          // not T after
    [InlineData("Fjoe@example.com\0Tann@exam", 54)]                     // ends early
    [InlineData("", 54)]
    public void Bad_envelope_is_refused_and_leaves_nothing_behind(string envelope, int code)
    {
        Ran r = QueueAsNobody("Subject: x\n\nx\n", envelope);
        Assert.Equal(code, r.Exit);
        Assert.Empty(Files("todo"));
        Assert.Empty(Files("intd"));
        Assert.Empty(Files("mess"));
        Assert.Empty(Files("pid"));
    }

    [Fact]
    public void Address_of_1003_bytes_is_permanently_refused()
    {
        string longAddress = new string('a', 990) + "@example.com";   // 1002 bytes: fine
        Assert.Equal(0, QueueAsNobody("x\n", $"F\0T{longAddress}\0\0").Exit);
        Ran r = QueueAsNobody("x\n", $"F\0T{longAddress}a\0\0");
        Assert.Equal(11, r.Exit);
        Assert.Single(Files("todo"));
    }

    [Fact]
    public void Hard_linked_copy_in_a_users_directory_refuses_to_run()
    {
        string userDir = Path.Combine(work, "mine");
        Directory.CreateDirectory(userDir);
        Harness.Ok("chown", "nobody", userDir);
        string copy = Path.Combine(userDir, "qmail-queue");
        Harness.Ok("ln", install.Bin("qmail-queue"), copy);
        try
        {
            Ran viaCopy = QueueAsNobody("x\n", "F\0Tann@example.com\0\0", program: copy);
            Assert.Equal(61, viaCopy.Exit);
            Assert.Contains("qmail-queue: fatal: refusing to run setuid", viaCopy.Stderr);
            Assert.Contains("owned by uid", viaCopy.Stderr);
            // The original now has two links: it refuses too, until the copy is gone.
            Ran original = QueueAsNobody("x\n", "F\0Tann@example.com\0\0");
            Assert.Equal(61, original.Exit);
            Assert.Contains("has 2 links, expected 1", original.Stderr);
        }
        finally
        {
            File.Delete(copy);
        }
        Assert.Equal(0, QueueAsNobody("x\n", "F\0Tann@example.com\0\0").Exit);
        Assert.Single(Files("todo"));
    }

    [Fact]
    public void Group_writable_directory_above_makes_it_refuse()
    {
        Harness.Ok("chmod", "0775", Path.Combine(install.Prefix, "bin"));
        Ran r = QueueAsNobody("x\n", "F\0Tann@example.com\0\0");
        Assert.Equal(61, r.Exit);
        Assert.Contains("bin: writable by group or others", r.Stderr);
        Assert.Empty(Files("todo"));
    }
}
