// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Auth;

/// <summary>Runs a program with djb's checkpassword interface: the login on fd 3, the answer in the exit code.</summary>
public static class CheckProgram
{
    /// <summary>
    /// Starts <paramref name="program"/> with the given fds 0 and 1, fd 2 shared, and
    /// <paramref name="login"/> on a pipe as fd 3, with this process's environment; waits for it.
    /// </summary>
    public static ExitStatus Run(IReadOnlyList<string> program, byte[] login, int stdin, int stdout)
    {
        using Pipe pipe = Pipe.Create();
        int pid = Spawn.Start(new SpawnRequest(Spawn.FindInPath(program[0]), program, Env.Current(),
            new Dictionary<int, int> { [0] = stdin, [1] = stdout, [2] = 2, [3] = Pipe.Number(pipe.Read) }));
        pipe.Read.Dispose();
        _ = pipe.Feed(login);   // a program that did not read its login says why in its exit status
        return Spawn.Wait(pid);
    }
}
