// SPDX-License-Identifier: MIT
using System.Globalization;
using MailSuite.Common;

namespace MailSuite.Scan;

/// <summary>
/// qmail-scan's control files, one setting each: control/scanner (where and which protocol; none:
/// nothing is scanned), control/scanreject (a score at or above which the message is refused at
/// DATA; none: never), control/scanfailure ("defer", the default: 451 while the scanner is down;
/// "pass": deliver unscanned, marked).
/// </summary>
internal sealed record ScanPolicy(ScannerAddress? Scanner, double? RejectScore, bool DeferOnFailure)
{
    public static ScanPolicy Load(ControlDir c)
    {
        string? line = c.Line("scanner");
        ScannerAddress? scanner = line is null ? null : ScannerAddress.Parse(line)
            ?? throw new FailureException(Failure.Temporary("4.3.0", $"control/scanner: \"{Log.Sanitize(line)}\" is not spamd:WHERE or rspamd:WHERE"));
        double? reject = c.Line("scanreject") is string r
            ? double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out double score) ? score
                : throw new FailureException(Failure.Temporary("4.3.0", $"control/scanreject: \"{Log.Sanitize(r)}\" is not a number"))
            : null;
        string failure = (c.Line("scanfailure") ?? "defer").Trim().ToLowerInvariant();
        if (failure is not ("defer" or "pass")) throw new FailureException(Failure.Temporary("4.3.0", $"control/scanfailure: \"{Log.Sanitize(failure)}\" is not defer or pass"));
        return new ScanPolicy(scanner, reject, failure == "defer");
    }
}
