// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Common.Tests.Posix;

public sealed class SpawnTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("spawn").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Child_gets_exactly_the_mapped_fds_and_the_given_environment()
    {
        string file = Path.Combine(dir, "three");
        File.WriteAllText(file, "fd three");
        // A descriptor without close-on-exec, as an inherited one would be: it must not leak.
        int leaky = Native.Open(file, Native.O_RDONLY, 0);
        int three = Native.Open(file, Native.O_RDONLY | Native.O_CLOEXEC, 0);
        using Pipe stdin = Pipe.Create();
        try
        {
            var request = new SpawnRequest(
                // dash opens no file of its own (coreutils' sleep would open locale files on fd 1).
                "/bin/sh", ["sh", "-c", "read line"], ["A=1", "QMAILHOME=/nowhere"],
                new Dictionary<int, int> { [0] = Pipe.Number(stdin.Read), [3] = three });
            int pid = Spawn.Start(request);
            try
            {
                // posix_spawn returns as soon as the exec begins; the dynamic loader then opens its
                // libraries on the lowest free fds for a moment. Look once the child sits in
                // read(0, ...) (syscall 0 on fd 0x0): from then on, what is open is what it got.
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!File.ReadAllText($"/proc/{pid}/syscall").StartsWith("0 0x0 ", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                    Thread.Sleep(10);
                string fds = string.Join(' ', Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(f => $"{Path.GetFileName(f)}={new FileInfo(f).LinkTarget}").Order());
                Assert.Equal($"0=pipe: 3={file}", System.Text.RegularExpressions.Regex.Replace(fds, @"pipe:\[\d+\]", "pipe:"));
                Assert.Equal(file, new FileInfo($"/proc/{pid}/fd/3").LinkTarget);
                Assert.Equal("A=1\0QMAILHOME=/nowhere\0", Encoding.ASCII.GetString(File.ReadAllBytes($"/proc/{pid}/environ")));
            }
            finally
            {
                _ = Native.Kill(pid, 9);
                Assert.Equal(new ExitStatus(0, 9), Spawn.Wait(pid));
            }
        }
        finally
        {
            _ = Native.Close(leaky);
            _ = Native.Close(three);
        }
    }

    [Fact]
    public void Fds_can_be_swapped_without_clobbering_each_other()
    {
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b");
        int fa = Native.Open(a, Native.O_WRONLY | Native.O_CREAT | Native.O_CLOEXEC, 0x1c0);
        int fb = Native.Open(b, Native.O_WRONLY | Native.O_CREAT | Native.O_CLOEXEC, 0x1c0);
        try
        {
            // child fd 1 = parent's fb, child fd fb = parent's fa, and the like: order must not matter.
            var fds = new Dictionary<int, int> { [1] = fb, [fb] = fa };
            var status = Spawn.Run(new SpawnRequest("/bin/bash", ["bash", "-c", $"echo one; echo two >&{fb}"], [], fds));
            Assert.Equal(new ExitStatus(0, 0), status);
            Assert.Equal("two\n", File.ReadAllText(a));
            Assert.Equal("one\n", File.ReadAllText(b));
        }
        finally
        {
            _ = Native.Close(fa);
            _ = Native.Close(fb);
        }
    }

    [Fact]
    public void Exit_code_argv_and_working_directory_are_reported()
    {
        using Pipe output = Pipe.Create();
        var request = new SpawnRequest("/bin/sh", ["sh", "-c", "pwd; echo \"$0\" \"$1\"; exit 111", "zero", "one"], [],
            new Dictionary<int, int> { [1] = Pipe.Number(output.Write) }, WorkingDirectory: dir);
        int pid = Spawn.Start(request);
        output.Write.Dispose();
        using var reader = new StreamReader(new FileStream(output.Read, FileAccess.Read));
        string text = reader.ReadToEnd();
        Assert.Equal(new ExitStatus(111, 0), Spawn.Wait(pid));
        Assert.Equal($"{dir}\nzero one\n", text);
    }

    [Fact]
    public void Child_starts_with_default_signal_handling()
    {
        // The runtime ignores SIGPIPE; a child must not inherit that (qmail restores it for programs).
        using Pipe output = Pipe.Create();
        var request = new SpawnRequest("/bin/sh", ["sh", "-c", "grep SigIgn /proc/self/status"], [],
            new Dictionary<int, int> { [1] = Pipe.Number(output.Write) });
        int pid = Spawn.Start(request);
        output.Write.Dispose();
        using var reader = new StreamReader(new FileStream(output.Read, FileAccess.Read));
        string line = reader.ReadToEnd().Trim();
        Spawn.Wait(pid);
        ulong ignored = Convert.ToUInt64(line.Split('\t', ' ').Last(), 16);
        Assert.Equal(0UL, ignored & (1UL << (13 - 1)));    // SIGPIPE is signal 13
    }

    [Fact]
    public void Missing_program_is_a_temporary_failure()
    {
        var e = Assert.Throws<FailureException>(() =>
            Spawn.Start(new SpawnRequest("/nonexistent/prog", ["prog"], [], new Dictionary<int, int>())));
        Assert.False(e.Failure.IsPermanent);
    }
}
