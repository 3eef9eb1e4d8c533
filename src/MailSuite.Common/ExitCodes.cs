// SPDX-License-Identifier: MIT
namespace MailSuite.Common;

/// <summary>The exit codes every qmail program shares. Per-program tables live beside each Program.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Done, and ignore the rest of the .qmail file (qmail-command(8)).</summary>
    public const int SuccessStop = 99;

    /// <summary>Permanent failure: do not retry.</summary>
    public const int Permanent = 100;

    /// <summary>Temporary failure: try again later.</summary>
    public const int Temporary = 111;
}
