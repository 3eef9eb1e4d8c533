// SPDX-License-Identifier: MIT
namespace MailSuite.RcptD;

/// <summary>What the privileged side found at a .qmail path, one byte on the wire.</summary>
internal enum DotQmailKind : byte
{
    /// <summary>A regular file (after symlinks): it governs the delivery.</summary>
    File = (byte)'F',

    /// <summary>Nothing there, or something that is not a regular file: qmail-local goes on to the next name.</summary>
    Absent = (byte)'N',

    /// <summary>stat failed for another reason, or the request was not a .qmail path: no answer today.</summary>
    Trouble = (byte)'T',
}
