// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.ShowCtl;

/// <summary>Prints one control file's entry as qmail-showctl does.</summary>
internal sealed class ControlReport(ControlDir control, TextWriter o)
{
    public void Show(ControlItem item)
    {
        o.Write($"\n{item.Name}: ");
        try
        {
            switch (item.Shape)
            {
                case ControlShape.List: ShowList(item); break;
                case ControlShape.Number: ShowNumber(item); break;
                default: ShowLine(item); break;
            }
        }
        catch (FailureException)
        {
            o.WriteLine("Oops! Trouble reading this file.");
        }
    }

    public void ShowMoreRcptHostsCdb()
    {
        o.Write("\nmorercpthosts.cdb: ");
        FileStatus? text = FileStatus.Of(Path.Combine(control.Path, "morercpthosts"));
        FileStatus? cdb = FileStatus.Of(Path.Combine(control.Path, "morercpthosts.cdb"));
        if (text is null)
        {
            o.WriteLine(cdb is null ? "(Default.) No effect." : "Oops! morercpthosts.cdb exists but morercpthosts doesn't.");
            return;
        }
        bool fresh = cdb is not null
            && File.GetLastWriteTimeUtc(Path.Combine(control.Path, "morercpthosts.cdb")) >= File.GetLastWriteTimeUtc(Path.Combine(control.Path, "morercpthosts"));
        o.WriteLine(fresh ? "Modified recently enough; hopefully up to date." : "Oops! morercpthosts.cdb is older than morercpthosts.");
    }

    private void ShowList(ControlItem item)
    {
        List<string>? lines = control.List(item.Name);
        if (lines is null)
        {
            o.WriteLine($"(Default.) {item.Default}");
            return;
        }
        o.WriteLine();
        foreach (string line in lines) o.WriteLine($"{item.Before}{line}{item.After}");
    }

    private void ShowNumber(ControlItem item)
    {
        string? line = control.Line(item.Name);
        long? value = line is null ? null : ControlFile.Number(line);
        o.WriteLine(value is null ? $"(Default.) {item.Before}{item.Default}{item.After}" : $"{item.Before}{value}{item.After}");
    }

    private void ShowLine(ControlItem item)
    {
        string? line = control.Line(item.Name);
        if (line is not null)
        {
            o.WriteLine($"{item.Before}{line}{item.After}");
            return;
        }
        string fallback = item.Shape == ControlShape.LineOrMe ? FallbackForMe(item) : item.Default;
        o.WriteLine($"(Default.) {item.Before}{fallback}{item.After}");
    }

    // control/me itself falls back to the host name; every other "default: me" file to control/me.
    private string FallbackForMe(ControlItem item) => item.Name == "me" ? Environment.MachineName : control.Me;
}
