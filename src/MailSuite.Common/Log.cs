// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// The one log format of the suite: "program: level: text", one line on fd 2, written in one
/// write(2) so lines from concurrent processes sharing a log pipe never interleave. Bytes outside
/// printable ASCII become '_' (qmail-log(5)), so a hostile address cannot forge a log line.
/// Daemons (whatever writes to a log file rather than to a person) start each line with the
/// time, ISO 8601 in UTC with microseconds ("2026-11-29T17:40:19.123456Z "): one format for every
/// log, which the statistics tools parse.
/// </summary>
public static class Log
{
    private static string program = "mailsuite";
    private static int logFd = 2;
    private static bool bare;
    private static bool stamped;

    /// <summary>The length of a stamp, its trailing space included.</summary>
    public const int StampLength = 28;

    /// <summary>
    /// Names the program in every line; call first in Main. qmail-send logs to fd 0 (its fd 2 is
    /// qmail-lspawn's report pipe), everything else to fd 2. With <paramref name="withoutName"/> the
    /// lines are qmail-log(5)'s own ("status: ...", "warning: ..."), which qmailanalog parses; the
    /// logger adds the tag.
    /// </summary>
    public static void Init(string programName, int fd = 2, bool withoutName = false, bool timestamps = false)
    {
        program = programName;
        logFd = fd;
        bare = withoutName;
        stamped = timestamps;
    }

    /// <summary>The time as every log line starts with it: "2026-11-29T17:40:19.123456Z".</summary>
    public static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The line without its leading stamp, if it has one (for syslog, which stamps its own).</summary>
    public static string WithoutStamp(string line) =>
        line.Length >= StampLength && line[StampLength - 2] == 'Z' && line[StampLength - 1] == ' ' && line[10] == 'T'
        && DateTime.TryParseExact(line.AsSpan(0, StampLength - 1), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal, out _) ? line[StampLength..] : line;

    /// <summary>The name given to <see cref="Init"/>.</summary>
    public static string Program => program;

    /// <summary>An ordinary event.</summary>
    public static void Info(string text) => Write("info", text);

    /// <summary>A serious problem that needs the administrator (qmail-send's "alert:").</summary>
    public static void Alert(string text) => Write("alert", text);

    /// <summary>A line in qmail-log(5)'s own shape, "program: text" with no level (status, delivery, msg lines).</summary>
    public static void Event(string text) => WriteLine(bare ? Sanitize(text) : $"{program}: {Sanitize(text)}");

    /// <summary>Something went wrong but the program goes on.</summary>
    public static void Warning(string text) => Write("warning", text);

    /// <summary>The program cannot go on; it exits after this line.</summary>
    public static void Fatal(string text) => Write("fatal", text);

    /// <summary>An unexpected exception: logged with its type, never its stack (one line).</summary>
    public static void Fatal(Exception e) => Write("fatal", $"unexpected {e.GetType().Name}: {ErrorText.Of(e)}");

    /// <summary>
    /// Every Main's last catch: the unexpected is one log line and the program's temporary
    /// failure (<paramref name="exitCode"/>), never a crash, a stack dump or a bounce.
    /// </summary>
    public static int Unexpected(Exception e, int exitCode)
    {
        Fatal(e);
        return exitCode;
    }

    /// <summary>Formats a line exactly as it is written, without the newline.</summary>
    public static string Format(string level, string text) =>
        bare ? $"{level}: {Sanitize(text)}" : $"{program}: {level}: {Sanitize(text)}";

    /// <summary>Replaces anything but printable ASCII with '_', so one event is one line.</summary>
    public static string Sanitize(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (char c in text)
            b.Append(c is >= ' ' and <= '~' ? c : '_');
        return b.ToString();
    }

    private static void Write(string level, string text) => WriteLine(Format(level, text));

    private static void WriteLine(string formatted)
    {
        byte[] line = Encoding.ASCII.GetBytes(stamped ? $"{Stamp(DateTime.UtcNow)} {formatted}\n" : formatted + "\n");
        try
        {
            using var err = Fd.OpenWrite(logFd);
            err.Write(line);
        }
        catch (IOException)
        {
            // Nowhere to report that reporting failed; the exit code still tells.
        }
    }
}
