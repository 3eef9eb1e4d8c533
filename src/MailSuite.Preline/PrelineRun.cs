// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Preline;

/// <summary>The command on a pipe: the lines, then the message from fd 0, then end of input.</summary>
internal static class PrelineRun
{
    public static ExitStatus Feed(string[] argv, byte[] top)
    {
        using Pipe pipe = Pipe.Create();
        int pid = Spawn.Start(new SpawnRequest(Spawn.FindInPath(argv[0]), argv, Env.Current(),
            new Dictionary<int, int> { [0] = Pipe.Number(pipe.Read), [1] = 1, [2] = 2 }));
        pipe.Read.Dispose();
        try
        {
            using var input = new FdStream(0);
            using var output = new FileStream(pipe.Write, FileAccess.Write, 65536);
            output.Write(top);
            input.CopyTo(output);
        }
        catch (IOException)
        {
            // The command stopped reading: how it exits says whether that was all right.
        }
        finally
        {
            pipe.Write.Dispose();
        }
        return Spawn.Wait(pid);
    }
}
