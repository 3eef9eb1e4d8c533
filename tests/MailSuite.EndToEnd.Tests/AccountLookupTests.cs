// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// A password database that does not answer for an account (an LDAP source down; here an entry
// glibc cannot read) is not "no such account": mail for it waits in the queue, nothing bounces,
// and it is delivered once the database answers; checkpassword says "try again" (111), not "wrong".
public sealed class AccountLookupTests : IDisposable
{
    private const string Reason = "unable to look up an entry in the password database: an entry longer than 1 MiB";
    private readonly TempInstall install = new();
    private readonly TestUser elle = new("mstestelle");
    private readonly TestUser dora = new("mstestdora");
    private readonly BrokenPasswd passwd;

    public AccountLookupTests()
    {
        passwd = new BrokenPasswd(dora.Name);   // after TestUser: useradd may have just added dora
    }

    public void Dispose()
    {
        passwd.Dispose();
        install.Dispose();
    }

    [Fact]
    public void Mail_for_an_account_the_database_cannot_look_up_is_deferred_then_delivered_never_bounced()
    {
        foreach (TestUser u in (TestUser[])[elle, dora]) Harness.Ok(install.Bin("setuidgid"), u.Name, install.Bin("maildirmake"), u.Path("Maildir"));
        using MailService service = MailService.Wrapped(install, passwd.Wrapper);
        Ran r = Harness.Run(install.Bin("setuidgid"), [elle.Name, install.Bin("qmail-inject"), dora.Name], stdin: "Subject: wait for me\n\nx\n");
        Assert.True(r.Exit == 0, r.Stderr);

        MailService.WaitUntil(() => service.Log.Contains("deferral:"), "a deferral in the log");
        Assert.Contains(Reason.Replace(' ', '_'), service.Log);
        Assert.Empty(Directory.GetFiles(dora.Path("Maildir/new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(install.Prefix, "alias/Maildir/new")));

        passwd.Repair();
        MailService.Signal("ALRM", service.Pid);
        MailService.WaitUntil(() => Directory.GetFiles(dora.Path("Maildir/new")).Length == 1, "the message in dora's Maildir");
        MailService.WaitUntil(() => service.Log.Contains("end msg"), "the message to end");
        Assert.Contains("subject: wait for me", File.ReadAllText(Directory.GetFiles(dora.Path("Maildir/new"))[0]), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFiles(elle.Path("Maildir/new")));   // no bounce
        Assert.DoesNotContain("failure:", service.Log);
    }

    [Fact]
    public void Checkpassword_is_a_temporary_failure_while_the_database_cannot_look_the_user_up()
    {
        dora.SetPassword("right");
        Ran broken = CheckPassword(dora.Name, "right");
        Assert.Equal(111, broken.Exit);
        Assert.Equal("", broken.Stdout);
        Assert.Contains("unable to check passwords: " + Reason, broken.Stderr);
        Assert.DoesNotContain("login failed", broken.Stderr);

        passwd.Repair();
        Ran repaired = CheckPassword(dora.Name, "right");
        Assert.True(repaired.Exit == 0, repaired.Stderr);
        Assert.Equal(dora.Name + "\n", repaired.Stdout);
    }

    // checkpassword with the login on fd 3, as qmail-popup runs it, seeing the broken database.
    private Ran CheckPassword(string name, string password)
    {
        const string Script = "printf '%s\\0%s\\0<1.2@test>\\0' \"$1\" \"$2\" | \"$3\" id -un 3<&0 </dev/null";
        string[] wrapper = passwd.Wrapper;
        return Harness.Run(wrapper[0], [.. wrapper[1..], "sh", "-c", Script, "sh", name, password, Path.Combine(Harness.Build, "checkpassword")]);
    }
}
