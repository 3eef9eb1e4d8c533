// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace MailSuite.Metrics;

/// <summary>
/// Prometheus's text exposition format (version 0.0.4): per family a HELP and a TYPE line, then
/// its samples, label values escaped (backslash, quote, newline) so that no log text can break
/// a line.
/// </summary>
internal sealed class Exposition
{
    private readonly StringBuilder text = new();

    public Exposition Family(string name, string type, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    public Exposition Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        if (labels.Length > 0)
            text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
        text.Append(' ').Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
        return this;
    }

    /// <summary>Adds what another page holds (one built apart, kept only if it was completed).</summary>
    public Exposition Append(Exposition other)
    {
        text.Append(other.text);
        return this;
    }

    public override string ToString() => text.ToString();

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
