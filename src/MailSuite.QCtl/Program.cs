// SPDX-License-Identifier: MIT
// qmail-qctl: the postmaster's queue tool. list reads the queue; delete, bounce, resend, hold and
// release ask qmail-send, which does the work between its deliveries (PREFIX/qmgr/socket, root only).
using System.CommandLine;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.QCtl;

internal static class Program
{
    private static readonly Option<string[]> From = new("--from") { Description = "messages whose sender matches this pattern (* and ?, any case)" };
    private static readonly Option<string[]> To = new("--to") { Description = "messages with a recipient still to do that matches this pattern" };

    private static int Main(string[] args)
    {
        Log.Init("qmail-qctl");
        var root = new RootCommand("Manage qmail's queue: list it; delete, bounce, send again, hold or release messages.") { List() };
        foreach (string verb in QueueManagement.Verbs) root.Subcommands.Add(Act(verb));
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Log.Fatal(error.Message);
            return ExitCodes.Permanent;
        }
        try
        {
            return parsed.Invoke();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to read the queue: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }

    private static Command List()
    {
        var held = new Option<bool>("--held") { Description = "held messages only" };
        var list = new Command("list", "List the messages: number, age, size, state, sender, then each recipient.") { From, To, held };
        list.SetAction(p => Listing.Write(Select(p).Where(m => !p.GetValue(held) || m.Held)));
        return list;
    }

    private static Command Act(string verb)
    {
        var ids = new Argument<ulong[]>("id") { Description = "message numbers (as list shows them)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "every message in the queue" };
        var command = new Command(verb, Describe(verb)) { ids, From, To, all };
        command.SetAction(p =>
        {
            ulong[] chosen = p.GetValue(ids) ?? [];
            bool any = chosen.Length > 0 || p.GetValue(all) || (p.GetValue(From)?.Length ?? 0) > 0 || (p.GetValue(To)?.Length ?? 0) > 0;
            if (!any)
            {
                Log.Fatal($"usage: qmail-qctl {verb} (ID... | --from PATTERN | --to PATTERN | --all)");
                return ExitCodes.Permanent;
            }
            List<ulong> targets = chosen.Length > 0 ? [.. chosen] : Select(p).Select(m => m.Id).ToList();
            return SendChannel.Ask(verb, targets);
        });
        return command;
    }

    // The messages in the queue (todo/ included) that every given pattern matches.
    private static IEnumerable<QueuedEntry> Select(ParseResult p) =>
        QueueSnapshot.Read(QueueLayout.OfThisInstall(), withTodo: true)
            .Where(m => Selection.Matches(m, p.GetValue(From) ?? [], p.GetValue(To) ?? []));

    private static string Describe(string verb) => verb switch
    {
        "delete" => "Remove messages from the queue without a bounce (after the deliveries under way end).",
        "bounce" => "Fail every recipient still to do now: the sender gets a bounce.",
        "resend" => "Try the recipients still to do now instead of at their next retry.",
        "hold" => "Start no delivery of these messages until they are released (kept across restarts).",
        _ => "Let held messages be delivered again, at once.",
    };
}
