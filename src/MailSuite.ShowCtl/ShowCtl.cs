// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.ShowCtl;

/// <summary>
/// qmail-showctl's report: compile-time settings, then each control file with its value or
/// "(Default.)" and what the default means, then any file in control/ nobody reads.
/// Wording follows qmail-showctl so that habits and scripts carry over.
/// </summary>
internal static class ShowCtl
{
    public static void Print(string prefix, TextWriter o)
    {
        PrintSettings(prefix, o);
        var control = new ControlDir(Path.Combine(prefix, "control"));
        if (!Directory.Exists(control.Path))
        {
            o.WriteLine("Oops! Unable to chdir to control.");
            return;
        }
        var report = new ControlReport(control, o);
        foreach (ControlItem item in ControlItems.All) report.Show(item);
        report.ShowMoreRcptHostsCdb();
        foreach (string unknown in ControlItems.Unknown(control.Path))
            o.Write($"\ncontrol/{unknown}: I have no idea what this file does.\n");
    }

    private static void PrintSettings(string prefix, TextWriter o)
    {
        o.WriteLine($"qmail home directory: {prefix}.");
        o.WriteLine("user-ext delimiter: -.");
        o.WriteLine("paternalism (in decimal): 2.");
        o.WriteLine("silent concurrency limit: 120.");
        o.WriteLine($"subdirectory split: {Hier.Split}.");
        Role[] users = [Role.Alias, Role.Qmaild, Role.Qmaill, Role.Root, Role.Qmailp, Role.Qmailq, Role.Qmailr, Role.Qmails];
        try
        {
            InstallIds ids = InstallIds.OfTree(prefix);
            o.WriteLine($"user ids: {string.Join(", ", users.Select(r => ids.User(r).Uid))}.");
            o.WriteLine($"group ids: {ids.Group(GroupRole.Nofiles)}, {ids.Group(GroupRole.Qmail)}.");
        }
        catch (FailureException e)
        {
            o.WriteLine($"user ids: Oops! {e.Failure.Text}.");
        }
    }
}
