// SPDX-License-Identifier: MIT
namespace MailSuite.RblSmtpd;

/// <summary>One option of rblsmtpd's command line, kept in order: a lookup sees only the flags set before it.</summary>
internal readonly record struct RblOption(char Letter, string? Value);

/// <summary>
/// rblsmtpd's command line, ucspi-tcp 0.88's getopt string "bBcCt:r:a:": options until the first
/// argument that is not one (or "--"), then the SMTP server to run. Null when it is not that shape,
/// with getopt's complaint when it has one.
/// </summary>
internal sealed record RblOptions(IReadOnlyList<RblOption> Options, string[] Program)
{
    private const string Letters = "bBcCtra";
    private const string WithArgument = "tra";

    public static RblOptions? Parse(string[] args, out string? complaint)
    {
        complaint = null;
        var options = new List<RblOption>();
        int i = 0;
        for (; i < args.Length && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            if (args[i] == "--") { i++; break; }
            for (int j = 1; j < args[i].Length; j++)
            {
                char letter = args[i][j];
                if (!Letters.Contains(letter))
                {
                    complaint = $"illegal option -- {letter}";
                    return null;
                }
                string? value = null;
                if (WithArgument.Contains(letter))
                {
                    if (j + 1 < args[i].Length) value = args[i][(j + 1)..];
                    else if (i + 1 < args.Length) value = args[++i];
                    else
                    {
                        complaint = $"option requires an argument -- {letter}";
                        return null;
                    }
                    j = args[i].Length;
                }
                options.Add(new RblOption(letter, value));
            }
        }
        return i < args.Length ? new RblOptions(options, args[i..]) : null;
    }
}
