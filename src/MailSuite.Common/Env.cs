// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>The one reader of environment variables: every variable a program trusts is named at its call site.</summary>
public static class Env
{
    /// <summary>The value, or null when unset.</summary>
    public static string? Get(string name) => Environment.GetEnvironmentVariable(name);

    /// <summary>The value, or <paramref name="fallback"/> when unset or empty.</summary>
    public static string Get(string name, string fallback) => Get(name) is { Length: > 0 } v ? v : fallback;

    /// <summary>This process's whole environment, as a copy to change and pass on to a child.</summary>
    public static Dictionary<string, string> Snapshot()
    {
        var env = new Dictionary<string, string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }

    /// <summary>An environment as the "NAME=value" strings a spawn takes.</summary>
    public static List<string> Strings(IReadOnlyDictionary<string, string> env) => env.Select(kv => $"{kv.Key}={kv.Value}").ToList();

    /// <summary>This process's environment as "NAME=value" strings, to pass on unchanged.</summary>
    public static List<string> Current() => Strings(Snapshot());

    /// <summary>
    /// Sets a variable in the C environment only (setenv(3)), for a native library that reads it
    /// (OpenSSL); .NET's view and the environments children are given stay as they are.
    /// </summary>
    public static void SetForNativeLibraries(string name, string value) => _ = Native.SetEnv(name, value, 1);
}
