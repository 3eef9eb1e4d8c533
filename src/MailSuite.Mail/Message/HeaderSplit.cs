// SPDX-License-Identifier: MIT
namespace MailSuite.Mail;

/// <summary>
/// Where a message's header ends, as qmail-inject sees it: header lines are "Name: value" (a name
/// of printable characters but ':') and their continuations (lines starting with a space or a
/// tab). The first other line ends the header; if it is empty it belongs to the header, else the
/// body starts right there (a message of body text only, "Hello." piped in, has an empty header).
/// </summary>
public static class HeaderSplit
{
    /// <summary>
    /// The length of the header lines; the body (from there on) starts with its own empty line
    /// when <c>Separated</c>, else one must be written between header and body.
    /// </summary>
    public static (int HeaderLength, bool Separated) Find(byte[] m)
    {
        int pos = 0;
        bool any = false;
        while (pos < m.Length)
        {
            int end = Array.IndexOf(m, (byte)'\n', pos);
            var line = new ReadOnlySpan<byte>(m, pos, (end < 0 ? m.Length : end) - pos);
            if (line.IsEmpty || line is [(byte)'\r']) return (pos, true);
            bool continuation = any && (line[0] == ' ' || line[0] == '\t');
            if (!continuation && !IsField(line)) return (pos, false);
            any = true;
            pos = end < 0 ? m.Length : end + 1;
        }
        return (pos, false);
    }

    private static bool IsField(ReadOnlySpan<byte> line)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0) return false;
        foreach (byte b in line[..colon])
            if (b is <= 32 or >= 127) return false;
        return true;
    }
}
