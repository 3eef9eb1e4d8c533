// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;

namespace MailSuite.Remote.MtaSts;

/// <summary>A policy as fetched: the TXT id it was fetched under and when.</summary>
internal sealed record CachedPolicy(string Id, DateTimeOffset Fetched, StsPolicy Policy, string Text)
{
    public bool ExpiredAt(DateTimeOffset now) => now >= Fetched.AddSeconds(Policy.MaxAge);

    /// <summary>Past half its max_age a policy is fetched again when its id is unchanged (RFC 8461 10.2: refresh before expiry).</summary>
    public bool StaleAt(DateTimeOffset now) => now >= Fetched.AddSeconds(Policy.MaxAge / 2);
}

/// <summary>
/// Policies kept between deliveries (RFC 8461 5.1): queue/mtasts/DOMAIN, qmailr's, one file per
/// policy domain holding the id, the fetch time (Unix seconds) and the policy as served. A file
/// that cannot be read or parsed is as none; an expired one is removed when found. Written
/// atomically; at most MaxDomains files, so no stream of domains fills the disk.
/// </summary>
internal sealed class StsCache(string dir)
{
    public const int MaxDomains = 10000;
    private const int MaxFile = PolicyFetcher.MaxPolicy + 256;

    public CachedPolicy? Load(string domain, DateTimeOffset now)
    {
        string path = Path.Combine(dir, domain);
        CachedPolicy? cached = Read(path);
        if (cached is null || !cached.ExpiredAt(now)) return cached;
        TryDelete(path);
        return null;
    }

    public void Save(string domain, CachedPolicy policy)
    {
        string path = Path.Combine(dir, domain);
        try
        {
            if (!File.Exists(path) && Directory.EnumerateFiles(dir).Take(MaxDomains).Count() >= MaxDomains)
            {
                Log.Warning($"MTA-STS: {dir} holds {MaxDomains} policies already; the policy of {domain} is used but not kept");
                return;
            }
            string text = $"{policy.Id}\n{policy.Fetched.ToUnixTimeSeconds()}\n{policy.Text}";
            AtomicFile.Write(path, Encoding.UTF8.GetBytes(text), Convert.ToInt32("600", 8));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FailureException)
        {
            Log.Warning($"MTA-STS: unable to keep the policy of {domain} in {dir}: {ErrorText.Of(e)}");
        }
    }

    private static CachedPolicy? Read(string path)
    {
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read);
            var buffer = new byte[MaxFile];
            text = Encoding.UTF8.GetString(buffer, 0, file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning($"MTA-STS: unable to read {path}: {ErrorText.Of(e)}");
            return null;
        }
        string[] parts = text.Split('\n', 3);
        if (parts.Length < 3 || !long.TryParse(parts[1], out long fetched) || fetched is < 0 or > 253402300799) return null;
        StsPolicy? policy = StsPolicy.Parse(parts[2], out _);
        return policy is null ? null : new CachedPolicy(parts[0], DateTimeOffset.FromUnixTimeSeconds(fetched), policy, parts[2]);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another delivery's cleaning or a read-only cache: the expired policy is ignored anyway.
        }
    }
}
