// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// The one log format of the suite: "program: level: text", one line on fd 2, written in one
/// write(2) so lines from concurrent processes sharing a log pipe never interleave. Bytes outside
/// printable ASCII become '_' (qmail-log(5)), so a hostile address cannot forge a log line.
/// </summary>
public static class Log
{
    private static string program = "mailsuite";
    private static int logFd = 2;
    private static bool bare;

    /// <summary>
    /// Names the program in every line; call first in Main. qmail-send logs to fd 0 (its fd 2 is
    /// qmail-lspawn's report pipe), everything else to fd 2. With <paramref name="withoutName"/> the
    /// lines are qmail-log(5)'s own ("status: ...", "warning: ..."), which qmailanalog parses; the
    /// logger adds the tag.
    /// </summary>
    public static void Init(string programName, int fd = 2, bool withoutName = false)
    {
        program = programName;
        logFd = fd;
        bare = withoutName;
    }

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
        byte[] line = Encoding.ASCII.GetBytes(formatted + "\n");
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
