// SPDX-License-Identifier: MIT
namespace MailSuite.Inject;

/// <summary>Where the recipients come from (qmail-inject's -a, -h, -A, -H).</summary>
internal enum RecipientSource { ArgsOnly, HeaderOnly, ArgsElseHeader, Both }

/// <summary>qmail-inject's command line, parsed the way qmail parses it (getopt, "-fsender" or "-f sender").</summary>
internal sealed record Options(RecipientSource Source, bool PrintOnly, string? Sender, IReadOnlyList<string> Recipients)
{
    public static Options? Parse(string[] args)
    {
        var source = RecipientSource.ArgsElseHeader;
        bool print = false;
        string? sender = null;
        int i = 0;
        for (; i < args.Length && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            if (args[i] == "--") { i++; break; }
            for (int j = 1; j < args[i].Length; j++)
            {
                switch (args[i][j])
                {
                    case 'a': source = RecipientSource.ArgsOnly; break;
                    case 'h': source = RecipientSource.HeaderOnly; break;
                    case 'A': source = RecipientSource.ArgsElseHeader; break;
                    case 'H': source = RecipientSource.Both; break;
                    case 'n': print = true; break;
                    case 'N': print = false; break;
                    case 'f':
                        if (j + 1 < args[i].Length) sender = args[i][(j + 1)..];
                        else if (i + 1 < args.Length) sender = args[++i];
                        else return null;
                        j = int.MaxValue - 1;
                        break;
                    default: return null;
                }
            }
        }
        return new Options(source, print, sender, args[i..]);
    }
}
