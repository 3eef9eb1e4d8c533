// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Local;

/// <summary>What a |program line's exit code means for the rest of the .qmail file.</summary>
internal enum ProgramOutcome { Continue, StopHere }

/// <summary>
/// Program delivery (qmail-command(8)): /bin/sh -c command in the home directory, the message on
/// fd 0 from its start, output into the delivery report, and the environment qmail gives
/// (SENDER, NEWSENDER, RECIPIENT, USER, HOME, HOST, HOST2-4, LOCAL, EXT, EXT2-4, DEFAULT, DTLINE,
/// RPLINE, UFLINE), with PATH fixed to <see cref="SearchPath"/>: never the PATH of whoever
/// started the service, so what `|preline procmail` runs does not depend on an administrator's
/// shell. Exit 0 succeeds, 99 succeeds and skips the lines after it, 100 and 64, 65,
/// 70, 76, 77, 78, 112 fail permanently, anything else (a crash too) temporarily.
/// </summary>
internal static class ProgramRunner
{
    private static readonly int[] Permanent = [100, 64, 65, 70, 76, 77, 78, 112];

    public static ProgramOutcome Run(string command, Recipient r, string? defaultPart)
    {
        Fd.Rewind(0);
        var fds = new Dictionary<int, int> { [0] = 0, [1] = 1, [2] = 2 };
        var request = new SpawnRequest("/bin/sh", ["sh", "-c", command], Environment(r, defaultPart), fds, r.HomeDir);
        ExitStatus status = Spawn.Run(request);
        if (!status.Exited) throw new FailureException(Failure.Temporary("4.3.0", "Aack, child crashed."));
        if (status.Code == 0) return ProgramOutcome.Continue;
        if (status.Code == ExitCodes.SuccessStop) return ProgramOutcome.StopHere;
        throw new SilentExit(Permanent.Contains(status.Code) ? ExitCodes.Permanent : ExitCodes.Temporary);
    }

    /// <summary>The install's programs (preline, forward, ...) first, then the system's.</summary>
    public static string SearchPath => $"{Home.Path("bin")}:/usr/local/bin:/usr/bin:/bin";

    private static List<string> Environment(Recipient r, string? defaultPart)
    {
        Dictionary<string, string> env = Env.Snapshot();
        env["PATH"] = SearchPath;
        env["SENDER"] = r.Sender;
        env["NEWSENDER"] = Forwarder.NewSender(r);
        env["RECIPIENT"] = r.Address;
        env["USER"] = r.User;
        env["HOME"] = r.HomeDir;
        env["LOCAL"] = r.Local;
        env["HOST"] = r.Domain;
        env["EXT"] = r.Ext;
        string[] labels = r.Domain.Split('.');
        for (int k = 2; k <= 4; k++)
        {
            env[$"HOST{k}"] = labels.Length >= k ? string.Join('.', labels[..^(k - 1)]) : "";
            env[$"EXT{k}"] = AfterDashes(r.Ext, k - 1);
        }
        if (defaultPart is not null) env["DEFAULT"] = defaultPart;
        else env.Remove("DEFAULT");
        env["DTLINE"] = r.DeliveredTo;
        env["RPLINE"] = r.ReturnPath;
        env["UFLINE"] = Mbox.FromLine(r.Sender, DateTimeOffset.UtcNow);
        return Env.Strings(env);
    }

    private static string AfterDashes(string ext, int dashes)
    {
        int at = 0;
        for (int d = 0; d < dashes; d++)
        {
            int next = ext.IndexOf('-', at);
            if (next < 0) return "";
            at = next + 1;
        }
        return ext[at..];
    }
}

/// <summary>Ends qmail-local with an exit code and no text (the program already said why).</summary>
internal sealed class SilentExit(int code) : Exception($"exit {code}")
{
    public int Code { get; } = code;
}
