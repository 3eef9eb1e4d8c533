// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>What a server does with an accepted, allowed connection: tcpserver runs the program on the socket; sslserver puts TLS in between.</summary>
public interface IConnectionHandoff
{
    /// <summary>
    /// Runs the program for the connection on <paramref name="socket"/> with the environment
    /// tcpserver computed, calls <paramref name="started"/> with the program's pid once it runs,
    /// and returns how the program ended (null if it never ran, after saying why through
    /// <paramref name="report"/>).
    /// </summary>
    ExitStatus? Run(int socket, Dictionary<string, string> environment, Action<int> started, Action<string> report);
}

/// <summary>tcpserver's hand-off: the program gets the socket as fds 0 and 1.</summary>
public sealed class RunOnSocket(IReadOnlyList<string> program) : IConnectionHandoff
{
    /// <inheritdoc/>
    public ExitStatus? Run(int socket, Dictionary<string, string> environment, Action<int> started, Action<string> report)
    {
        int pid = Spawn.Start(new SpawnRequest(Spawn.FindInPath(program[0]), program, Env.Strings(environment),
            new Dictionary<int, int> { [0] = socket, [1] = socket, [2] = 2 }));
        started(pid);
        return Spawn.Wait(pid);
    }
}
