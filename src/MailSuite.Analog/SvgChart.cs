// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace MailSuite.Analog;

/// <summary>
/// The picture, as SVG written here (two bar charts need no plotting library): messages
/// completed and successful deliveries per hour (every hour of the range, empty ones too), and
/// the distribution of delays to a successful delivery. Each bar carries its numbers
/// (data-hour/data-bin, data-count) so that a program can read the chart back.
/// </summary>
internal static class SvgChart
{
    private const int Width = 960, PanelHeight = 320, Top = 40, Bottom = 50, Left = 70, Right = 20;
    private const int MaxHours = 24 * 93;   // a quarter: beyond that bars would be thinner than a pixel

    public static string Draw(Tally t)
    {
        var o = new StringBuilder();
        o.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{2 * PanelHeight}\" viewBox=\"0 0 {Width} {2 * PanelHeight}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        o.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        Hourly(t, o);
        Delays(t, o);
        o.Append("</svg>\n");
        return o.ToString();
    }

    private static void Hourly(Tally t, StringBuilder o)
    {
        List<DateTime> hours = HoursOf(t);
        long max = Math.Max(1, hours.Max(h => Math.Max(t.Hours.GetValueOrDefault(h).Messages, t.Hours.GetValueOrDefault(h).Deliveries)));
        Frame(o, 0, "Messages completed and successful deliveries per hour (UTC)", max);
        double slot = (Width - Left - Right) / (double)hours.Count, bar = Math.Max(0.5, slot / 2 - 1);
        o.Append("<g id=\"messages-per-hour\" fill=\"#4e79a7\">\n");
        for (int i = 0; i < hours.Count; i++) Bar(o, 0, Left + i * slot, bar, t.Hours.GetValueOrDefault(hours[i]).Messages, max, "data-hour", Hour(hours[i]));
        o.Append("</g>\n<g id=\"deliveries-per-hour\" fill=\"#59a14f\">\n");
        for (int i = 0; i < hours.Count; i++) Bar(o, 0, Left + i * slot + bar, bar, t.Hours.GetValueOrDefault(hours[i]).Deliveries, max, "data-hour", Hour(hours[i]));
        o.Append("</g>\n");
        Label(o, Left, PanelHeight - 20, Hour(hours[0]) + ":00", "start");
        Label(o, Width - Right, PanelHeight - 20, Hour(hours[^1]) + ":00", "end");
        Label(o, Width - Right, Top - 8, "blue: messages  green: deliveries", "end");
    }

    private static void Delays(Tally t, StringBuilder o)
    {
        long[] bins = DelayBins.Count(t.SuccessDelays);
        long max = Math.Max(1, bins.Max());
        Frame(o, PanelHeight, "Delay from queueing to successful delivery", max);
        double slot = (Width - Left - Right) / (double)bins.Length;
        o.Append("<g id=\"delay-distribution\" fill=\"#f28e2b\">\n");
        for (int i = 0; i < bins.Length; i++) Bar(o, PanelHeight, Left + i * slot + 4, slot - 8, bins[i], max, "data-bin", DelayBins.Labels[i]);
        o.Append("</g>\n");
        for (int i = 0; i < bins.Length; i++) Label(o, Left + (i + 0.5) * slot, 2 * PanelHeight - 20, DelayBins.Labels[i], "middle");
    }

    private static List<DateTime> HoursOf(Tally t)
    {
        if (t.Hours.Count == 0) return [new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)];
        DateTime first = t.Hours.Keys.First(), last = t.Hours.Keys.Last();
        if ((last - first).TotalHours >= MaxHours) first = last.AddHours(-(MaxHours - 1));
        var hours = new List<DateTime>();
        for (DateTime h = first; h <= last; h = h.AddHours(1)) hours.Add(h);
        return hours;
    }

    private static void Frame(StringBuilder o, int y0, string title, long max)
    {
        int baseline = y0 + PanelHeight - Bottom;
        Label(o, Left, y0 + 22, title, "start", bold: true);
        o.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{baseline}\" x2=\"{Width - Right}\" y2=\"{baseline}\" stroke=\"black\"/>\n");
        o.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y0 + Top}\" x2=\"{Left}\" y2=\"{baseline}\" stroke=\"black\"/>\n");
        Label(o, Left - 6, y0 + Top + 4, max.ToString(CultureInfo.InvariantCulture), "end");
        Label(o, Left - 6, baseline + 4, "0", "end");
    }

    private static void Bar(StringBuilder o, int y0, double x, double width, long count, long max, string key, string value)
    {
        double plot = PanelHeight - Top - Bottom, height = plot * count / max, baseline = y0 + PanelHeight - Bottom;
        o.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{x:0.##}\" y=\"{baseline - height:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\" {key}=\"{Escape(value)}\" data-count=\"{count}\"><title>{Escape(value)}: {count}</title></rect>\n");
    }

    private static void Label(StringBuilder o, double x, double y, string text, string anchor, bool bold = false) =>
        o.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.##}\" y=\"{y:0.##}\" text-anchor=\"{anchor}\"{(bold ? " font-weight=\"bold\"" : "")}>{Escape(text)}</text>\n");

    private static string Hour(DateTime h) => h.ToString("yyyy-MM-ddTHH", CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
