// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using System.Text;

namespace MailSuite.Common;

/// <summary>What a spawned child gets: exactly these argv, environment, descriptors and directory.</summary>
/// <param name="Path">Absolute path of the program; no PATH search.</param>
/// <param name="Argv">argv, argv[0] included.</param>
/// <param name="Environment">"NAME=value" strings; nothing of the parent's environment is passed on.</param>
/// <param name="Fds">child fd → parent fd. Every other descriptor is closed in the child.</param>
/// <param name="WorkingDirectory">Directory to start in, or null for the parent's.</param>
public sealed record SpawnRequest(
    string Path,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Environment,
    IReadOnlyDictionary<int, int> Fds,
    string? WorkingDirectory = null);

/// <summary>How a child ended: an exit code, or the signal that killed it.</summary>
public readonly record struct ExitStatus(int Code, int Signal)
{
    /// <summary>True if the child called exit.</summary>
    public bool Exited => Signal == 0;

    /// <inheritdoc/>
    public override string ToString() => Exited ? $"exit {Code}" : $"signal {Signal}";
}

/// <summary>
/// Starts children with posix_spawn(3). System.Diagnostics.Process can wire only fds 0-2 and
/// passes the parent's environment; qmail's programs need fd 3 and up, and a clean environment.
/// Signal dispositions and the mask are reset, so a child never inherits the runtime's SIGPIPE
/// ignore.
/// </summary>
public static class Spawn
{
    /// <summary>Starts the child and returns its pid; a failure to start is temporary.</summary>
    public static unsafe int Start(SpawnRequest request)
    {
        int highestTarget = request.Fds.Count == 0 ? 2 : Math.Max(2, request.Fds.Keys.Max());
        var staged = new List<int>();
        IntPtr actions = Marshal.AllocHGlobal(Native.FileActionsSize);
        IntPtr attr = Marshal.AllocHGlobal(Native.SpawnAttrSize);
        IntPtr sigs = Marshal.AllocHGlobal(Native.SigSetSize);
        IntPtr argv = CStringArray(request.Argv);
        IntPtr envp = CStringArray(request.Environment);
        try
        {
            Check(Native.FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(Native.SpawnAttrInit(attr), "posix_spawnattr_init");
            StageDescriptors(request, actions, highestTarget, staged);
            if (request.WorkingDirectory is not null)
                Check(Native.FileActionsAddChdir(actions, request.WorkingDirectory), "addchdir");
            ResetSignals(attr, sigs);
            int pid;
            int rc = Native.PosixSpawn(&pid, request.Path, actions, attr, argv, envp);
            if (rc != 0)
                throw new FailureException(Failure.Temporary("4.3.0", $"unable to run {request.Path}: {Errno.Describe(rc)}"));
            return pid;
        }
        finally
        {
            foreach (int fd in staged) _ = Native.Close(fd);
            _ = Native.FileActionsDestroy(actions);
            _ = Native.SpawnAttrDestroy(attr);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeHGlobal(sigs);
            FreeCStringArray(argv, request.Argv.Count);
            FreeCStringArray(envp, request.Environment.Count);
        }
    }

    /// <summary>Waits for the child to end.</summary>
    public static unsafe ExitStatus Wait(int pid)
    {
        int status;
        while (Native.WaitPid(pid, &status, 0) == -1)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                throw new FailureException(Failure.Temporary("4.3.0", $"waitpid {pid}: {Errno.Describe(errno)}"));
        }
        int signal = status & 0x7f;
        return signal == 0 ? new ExitStatus((status >> 8) & 0xff, 0) : new ExitStatus(0, signal);
    }

    /// <summary>Sends a signal (by number) to a child; a child already gone is not an error.</summary>
    public static void Signal(int pid, int signal) =>
        _ = Native.Kill(pid, signal);

