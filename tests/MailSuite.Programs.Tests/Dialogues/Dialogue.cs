// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace MailSuite.Programs.Tests.Dialogues;

/// <summary>
/// A C:/S: transcript from tests/TestData/dialogues: what the client sends, as bytes, and what the
/// server must answer, line by line (an expected line ending in "..." is a prefix).
/// </summary>
public sealed class Dialogue
{
    public required string Name { get; init; }
    public required byte[] Input { get; init; }
    public required IReadOnlyList<string> Expected { get; init; }

    /// <summary>R: lines: what qmail-remote reports on fd 1, one record a line (escapes as in C: lines).</summary>
    public IReadOnlyList<string> Results { get; init; } = [];

    /// <summary>"S: " when we are the server, "C: " when we are the client: how our lines are written.</summary>
    public string OurPrefix { get; init; } = "S: ";

    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MailSuite.sln"))) return Path.Combine(d.FullName, "tests", "TestData", "dialogues");
        throw new InvalidOperationException("MailSuite.sln not found");
    }

    /// <summary>Every transcript of one program's folder, by file name.</summary>
    public static TheoryData<string> Names(string program) =>
        new(Directory.GetFiles(Path.Combine(Root, program), "*.txt").Select(Path.GetFileName).Order().ToArray()!);

    /// <summary>A transcript where we are the server: C: lines are the input, S: lines the expected answer.</summary>
    public static Dialogue Load(string program, string name) => Load(program, name, ourPrefix: "S: ", theirPrefix: "C: ");

    /// <summary>A transcript where we are the client (qmail-remote): S: lines are the peer's input, C: lines what we must send.</summary>
    public static Dialogue LoadClientSide(string program, string name) => Load(program, name, ourPrefix: "C: ", theirPrefix: "S: ");

    private static Dialogue Load(string program, string name, string ourPrefix, string theirPrefix)
    {
        var input = new MemoryStream();
        var expected = new List<string>();
        var results = new List<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(Root, program, name)))
        {
            if (line.StartsWith(theirPrefix, StringComparison.Ordinal)) input.Write(Unescape(line[3..]).Append((byte)'\r').Append((byte)'\n').ToArray());
            else if (line.StartsWith(ourPrefix, StringComparison.Ordinal)) expected.Add(line[3..]);
            else if (line.StartsWith("R: ", StringComparison.Ordinal)) results.Add(Encoding.Latin1.GetString([.. Unescape(line[3..])]));
            else if (line.Length > 0 && !line.StartsWith('#')) throw new FormatException($"{name}: not a C:, S:, R: or # line: {line}");
        }
        return new Dialogue { Name = name, Input = input.ToArray(), Expected = expected, Results = results, OurPrefix = ourPrefix };
    }

    /// <summary>Compares the server's output with the expected lines; the first difference, or null.</summary>
    public string? Mismatch(byte[] output)
    {
        string[] got = Encoding.Latin1.GetString(output).Split("\r\n");
        if (got.Length > 0 && got[^1].Length == 0) got = got[..^1];
        for (int i = 0; i < Math.Max(got.Length, Expected.Count); i++)
        {
            string? g = i < got.Length ? got[i] : null, e = i < Expected.Count ? Expected[i] : null;
            bool same = e is not null && g is not null && (e.EndsWith("...", StringComparison.Ordinal) ? g.StartsWith(e[..^3], StringComparison.Ordinal) : g == e);
            if (!same)
                return $"{Name}, reply {i + 1}: expected {e ?? "(nothing)"}, got {g ?? "(nothing)"}; the whole answer:\n" +
                       string.Concat(got.Select(l => $"{OurPrefix}{l}\n"));
        }
        return null;
    }

    // \0 \r \n \t \\ and \xHH: the bytes a hostile client sends.
    private static List<byte> Unescape(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length) { bytes.Add((byte)text[i]); continue; }
            char c = text[++i];
            switch (c)
            {
                case '0': bytes.Add(0); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'x': bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                default: bytes.Add((byte)c); break;
            }
        }
        return bytes;
    }
}
