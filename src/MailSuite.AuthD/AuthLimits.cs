// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.AuthD;

/// <summary>
/// control/authlimits, one line "FAILURES:SECONDS" (default 10:900): an address (an IPv6 /64)
/// with FAILURES failed logins within SECONDS is refused without a check for SECONDS more.
/// "0" turns the lockout off; the growing delay after each failure stays.
/// </summary>
internal sealed record AuthLimits(int Failures, long Seconds)
{
    public static readonly AuthLimits Default = new(10, 900);

    public bool LockoutEnabled => Failures > 0;

    public static AuthLimits Load(ControlDir c)
    {
        string? line = c.Line("authlimits");
        if (line is null) return Default;
        return Parse(line) ?? throw new FailureException(Failure.Temporary("4.3.0",
            $"unable to read controls: {Path.Combine(c.Path, "authlimits")}: expected FAILURES:SECONDS, e.g. 10:900, not \"{Log.Sanitize(line)}\""));
    }

    public static AuthLimits? Parse(string line)
    {
        string[] parts = line.Trim().Split(':');
        if (parts.Length == 1 && parts[0] == "0") return new AuthLimits(0, 0);
        if (parts.Length != 2 || !int.TryParse(parts[0], out int failures) || !long.TryParse(parts[1], out long seconds)) return null;
        return failures >= 0 && seconds > 0 ? new AuthLimits(failures, seconds) : null;
    }
}
