// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Sendmail;

/// <summary>
/// qmail's sendmail wrapper: "-t" takes recipients from the header as well (qmail-inject -H,
/// else -a: the arguments only), "-f sender" sets the envelope sender, "-F name" the full name,
/// "-bs" speaks SMTP on stdin/stdout (qmail-smtpd, allowed to relay), "-bp" or the name mailq lists the queue;
/// -i, -oi, -v, -x, -m, -e*, -o*, -B*, -p*, -E, -J, -bm and the like are accepted and ignored, as
/// qmail does. newaliases is refused: aliases are .qmail files.
/// </summary>
internal sealed record SendmailCommand(string Program, List<string> Arguments, Dictionary<string, string?> Changes, Failure? Refusal)
{
    public static SendmailCommand? Parse(string name, string[] args)
    {
        if (name == "newaliases")
            return Refuse(Failure.Permanent("5.3.0", "please use fastforward or .qmail files; aliases need no rebuilding"));
        if (name == "mailq") return new SendmailCommand("qmail-qread", [], [], null);
        bool fromHeader = false;
        string? sender = null, fullName = null;
        int i = 0;
        for (; i < args.Length && args[i].StartsWith('-') && args[i].Length > 1; i++)
        {
            string a = args[i];
            if (a == "--") { i++; break; }
            switch (a[1])
            {
                case 't': fromHeader = true; break;
                case 'f' or 'r': if (Value(args, ref i) is not { } f) return null; sender = f; break;
                case 'F': if (Value(args, ref i) is not { } n) return null; fullName = n; break;
                case 'b' when a == "-bs": return SmtpOnStdio();
                case 'b' when a == "-bp": return new SendmailCommand("qmail-qread", [], [], null);
                case 'b' when a is "-bm" or "-bi": break;
                case 'b': return null;
                case 'i' or 'v' or 'x' or 'm' or 'e' or 'o' or 'B' or 'p' or 'E' or 'J' or 'U' or 'q' or 'N' or 'R' or 'V' or 'h' or 'L' or 'C' or 'O' or 'X': break;
                default: return null;
            }
        }
        var injectArgs = new List<string> { fromHeader ? "-H" : "-a" };
        var changes = new Dictionary<string, string?>();
        if (sender is not null)
        {
            injectArgs.Add("-f" + sender);
            // netqmail: -f also names the From: author's address, unless the caller set QMAILUSER.
            int at = sender.LastIndexOf('@');
            if (Env.Get("QMAILUSER") is null && at > 0)
            {
                changes["QMAILUSER"] = sender[..at];
                changes["QMAILHOST"] = sender[(at + 1)..];
            }
        }
        if (fullName is not null) changes["QMAILNAME"] = fullName;
        injectArgs.Add("--");
        injectArgs.AddRange(args[i..]);
        return new SendmailCommand("qmail-inject", injectArgs, changes, null);
    }

    // qmail's sendmail -bs: qmail-smtpd on stdin/stdout; a local caller may send anywhere.
    private static SendmailCommand SmtpOnStdio()
    {
        var env = new Dictionary<string, string?>();
        if (Env.Get("PROTO") is null)
        {
            env["RELAYCLIENT"] = "";
            env["DATABYTES"] = "0";
            env["PROTO"] = "TCP";
            env["TCPREMOTEIP"] = env["TCPLOCALIP"] = "127.0.0.1";
            env["TCPREMOTEHOST"] = env["TCPLOCALHOST"] = "localhost";
            env["TCPREMOTEINFO"] = "sendmail-bs";
        }
        return new SendmailCommand("qmail-smtpd", [], env, null);
    }

    public List<string> Environment()
    {
        Dictionary<string, string> env = Env.Snapshot();
        foreach ((string k, string? v) in Changes)
            if (v is null) env.Remove(k); else env[k] = v;
        return Env.Strings(env);
    }

    private static SendmailCommand Refuse(Failure f) => new("", [], [], f);

    // "-fvalue" or "-f value".
    private static string? Value(string[] args, ref int i)
    {
        if (args[i].Length > 2) return args[i][2..];
        return i + 1 < args.Length ? args[++i] : null;
    }
}
