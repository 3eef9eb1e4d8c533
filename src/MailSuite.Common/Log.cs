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

    /// <summary>Names the program in every line; call first in Main.</summary>
    public static void Init(string programName) => program = programName;

    /// <summary>The name given to <see cref="Init"/>.</summary>
    public static string Program => program;

    /// <summary>An ordinary event.</summary>
    public static void Info(string text) => Write("info", text);

    /// <summary>Something went wrong but the program goes on.</summary>
    public static void Warning(string text) => Write("warning", text);

    /// <summary>The program cannot go on; it exits after this line.</summary>
    public static void Fatal(string text) => Write("fatal", text);

    /// <summary>An unexpected exception: logged with its type, never its stack (one line).</summary>
    public static void Fatal(Exception e) => Write("fatal", $"internal error: {e.GetType().Name}: {e.Message}");

    /// <summary>Formats a line exactly as it is written, without the newline.</summary>
    public static string Format(string level, string text) => $"{program}: {level}: {Sanitize(text)}";

    /// <summary>Replaces anything but printable ASCII with '_', so one event is one line.</summary>
    public static string Sanitize(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (char c in text)
            b.Append(c is >= ' ' and <= '~' ? c : '_');
        return b.ToString();
    }

    private static void Write(string level, string text)
    {
        byte[] line = Encoding.ASCII.GetBytes(Format(level, text) + "\n");
        try
        {
            using var err = Fd.OpenWrite(2);
            err.Write(line);
        }
        catch (IOException)
        {
            // Nowhere to report that reporting failed; the exit code still tells.
        }
    }
}
