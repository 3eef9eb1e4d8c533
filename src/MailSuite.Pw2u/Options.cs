// SPDX-License-Identifier: MIT
namespace MailSuite.Pw2u;

/// <summary>What to do about a home directory that is missing or not the user's (-o, -h, -H).</summary>
internal enum HomeCheck
{
    /// <summary>-H: not looked at.</summary>
    None,

    /// <summary>-h: a missing home stops the run; one not owned by the user is skipped.</summary>
    StopIfMissing,

    /// <summary>-o (default): missing, or not owned by the user: skipped.</summary>
    SkipIfMissing,
}

/// <summary>qmail-pw2u's options: -/ohHuUC and -cCHAR, getopt-style (clustered, -c's value attached or next).</summary>
internal sealed class Options
{
    public string DashColon { get; private set; } = "-:";
    public HomeCheck Home { get; private set; } = HomeCheck.SkipIfMissing;
    public bool NoUpper { get; private set; } = true;
    public char? Break { get; private set; } = '-';

    public static Options? Parse(string[] args)
    {
        var o = new Options();
        for (int a = 0; a < args.Length; a++)
        {
            string arg = args[a];
            if (arg == "--") return a == args.Length - 1 ? o : null;
            if (arg.Length < 2 || arg[0] != '-') return null;   // qmail-pw2u takes no operands
            for (int i = 1; i < arg.Length; i++)
            {
                switch (arg[i])
                {
                    case '/': o.DashColon = "-/:"; break;
                    case 'o': o.Home = HomeCheck.SkipIfMissing; break;
                    case 'h': o.Home = HomeCheck.StopIfMissing; break;
                    case 'H': o.Home = HomeCheck.None; break;
                    case 'u': o.NoUpper = false; break;
                    case 'U': o.NoUpper = true; break;
                    case 'C': o.Break = null; break;
                    case 'c':
                        string value = i + 1 < arg.Length ? arg[(i + 1)..] : a + 1 < args.Length ? args[++a] : "";
                        if (value.Length == 0) return null;
                        o.Break = value[0];
                        i = arg.Length;
                        break;
                    default: return null;
                }
            }
        }
        return o;
    }
}
