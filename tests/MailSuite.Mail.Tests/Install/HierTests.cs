// SPDX-License-Identifier: MIT
using MailSuite.Mail;

namespace MailSuite.Mail.Tests.Install;

public class HierTests
{
    [Fact]
    public void Every_parent_comes_before_its_children()
    {
        var seen = new HashSet<string> { "" };
        foreach (HierEntry e in Hier.Entries.Skip(1))
        {
            string parent = Path.GetDirectoryName(e.Path) ?? "";
            Assert.True(seen.Contains(parent), $"{e.Path} comes before its parent {parent}");
            seen.Add(e.Path);
        }
    }

    [Fact]
    public void Paths_are_unique() =>
        Assert.Equal(Hier.Entries.Count, Hier.Entries.Select(e => e.Path).Distinct().Count());

    [Fact]
    public void Queue_is_qmails_layout()
    {
        HierEntry Find(string p) => Hier.Entries.Single(e => e.Path == p);
        Assert.Equal((Role.Qmailq, "750"), (Find("queue").Owner, Convert.ToString(Find("queue").Mode, 8)));
        Assert.Equal((Role.Qmails, "700"), (Find("queue/info/22").Owner, Convert.ToString(Find("queue/info/22").Mode, 8)));
        Assert.Equal((Role.Qmailq, "750"), (Find("queue/mess/0").Owner, Convert.ToString(Find("queue/mess/0").Mode, 8)));
        Assert.Equal(HierKind.Fifo, Find("queue/lock/trigger").Kind);
        Assert.Equal("622", Convert.ToString(Find("queue/lock/trigger").Mode, 8));
        Assert.Equal(1024, Find("queue/lock/tcpto").Size);
        Assert.DoesNotContain(Hier.Entries, e => e.Path == "queue/mess/23");
    }
}
