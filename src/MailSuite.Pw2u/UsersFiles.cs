// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Pw2u;

/// <summary>The rule files in PREFIX/users: include, exclude, mailnames, subusers, append (each optional).</summary>
internal sealed class UsersFiles
{
    public HashSet<string>? Include { get; private init; }
    public HashSet<string>? Exclude { get; private init; }
    public Dictionary<string, string>? MailNames { get; private init; }
    public List<string> SubUsers { get; private init; } = [];
    public string Append { get; private init; } = "";

    public static UsersFiles Read(string dir)
    {
        var lists = new ControlDir(dir);
        return new UsersFiles
        {
            Include = lists.List("include")?.ToHashSet(StringComparer.Ordinal),
            Exclude = lists.List("exclude")?.ToHashSet(StringComparer.Ordinal),
            MailNames = lists.List("mailnames")?.Where(l => l.Contains(':', StringComparison.Ordinal))
                .GroupBy(l => l[..l.IndexOf(':', StringComparison.Ordinal)], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[(g.Key.Length + 1)..], StringComparer.Ordinal),
            SubUsers = lists.Read("subusers") is { } sub ? Encoding.Latin1.GetString(sub).Split('\n').Where(l => l.Length > 0).ToList() : [],
            Append = lists.Read("append") is { } append ? Encoding.Latin1.GetString(append) : "",
        };
    }
}
