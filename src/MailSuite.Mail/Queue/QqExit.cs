// SPDX-License-Identifier: MIT
using MailSuite.Common;

namespace MailSuite.Mail;

/// <summary>
/// qmail-queue's exit codes (qmail-queue(8)) and what a caller makes of them (qmail.c's
/// qmail_close). The same table serves qmail-queue, which exits with them, and every program that
/// runs qmail-queue or a QMAILQUEUE replacement.
/// </summary>
public static class QqExit
{
    /// <summary>Queued.</summary>
    public const int Ok = 0;

    /// <summary>Address too long (permanent).</summary>
    public const int AddressTooLong = 11;

    /// <summary>Out of memory.</summary>
    public const int OutOfMemory = 51;

    /// <summary>Timeout (the 24-hour deadline).</summary>
    public const int Timeout = 52;

    /// <summary>Write error or disk full.</summary>
    public const int WriteError = 53;

    /// <summary>Unable to read the message or envelope.</summary>
    public const int ReadError = 54;

    /// <summary>Unable to read configuration.</summary>
    public const int ConfigError = 55;

    /// <summary>Trouble in the home directory (including an untrusted tree).</summary>
    public const int HomeTrouble = 61;

    /// <summary>Trouble making the pid file.</summary>
    public const int PidTrouble = 63;

    /// <summary>Trouble linking the mess file.</summary>
    public const int MessTrouble = 64;

    /// <summary>Trouble creating the intd file.</summary>
    public const int IntdTrouble = 65;

    /// <summary>Trouble linking the todo file.</summary>
    public const int TodoTrouble = 66;

    /// <summary>Internal bug.</summary>
    public const int InternalBug = 81;

    /// <summary>Envelope format error.</summary>
    public const int EnvelopeFormat = 91;

    /// <summary>What an exit status means to the caller; null for success.</summary>
    public static Failure? Meaning(ExitStatus status)
    {
        if (!status.Exited) return Failure.Temporary("4.3.0", "qq crashed");
        return status.Code switch
        {
            0 => null,
            11 or 115 => Failure.Permanent("5.1.3", "envelope address too long for qq"),
            31 => Failure.Permanent("5.3.0", "mail server permanently rejected message"),
            >= 11 and <= 40 => Failure.Permanent("5.3.0", "qq permanent problem"),
            51 => Failure.Temporary("4.3.0", "qq out of memory"),
            52 => Failure.Temporary("4.3.0", "qq timeout"),
            53 => Failure.Temporary("4.3.0", "qq write error or disk full"),
            54 => Failure.Temporary("4.3.0", "qq read error"),
            55 => Failure.Temporary("4.3.0", "qq unable to read configuration"),
            56 => Failure.Temporary("4.3.0", "qq trouble making network connection"),
            61 => Failure.Temporary("4.3.0", "qq trouble in home directory"),
            >= 62 and <= 66 => Failure.Temporary("4.3.0", "qq trouble creating files in queue"),
            71 => Failure.Temporary("4.3.0", "mail server temporarily rejected message"),
            72 => Failure.Temporary("4.4.1", "connection to mail server timed out"),
            73 => Failure.Temporary("4.4.1", "connection to mail server rejected"),
            74 => Failure.Temporary("4.4.2", "communication with mail server failed"),
            81 or 91 => Failure.Temporary("4.3.0", "qq internal bug"),
            120 => Failure.Temporary("4.3.0", "unable to exec qq"),
            _ => Failure.Temporary("4.3.0", "qq temporary problem"),
        };
    }
}
