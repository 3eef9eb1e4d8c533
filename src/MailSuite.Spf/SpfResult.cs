// SPDX-License-Identifier: MIT
namespace MailSuite.Spf;

/// <summary>check_host()'s seven results (RFC 7208 section 2.6).</summary>
public enum SpfResult
{
    /// <summary>No SPF record, or no valid domain to ask about.</summary>
    None,

    /// <summary>The domain says nothing about this client.</summary>
    Neutral,

    /// <summary>The client may send for the domain.</summary>
    Pass,

    /// <summary>The client may not send for the domain.</summary>
    Fail,

    /// <summary>Probably not allowed: accept, but mark.</summary>
    SoftFail,

    /// <summary>A DNS failure that may go away: try again later.</summary>
    TempError,

    /// <summary>The domain's records cannot be read correctly.</summary>
    PermError,
}

/// <summary>A result and its reason in words (the matching term, or what went wrong).</summary>
public sealed record SpfVerdict(SpfResult Result, string Reason)
{
    /// <summary>The result as RFC 7208 and RFC 8601 spell it.</summary>
    public string Word => Result switch
    {
        SpfResult.None => "none",
        SpfResult.Neutral => "neutral",
        SpfResult.Pass => "pass",
        SpfResult.Fail => "fail",
        SpfResult.SoftFail => "softfail",
        SpfResult.TempError => "temperror",
        _ => "permerror",
    };
}

/// <summary>Ends an evaluation early with temperror or permerror, however deep in includes.</summary>
internal sealed class SpfError(SpfResult result, string reason) : Exception(reason)
{
    public SpfResult Result => result;

    public static SpfError Perm(string reason) => new(SpfResult.PermError, reason);

    public static SpfError Temp(string reason) => new(SpfResult.TempError, reason);
}
