// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.ConfigFast;

/// <summary>
/// What qmail's config-fast writes for a host name: me = the name; defaultdomain = the name
/// without its first label (when three or more labels); plusdomain = the last two labels; the
/// name added to locals and rcpthosts. Unlike qmail's script it adds a name to locals and
/// rcpthosts only when missing, so running it twice changes nothing.
/// </summary>
internal static class HostConfig
{
    public static bool IsHostName(string name) =>
        name.Length is > 0 and <= 253
        && name.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');

    public static string DefaultDomain(string fqdn)
    {
        string[] labels = fqdn.Split('.');
        return labels.Length >= 3 ? string.Join('.', labels[1..]) : fqdn;
    }

    public static string PlusDomain(string fqdn)
    {
        string[] labels = fqdn.Split('.');
        return labels.Length >= 2 ? string.Join('.', labels[^2..]) : fqdn;
    }

    public static void Write(ControlDir control, string fqdn, TextWriter o)
    {
        if (!fqdn.Contains('.')) WarnSingleLabel(fqdn);
        o.WriteLine($"Your fully qualified host name is {fqdn}.");
        Set(control, "me", fqdn, o);
        Set(control, "defaultdomain", DefaultDomain(fqdn), o);
        Set(control, "plusdomain", PlusDomain(fqdn), o);
        Add(control, "locals", fqdn, o);
        Add(control, "rcpthosts", fqdn, o);
        Set(control, "rcptcheck", "1", o);
        o.WriteLine($"Now qmail will refuse to accept SMTP messages except to {fqdn}.");
        o.WriteLine("While qmail-rcptd runs, it will refuse SMTP recipients that delivery would bounce.");
        o.WriteLine("Make sure to change rcpthosts if you add hosts to locals or virtualdomains!");
    }

    // qmail completes a host name without a dot with defaultdomain, which is the name itself
    // here: mail to user@vm would go to user@vm.vm.
    private static void WarnSingleLabel(string name) => Log.Warning(
        $"{name} has a single label: qmail-inject completes user@{name} to user@{name}.{DefaultDomain(name)}, " +
        $"which is nobody. Run config-fast with the host's fully qualified name (such as {name}.example.org, the name in DNS), " +
        $"or put your domain into control/defaultdomain afterwards.");

    private static void Set(ControlDir control, string name, string value, TextWriter o)
    {
        o.WriteLine($"Putting {value} into control/{name}...");
        if (control.Line(name) != value) control.Write(name, [value]);
    }

    private static void Add(ControlDir control, string name, string value, TextWriter o)
    {
        o.WriteLine($"Putting {value} into control/{name}...");
        byte[] old = control.Read(name) ?? [];
        if (ControlFile.Lines(old).Contains(value, StringComparer.OrdinalIgnoreCase)) return;
        var lines = System.Text.Encoding.Latin1.GetString(old).Split('\n').Where(l => l.Length > 0).Append(value);
        control.Write(name, lines);
    }
}
