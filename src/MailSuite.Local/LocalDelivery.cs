// SPDX-License-Identifier: MIT
using MailSuite.Common;
using Microsoft.Win32.SafeHandles;

namespace MailSuite.Local;

/// <summary>
/// One local delivery, as qmail-local makes it: check the home directory, refuse a message that
/// already carries this recipient's Delivered-To line, find the .qmail file, then carry out its
/// lines in order (files and programs now, forwards at the end in one qmail-queue call). The
/// first failure stops everything; a program exiting 99 stops the lines after it.
/// </summary>
internal sealed class LocalDelivery(Recipient r, bool dryRun)
{
    private const int WorldWritable = 2;
    private const int Sticky = 512;

    public int Run()
    {
        EnterHome();
        DotQmailFile? file = DotQmail.Find(r);
        if (file is null && r.Dash.Length > 0)
            throw new FailureException(Failure.Permanent("5.1.1", "Sorry, no mailbox here by that name."));
        string content = file is null || file.Content.Length == 0 ? r.DefaultDelivery + "\n" : file.Content;
        List<Instruction> instructions = DotQmail.Parse(content, file?.ForwardOnly ?? false);
        if (dryRun)
        {
            foreach (Instruction i in instructions) Report.Line($"{i.Kind.ToString().ToLowerInvariant()} {i.Target}");
            // qmail's count_print, as after a real delivery: files, forwards, programs.
            int Count(params InstructionKind[] kinds) => instructions.Count(i => kinds.Contains(i.Kind));
            Report.Line($"did {Count(InstructionKind.Maildir, InstructionKind.Mbox)}+{Count(InstructionKind.Forward)}+{Count(InstructionKind.Program)}");
            return ExitCodes.Success;
        }
        using var message = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1);
        if (!message.CanSeek) throw new FailureException(Failure.Temporary("4.3.0", "Unable to read message: fd 0 is not seekable."));
        LoopCheck.Run(message, r.DeliveredTo);
        return Deliver(instructions, message, file?.Default);
    }

    private int Deliver(List<Instruction> instructions, FileStream message, string? defaultPart)
    {
        int files = 0, programs = 0;
        var forwards = new List<string>();
        foreach (Instruction i in instructions)
        {
            switch (i.Kind)
            {
                case InstructionKind.Maildir: MaildirWriter.Deliver(i.Target, r, message); files++; break;
                case InstructionKind.Mbox: MboxWriter.Deliver(i.Target, r, message); files++; break;
                case InstructionKind.Forward: forwards.Add(Forwarder.Check(i.Target)); break;
                case InstructionKind.Program:
                    programs++;
                    if (ProgramRunner.Run(i.Target, r, defaultPart) == ProgramOutcome.StopHere) goto done;
                    break;
            }
        }
    done:
        string? qp = forwards.Count > 0 ? Forwarder.Send(forwards, r, message) : null;
        Report.Line($"did {files}+{forwards.Count}+{programs}");
        if (qp is not null) Report.Line($"qp {qp}");
        return ExitCodes.Success;
    }

    private void EnterHome()
    {
        if (!r.HomeDir.StartsWith('/'))
            throw new FailureException(Failure.Temporary("4.3.0", "Uh-oh: homedir must be an absolute path."));
        FileStatus? home = FileStatus.OfTarget(r.HomeDir);
        if (home is null || home.Kind != FileKind.Directory)
            throw new FailureException(Failure.Temporary("4.3.0", $"Unable to switch to {r.HomeDir}: no such directory."));
        if ((home.Mode & WorldWritable) != 0)
            throw new FailureException(Failure.Temporary("4.7.0", "Uh-oh: home directory is writable."));
        if ((home.Mode & Sticky) != 0)
            throw new FailureException(Failure.Temporary("4.2.1", "Home directory is sticky: user is editing his .qmail file."));
        try
        {
            Directory.SetCurrentDirectory(r.HomeDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"Unable to switch to {r.HomeDir}: {ErrorText.Of(e)}"));
        }
    }
}
