// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.Local;

/// <summary>What one .qmail line asks for.</summary>
internal enum InstructionKind { Program, Maildir, Mbox, Forward }

/// <summary>One delivery instruction.</summary>
internal sealed record Instruction(InstructionKind Kind, string Target);

/// <summary>The .qmail file found for a recipient (null path: none, so the default delivery applies).</summary>
internal sealed record DotQmailFile(string? Path, string? Default, string Content, bool ForwardOnly);

/// <summary>
/// dot-qmail(5): which file governs a delivery (DotQmailNames' order, shared with the recipient
/// check) and what its lines mean. A file with the world-write bit defers the delivery; an
/// empty file, or none when dash is empty, means the default delivery.
/// </summary>
internal static class DotQmail
{
    private const int WorldWritable = 2;   // conf-patrn 002
    private const int OwnerExecute = 64;   // 0100: forwards only

    public static DotQmailFile? Find(Recipient r)
    {
        foreach ((string name, string? defaultPart) in DotQmailNames.Candidates(r.Dash, r.Ext))
            if (Read(name, defaultPart) is { } found) return found;
        return null;
    }

    // A missing file or one that is not a regular file counts as absent; a world-writable one,
    // or one we may not read, defers.
    private static DotQmailFile? Read(string name, string? defaultPart)
    {
        FileStatus? st = FileStatus.OfTarget(name);
        if (st is null || st.Kind != FileKind.File) return null;
        if ((st.Mode & WorldWritable) != 0)
            throw new FailureException(Failure.Temporary("4.7.0", "Uh-oh: .qmail file is writable."));
        try
        {
            string content = Encoding.Latin1.GetString(File.ReadAllBytes(name));
            return new DotQmailFile(name, defaultPart, content, (st.Mode & OwnerExecute) != 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.2.1", $"Unable to open {name}: {ErrorText.Of(e)}"));
        }
    }

    /// <summary>The instructions of a file, in order.</summary>
    public static List<Instruction> Parse(string content, bool forwardOnly)
    {
        var list = new List<Instruction>();
        string[] lines = content.Split('\n');
        if (content.EndsWith('\n')) lines = lines[..^1];
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd(' ', '\t');
            if (line.Length == 0)
            {
                if (i == 0) throw new FailureException(Failure.Temporary("4.2.1", "Uh-oh: first line of .qmail file is blank."));
                continue;
            }
            if (line[0] == '#') continue;
            Instruction ins = line[0] switch
            {
                '|' => new Instruction(InstructionKind.Program, line[1..]),
                '/' or '.' => new Instruction(line.EndsWith('/') ? InstructionKind.Maildir : InstructionKind.Mbox, line),
                '&' => new Instruction(InstructionKind.Forward, line[1..]),
                _ => new Instruction(InstructionKind.Forward, line),
            };
            if (forwardOnly && ins.Kind != InstructionKind.Forward)
                throw new FailureException(Failure.Temporary("4.7.0", $"Uh-oh: .qmail has {ins.Kind.ToString().ToLowerInvariant()} delivery but has x bit set."));
            list.Add(ins);
        }
        return list;
    }
}
