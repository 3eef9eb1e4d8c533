// SPDX-License-Identifier: MIT
using System.Runtime.InteropServices;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Start;

/// <summary>
/// qmail-start's wiring: pipes between qmail-send and qmail-lspawn (send fd 1 → lspawn fd 0,
/// lspawn fd 1 → send fd 2), qmail-rspawn (send fd 3 → rspawn fd 0, rspawn fd 1 → send fd 4),
/// qmail-clean (send fd 5 → clean fd 0, clean fd 1 → send fd 6) and the logger (send fd 0 and
/// the others' fd 2 → logger fd 0), each program under its account: qmail-send as qmails,
/// qmail-rspawn as qmailr, qmail-clean as qmailq, the logger as qmaill, qmail-lspawn as root.
/// Unlike qmail's, this qmail-start does not become qmail-send: a .NET process cannot safely
/// rearrange its own descriptors before exec, so it spawns qmail-send with the right ones and
/// stays as its parent, passing on TERM, HUP and ALRM and ending with its exit code once every
/// child has finished. Signalling either process therefore works.
/// </summary>
internal sealed class Starter(string defaultDelivery, string[] logger)
{
    private readonly string bin = Home.Path("bin");
    private readonly bool asRoot = Privileges.EffectiveUid == 0;
    private readonly List<string> environment = Env.Current();

    public int Run()
    {
        using Pipe? log = logger.Length > 0 ? Pipe.Create() : null;
        using Pipe lcmd = Pipe.Create(), lres = Pipe.Create(), rcmd = Pipe.Create(), rres = Pipe.Create(), ccmd = Pipe.Create(), cans = Pipe.Create();
        int logOut = log is null ? 1 : Pipe.Number(log.Write);
        int logErr = log is null ? 2 : logOut;
        var children = new List<int>();
        if (log is not null)
            children.Add(Start("qmaill", logger[0], logger[1..], new() { [0] = Pipe.Number(log.Read), [1] = 1, [2] = 2 }, searchPath: true));
        children.Add(Start(null, Path.Combine(bin, "qmail-lspawn"), [defaultDelivery],
            new() { [0] = Pipe.Number(lcmd.Read), [1] = Pipe.Number(lres.Write), [2] = logErr }));
        children.Add(Start("qmailq", Path.Combine(bin, "qmail-clean"), [],
            new() { [0] = Pipe.Number(ccmd.Read), [1] = Pipe.Number(cans.Write), [2] = logErr }));
        children.Add(Start("qmailr", Path.Combine(bin, "qmail-rspawn"), [],
            new() { [0] = Pipe.Number(rcmd.Read), [1] = Pipe.Number(rres.Write), [2] = logErr }));
        int send = Start("qmails", Path.Combine(bin, "qmail-send"), [], new()
        {
            [SendFds.Log] = logOut, [SendFds.LocalCommands] = Pipe.Number(lcmd.Write), [SendFds.LocalReports] = Pipe.Number(lres.Read),
            [SendFds.RemoteCommands] = Pipe.Number(rcmd.Write), [SendFds.RemoteReports] = Pipe.Number(rres.Read),
            [SendFds.CleanRequests] = Pipe.Number(ccmd.Write), [SendFds.CleanAnswers] = Pipe.Number(cans.Read),
        });
        // Our copies of the pipe ends go, so each child sees end-of-file when its peer exits.
        foreach (Pipe? p in (Pipe?[])[log, lcmd, lres, rcmd, rres, ccmd, cans]) p?.Dispose();
        using var term = Forward(PosixSignal.SIGTERM, send);
        using var hup = Forward(PosixSignal.SIGHUP, send);
        using var alrm = Forward((PosixSignal)14, send);
        ExitStatus status = Spawn.Wait(send);
        foreach (int child in children) Spawn.Wait(child);
        return status.Exited ? status.Code : ExitCodes.Temporary;
    }

    private int Start(string? account, string program, string[] args, Dictionary<int, int> fds, bool searchPath = false)
    {
        if (account is not null && asRoot)
            return Spawn.Start(new SpawnRequest(Path.Combine(bin, "setuidgid"), ["setuidgid", account, program, .. args], environment, fds, "/"));
        string path = searchPath ? Spawn.FindInPath(program) : program;
        return Spawn.Start(new SpawnRequest(path, [Path.GetFileName(program), .. args], environment, fds, "/"));
    }

    private static PosixSignalRegistration Forward(PosixSignal signal, int pid) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        Spawn.Signal(pid, RawSignal(signal));
    });

    private static int RawSignal(PosixSignal s) => s switch
    {
        PosixSignal.SIGTERM => 15,
        PosixSignal.SIGHUP => 1,
        _ => (int)s,
    };

}
