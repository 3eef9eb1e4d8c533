// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Net;

/// <summary>How much tcpserver says on fd 2: -q nothing, -Q errors (default), -v everything.</summary>
public enum Verbosity
{
    /// <summary>-q</summary>
    Quiet,

    /// <summary>-Q</summary>
    Errors,

    /// <summary>-v</summary>
    Verbose,
}

/// <summary>
/// tcpserver's command line, ucspi-tcp 0.88's options with their defaults, parsed getopt-style
/// ("-c 40", "-c40", "-vRHl0"), plus -C n: at most n connections from one client address.
/// </summary>
public sealed class TcpServerOptions
{
    /// <summary>Limit.</summary>
    public int Limit { get; private set; } = 40;
    /// <summary>PerIpLimit.</summary>
    public int PerIpLimit { get; private set; }
    /// <summary>RulesCdb.</summary>
    public string? RulesCdb { get; private set; }
    /// <summary>AllowWithoutRules.</summary>
    public bool AllowWithoutRules { get; private set; }
    /// <summary>Banner.</summary>
    public string? Banner { get; private set; }
    /// <summary>Uid.</summary>
    public uint? Uid { get; private set; }
    /// <summary>Gid.</summary>
    public uint? Gid { get; private set; }
    /// <summary>PrintPort.</summary>
    public bool PrintPort { get; private set; }
    /// <summary>Backlog.</summary>
    public int Backlog { get; private set; } = 20;
    /// <summary>KeepIpOptions.</summary>
    public bool KeepIpOptions { get; private set; }
    /// <summary>NoDelay.</summary>
    public bool NoDelay { get; private set; }
    /// <summary>Verbosity.</summary>
    public Verbosity Verbosity { get; private set; } = Verbosity.Errors;
    /// <summary>LookUpRemoteHost.</summary>
    public bool LookUpRemoteHost { get; private set; } = true;
    /// <summary>Paranoid.</summary>
    public bool Paranoid { get; private set; }
    /// <summary>LocalName.</summary>
    public string? LocalName { get; private set; }
    /// <summary>Ident.</summary>
    public bool Ident { get; private set; } = true;
    /// <summary>IdentTimeout.</summary>
    public int IdentTimeout { get; private set; } = 26;
    /// <summary>Host.</summary>
    public string Host { get; private set; } = "";
    /// <summary>Port.</summary>
    public string Port { get; private set; } = "";
    /// <summary>Program.</summary>
    public string[] Program { get; private set; } = [];

    private const string WithArgument = "xtugblBcC";

    /// <summary>The options, or null when the command line is not tcpserver's.</summary>
    public static TcpServerOptions? Parse(string[] args)
    {
        var o = new TcpServerOptions();
        int i = 0;
        for (; i < args.Length && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            if (args[i] == "--") { i++; break; }
            for (int j = 1; j < args[i].Length; j++)
            {
                char opt = args[i][j];
                string? value = null;
                if (WithArgument.Contains(opt))
                {
                    if (j + 1 < args[i].Length) value = args[i][(j + 1)..];
                    else if (i + 1 < args.Length) value = args[++i];
                    else return null;
                    j = args[i].Length;
                }
                if (!o.Apply(opt, value)) return null;
            }
        }
        if (args.Length - i < 3) return null;
        o.Host = args[i];
        o.Port = args[i + 1];
        o.Program = args[(i + 2)..];
        return o;
    }

    private bool Apply(char opt, string? v)
    {
        switch (opt)
        {
            case 'c': return Number(v, n => Limit = Math.Max(n, 1));
            case 'C': return Number(v, n => PerIpLimit = n);
            case 'x': RulesCdb = v; return true;
            case 'X': AllowWithoutRules = true; return true;
            case 'B': Banner = v; return true;
            case 'u': return uint.TryParse(v, out uint u) && (Uid = u) is not null;
            case 'g': return uint.TryParse(v, out uint g) && (Gid = g) is not null;
            case 'U': return FromEnvironment();
            case '1': PrintPort = true; return true;
            case 'b': return Number(v, n => Backlog = n);
            case 'o': KeepIpOptions = true; return true;
            case 'O': KeepIpOptions = false; return true;
            case 'd': NoDelay = false; return true;
            case 'D': NoDelay = true; return true;
            case 'q': Verbosity = Verbosity.Quiet; return true;
            case 'Q': Verbosity = Verbosity.Errors; return true;
            case 'v': Verbosity = Verbosity.Verbose; return true;
            case 'h': LookUpRemoteHost = true; return true;
            case 'H': LookUpRemoteHost = false; return true;
            case 'p': Paranoid = true; return true;
            case 'P': Paranoid = false; return true;
            case 'l': LocalName = v ?? ""; return true;
            case 'r': Ident = true; return true;
            case 'R': Ident = false; return true;
            case 't': return Number(v, n => IdentTimeout = n);
            default: return false;
        }
    }

    // -U: the ids envuidgid put into $UID and $GID.
    private bool FromEnvironment()
    {
        if (!uint.TryParse(Env.Get("UID"), out uint u) || !uint.TryParse(Env.Get("GID"), out uint g)) return false;
        (Uid, Gid) = (u, g);
        return true;
    }

    private static bool Number(string? v, Action<int> set)
    {
        if (!int.TryParse(v, out int n) || n < 0) return false;
        set(n);
        return true;
    }
}
