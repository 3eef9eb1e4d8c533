// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Remote.MtaSts;

/// <summary>
/// A testing-mode policy at work (RFC 8461 5): delivery goes on as without it, and what enforce
/// mode would have refused is logged and added to the delivery report, which qmail-send logs.
/// </summary>
internal sealed class StsAudit(string domain, StsPolicy policy)
{
    private readonly List<string> findings = [];

    public bool Allows(string mxHost) => policy.Allows(mxHost);

    public void Note(string finding)
    {
        findings.Add(finding);
        Log.Warning($"MTA-STS: the policy of {domain} (testing) would refuse this delivery: {finding}");
    }

    /// <summary>A line for the report, or "" when nothing was found.</summary>
    public string Summary => findings.Count == 0 ? ""
        : $"\nMTA-STS policy of {domain} (testing) would have refused: {string.Join("; ", findings)}.";
}
