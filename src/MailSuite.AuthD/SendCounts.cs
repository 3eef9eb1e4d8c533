// SPDX-License-Identifier: MIT
namespace MailSuite.AuthD;

/// <summary>
/// Messages each authenticated user started lately, for control/sendlimit: a user may start
/// MESSAGES within SECONDS from their first one; the window then starts again. Kept here because
/// every qmail-smtpd is its own process and the count must span them all. At most MaxUsers are
/// remembered; past that, finished windows go, and a user who still finds no room is refused
/// (a temporary answer: never a way round the limit).
/// </summary>
internal sealed class SendCounts
{
    private const int MaxUsers = 100_000;
    private readonly Dictionary<string, (int Count, long WindowStart)> users = [];

    /// <summary>True (and counted) when the user may start one more message now.</summary>
    public bool TryCount(string user, int messages, long seconds, long now)
    {
        lock (users)
        {
            if (!users.TryGetValue(user, out var entry) || now - entry.WindowStart >= seconds)
            {
                if (!users.ContainsKey(user) && users.Count >= MaxUsers) Prune(now, seconds);
                if (!users.ContainsKey(user) && users.Count >= MaxUsers) return false;
                entry = (0, now);
            }
            if (entry.Count >= messages) return false;
            users[user] = (entry.Count + 1, entry.WindowStart);
            return true;
        }
    }

    private void Prune(long now, long seconds)
    {
        foreach (var (user, entry) in users.ToList())
            if (now - entry.WindowStart >= seconds) users.Remove(user);
    }
}
