// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.RcptD;

/// <summary>qmail-rcptd's answer about one recipient, one byte on the wire.</summary>
internal enum Deliverable : byte
{
    /// <summary>Delivery would find a mailbox, a .qmail file, or the address is not a local one to judge.</summary>
    Yes = (byte)'Y',

    /// <summary>qmail-local would bounce it: "Sorry, no mailbox here by that name. (#5.1.1)".</summary>
    No = (byte)'N',

    /// <summary>Could not find out now (a file that could not be examined): try again later.</summary>
    Unknown = (byte)'T',
}

/// <summary>
/// Would this recipient be delivered? The same steps and the same code as delivery: qmail-send's
/// routing (locals, virtualdomains, percenthack), qmail-lspawn's owner (users/cdb, then the
/// account, then alias), qmail-local's .qmail search. Only the existence of a .qmail file is
/// asked of the privileged side; a file that exists means yes, whatever it holds. Controls are
/// read for each question, so an edit counts at once, as a .qmail edit does; controls that cannot
/// be read leave the last ones read in force (qmail-send does the same on HUP), with a warning.
/// </summary>
internal sealed class Recipients(Func<string, DotQmailKind> dotQmail)
{
    private RoutingControls? lastRead = FirstRead();
    private string? lastWarning;

    // At start, so that there are controls to fall back on from the first question.
    private static RoutingControls? FirstRead()
    {
        try
        {
            return RoutingControls.Load(ControlDir.OfThisInstall());
        }
        catch (FailureException)
        {
            return null;   // the first question says why
        }
    }

    public Deliverable Check(string address)
    {
        Route route = Routing.Classify(address, Controls());
        if (!route.IsLocal) return Deliverable.Yes;
        string local = route.Address[..route.Address.LastIndexOf('@')];
        if (local.Length == 0) return Deliverable.Yes;   // qmail-lspawn: "delivered to nobody"
        Owner owner = UserLookup.Find(local, Home.Path("users/cdb"), Home.Path("alias"));
        if (owner.Uid == 0 || owner.Dash.Length == 0) return Deliverable.Yes;   // root: deferred, not bounced; no dash: ~/.qmail or the default
        foreach ((string name, _) in DotQmailNames.Candidates(owner.Dash, owner.Ext))
        {
            switch (dotQmail(Path.Combine(owner.Home, name)))
            {
                case DotQmailKind.File: return Deliverable.Yes;
                case DotQmailKind.Trouble: return Deliverable.Unknown;
            }
        }
        return Deliverable.No;
    }

    private RoutingControls Controls()
    {
        try
        {
            RoutingControls read = RoutingControls.Load(ControlDir.OfThisInstall());
            lastWarning = null;
            return lastRead = read;
        }
        catch (FailureException e) when (lastRead is { } old)
        {
            if (lastWarning != e.Failure.Text) Log.Warning($"unable to read controls, answering with the last ones read: {e.Failure.Text}");
            lastWarning = e.Failure.Text;
            return old;
        }
    }
}
