// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.RegularExpressions;
using MailSuite.Common;

namespace MailSuite.Check;

/// <summary>AIDE against the baseline scripts/baseline recorded: each added, removed or changed path named.</summary>
internal static partial class Integrity
{
    public static string? Check(Settings s)
    {
        string conf = Path.Combine(s.Prefix, "integrity/aide.conf");
        if (!File.Exists(conf)) return $"no baseline in {Path.GetDirectoryName(conf)}: run scripts/baseline";
        string aide = Spawn.FindInPath("aide");
        (byte[] output, ExitStatus status) = Spawn.Capture(
            new SpawnRequest(aide, ["aide", "--check", "-c", conf], ["PATH=/usr/bin:/bin"], new Dictionary<int, int> { [0] = 0 }), 1, 2);
        string report = Encoding.UTF8.GetString(output);
        if (status.Exited && status.Code == 0) return null;
        var entries = Entry().Matches(report).Select(m => $"{m.Groups[2].Value} ({m.Groups[1].Value.Trim()})").Distinct().ToList();
        return entries.Count > 0 ? "differs: " + string.Join(", ", entries) : $"aide {status}: {report.Trim().Split('\n')[0]}";
    }

    // "f = p.. .. ..     : /var/qmail/bin/x" in AIDE's summary of added/removed/changed entries.
    [GeneratedRegex(@"^[fdlcbps][ +=-]([^:\n]*?)\s*: (/\S+)$", RegexOptions.Multiline)]
    private static partial Regex Entry();
}
