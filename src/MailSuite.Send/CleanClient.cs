// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Send;

/// <summary>Asks qmail-clean (fd 5 requests, fd 6 answers) to remove files qmail-send may not.</summary>
internal sealed class CleanClient(Stream requests, Stream answers)
{
    /// <summary>"todo/n" or "foop/n"; true if qmail-clean answered '+'.</summary>
    public bool Request(string what)
    {
        requests.Write(Encoding.ASCII.GetBytes(what + "\0"));
        int answer = answers.ReadByte();
        if (answer < 0) throw new IOException("lost qmail-clean connection");
        return answer == '+';
    }
}
