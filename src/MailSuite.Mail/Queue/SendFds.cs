// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>
/// qmail-send's descriptors, the contract between qmail-start (which wires them) and qmail-send
/// (which uses them), as in qmail: its log, then command and report pipes for qmail-lspawn and
/// qmail-rspawn, then request and answer pipes for qmail-clean.
/// </summary>
public static class SendFds
{
    /// <summary>qmail-send's log (to the logger, or qmail-start's stdout).</summary>
    public const int Log = 0;

    /// <summary>Commands to qmail-lspawn.</summary>
    public const int LocalCommands = 1;

    /// <summary>Reports from qmail-lspawn.</summary>
    public const int LocalReports = 2;

    /// <summary>Commands to qmail-rspawn.</summary>
    public const int RemoteCommands = 3;

    /// <summary>Reports from qmail-rspawn.</summary>
    public const int RemoteReports = 4;

    /// <summary>Requests to qmail-clean.</summary>
    public const int CleanRequests = 5;

    /// <summary>Answers from qmail-clean.</summary>
    public const int CleanAnswers = 6;
}
