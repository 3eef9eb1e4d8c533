// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>The one reader of environment variables: every variable a program trusts is named at its call site.</summary>
public static class Env
{
    /// <summary>The value, or null when unset.</summary>
    public static string? Get(string name) => Environment.GetEnvironmentVariable(name);

    /// <summary>The value, or <paramref name="fallback"/> when unset or empty.</summary>
    public static string Get(string name, string fallback) => Get(name) is { Length: > 0 } v ? v : fallback;
}
