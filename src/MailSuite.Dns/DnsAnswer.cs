// SPDX-License-Identifier: MIT
namespace MailSuite.Dns;

/// <summary>What a lookup found out: the rule every caller needs is that "could not find out" is never "no".</summary>
public enum DnsStatus
{
    /// <summary>Records of the type asked for exist.</summary>
    Found,

    /// <summary>The name does not exist (NXDOMAIN) or has no record of that type.</summary>
    None,

    /// <summary>No answer: a timeout, SERVFAIL, REFUSED or a broken reply. Try again later.</summary>
    TempError,
}

/// <summary>The records a lookup found (empty unless Found), and why it failed when it did.</summary>
public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records, string Reason = "");
