// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Common;

/// <summary>
/// A qmail control directory. A missing file means the documented default; a file that exists
/// but cannot be read is a temporary failure (qmail's "unable to read controls"), never an empty
/// value: guessing would turn an administrator's mistake into lost or misrouted mail.
/// </summary>
public sealed class ControlDir(string path)
{
    /// <summary>The directory, such as /var/qmail/control.</summary>
    public string Path { get; } = path;

    /// <summary>The control directory of the running install.</summary>
    public static ControlDir OfThisInstall() => new(Home.Path("control"));

    /// <summary>control/me, or the host name when me is missing.</summary>
    public string Me => Line("me") ?? Environment.MachineName;

    /// <summary>The raw bytes of a control file, or null if it does not exist.</summary>
    public byte[]? Read(string name)
    {
        string file = System.IO.Path.Combine(Path, name);
        try
        {
            using var handle = PosixFile.OpenReadIfExists(file);
            return handle is null ? null : PosixFile.ReadAll(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailureException(Failure.Temporary("4.3.0", $"unable to read controls: {file}: {ErrorText.Of(e)}"));
        }
    }

    /// <summary>The first line of a control file, or null if it does not exist.</summary>
    public string? Line(string name) => Read(name) is { } bytes ? ControlFile.FirstLine(bytes) : null;

    /// <summary>The first line, or <paramref name="fallback"/> if the file does not exist.</summary>
    public string LineOr(string name, string fallback) => Line(name) ?? fallback;

    /// <summary>The first line, or control/me if the file does not exist (qmail's "default: me").</summary>
    public string LineOrMe(string name) => Line(name) ?? Me;

    /// <summary>A number from the first line; missing or not a number means <paramref name="fallback"/>.</summary>
    public long Number(string name, long fallback) => Line(name) is { } line ? ControlFile.Number(line) ?? fallback : fallback;

    /// <summary>The entries of a list file, or null if it does not exist.</summary>
    public List<string>? List(string name) => Read(name) is { } bytes ? ControlFile.Lines(bytes) : null;

    /// <summary>Writes a control file atomically (tmp, fsync, rename) with mode 0644.</summary>
    public void Write(string name, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines) text.Append(line).Append('\n');
        AtomicFile.Write(System.IO.Path.Combine(Path, name), Encoding.Latin1.GetBytes(text.ToString()), mode: Convert.ToInt32("644", 8));
    }
}