    /// <summary>
    /// The program's path: as given when it contains a '/', else the first match in $PATH, as
    /// execvp(3) would find it. Not found is a temporary failure.
    /// </summary>
    public static string FindInPath(string program)
    {
        if (program.Contains('/')) return program;
        foreach (string dir in Env.Get("PATH", "/usr/bin:/bin").Split(':'))
            if (File.Exists(Path.Combine(dir, program))) return Path.Combine(dir, program);
        throw new FailureException(Failure.Temporary("4.3.0", $"unable to find {program} in PATH"));
    }

    /// <summary>Starts the child and waits for it.</summary>
    public static ExitStatus Run(SpawnRequest request) => Wait(Start(request));

    /// <summary>
    /// Starts the child with one pipe as each descriptor of <paramref name="into"/> (1, or 1 and 2),
    /// reads it to its end, then waits: what the child said and how it ended.
    /// </summary>
    public static (byte[] Output, ExitStatus Status) Capture(SpawnRequest request, params int[] into)
    {
        using Pipe output = Pipe.Create();
        var fds = new Dictionary<int, int>(request.Fds);
        foreach (int fd in into) fds[fd] = Pipe.Number(output.Write);
        int pid = Start(request with { Fds = fds });
        output.Write.Dispose();   // ours goes, so the read ends when the child's copies do
        var all = new MemoryStream();
        using (var stream = new FileStream(output.Read, FileAccess.Read, 4096)) stream.CopyTo(all);
        return (all.ToArray(), Wait(pid));
    }

    // Each source is first copied above every target fd, so a dup2 onto a target can never
    // clobber a source still needed by a later mapping; closefrom then shuts everything else.
    private static void StageDescriptors(SpawnRequest request, IntPtr actions, int highestTarget, List<int> staged)
    {
        foreach ((int target, int source) in request.Fds)
        {
            int copy = Native.Fcntl(source, Native.F_DUPFD_CLOEXEC, highestTarget + 1);
            if (copy == -1)
                throw new FailureException(Failure.Temporary("4.3.0", $"fd {source}: {Errno.Describe(Marshal.GetLastPInvokeError())}"));
            staged.Add(copy);
            Check(Native.FileActionsAddDup2(actions, copy, target), "adddup2");
        }
        for (int fd = 0; fd <= highestTarget; fd++)
            if (!request.Fds.ContainsKey(fd))
                Check(Native.FileActionsAddClose(actions, fd), "addclose");
        Check(Native.FileActionsAddCloseFrom(actions, highestTarget + 1), "addclosefrom");
    }

    private static void ResetSignals(IntPtr attr, IntPtr sigs)
    {
        _ = Native.SigFillSet(sigs);
        Check(Native.SpawnAttrSetSigDefault(attr, sigs), "setsigdefault");
        _ = Native.SigEmptySet(sigs);
        Check(Native.SpawnAttrSetSigMask(attr, sigs), "setsigmask");
        Check(Native.SpawnAttrSetFlags(attr, Native.POSIX_SPAWN_SETSIGDEF | Native.POSIX_SPAWN_SETSIGMASK), "setflags");
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new FailureException(Failure.Temporary("4.3.0", $"{what}: {Errno.Describe(rc)}"));
    }

    private static IntPtr CStringArray(IReadOnlyList<string> items)
    {
        IntPtr array = Marshal.AllocHGlobal(IntPtr.Size * (items.Count + 1));
        for (int i = 0; i < items.Count; i++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(items[i] + "\0");
            IntPtr s = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, s, bytes.Length);
            Marshal.WriteIntPtr(array, i * IntPtr.Size, s);
        }
        Marshal.WriteIntPtr(array, items.Count * IntPtr.Size, IntPtr.Zero);
        return array;
    }

    private static void FreeCStringArray(IntPtr array, int count)
    {
        for (int i = 0; i < count; i++) Marshal.FreeHGlobal(Marshal.ReadIntPtr(array, i * IntPtr.Size));
        Marshal.FreeHGlobal(array);
    }
}
