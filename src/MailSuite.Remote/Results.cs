// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Remote;

/// <summary>
/// What qmail-remote reports on fd 1, qmail-remote(8)'s format: per recipient 'r' (accepted), 'h'
/// (permanent failure) or 's' (temporary), text, NUL; then once 'K', 'Z' or 'D', text, NUL.
/// Texts have no NUL; lines are separated by LF. The final report is written once, whatever happens.
/// </summary>
internal sealed class Results(Stream output)
{
    private bool final;

    public void Recipient(char code, string text) => Write(code, text);

    public void Final(char code, string text)
    {
        if (final) return;
        final = true;
        Write(code, text);
    }

    private void Write(char code, string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(code + text.Replace('\0', '?').Replace("\r", "") + "\0");
        output.Write(bytes);
        output.Flush();
    }
}
