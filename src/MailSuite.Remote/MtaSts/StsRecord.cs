// SPDX-License-Identifier: MIT
namespace MailSuite.Remote.MtaSts;

/// <summary>
/// The TXT record at _mta-sts.DOMAIN that announces a policy (RFC 8461 3.1):
/// "v=STSv1; id=ID;" with fields separated by ';', the id 1-32 letters or digits. Records not
/// starting with v=STSv1 are someone else's and ignored; two or more STSv1 records, or one
/// without a valid id, mean no policy is announced (the RFC's words).
/// </summary>
internal static class StsRecord
{
    /// <summary>The announced policy id, or null when there is none. Each record is its strings joined.</summary>
    public static string? IdOf(IEnumerable<string> records)
    {
        string[] sts = records.Where(IsSts).ToArray();
        return sts.Length == 1 ? Id(sts[0]) : null;
    }

    private static bool IsSts(string record) =>
        record.StartsWith("v=STSv1", StringComparison.Ordinal) && Fields(record)[0] == "v=STSv1";

    private static string? Id(string record)
    {
        foreach (string field in Fields(record).Skip(1))
        {
            if (!field.StartsWith("id=", StringComparison.Ordinal)) continue;
            string id = field[3..];
            return id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit) ? id : null;
        }
        return null;
    }

    private static string[] Fields(string record) =>
        record.Split(';').Select(f => f.Trim(' ', '\t')).Where(f => f.Length > 0).DefaultIfEmpty("").ToArray();
}
