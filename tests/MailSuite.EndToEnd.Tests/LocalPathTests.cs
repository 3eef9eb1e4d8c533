// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.EndToEnd.Tests;

// The whole local path with its daemons: qmail-inject -> qmail-queue -> qmail-send -> qmail-lspawn
// -> qmail-local, under the real accounts, read back with Debian's mblaze.
public sealed class LocalPathTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly TestUser bob = new("mstestbob");
    private readonly MailService service;

    public LocalPathTests()
    {
        foreach (TestUser u in (TestUser[])[ann, bob]) Harness.Ok(install.Bin("setuidgid"), u.Name, install.Bin("maildirmake"), u.Path("Maildir"));
        service = new MailService(install);
    }

    public void Dispose()
    {
        service.Dispose();
        install.Dispose();
    }

    private Ran Inject(TestUser from, string message, params string[] args) =>
        Harness.Run(install.Bin("setuidgid"), [from.Name, install.Bin("qmail-inject"), .. args], stdin: message);

    private static string[] Delivered(TestUser u, int atLeast = 1) => Delivered(u.Path("Maildir/new"), atLeast);

    private static string[] Delivered(string dir, int atLeast = 1)
    {
        MailService.WaitUntil(() => Directory.GetFiles(dir).Length >= atLeast, $"{atLeast} message(s) in {dir}");
        return Directory.GetFiles(dir).Order().ToArray();
    }

    private string AliasMaildir => Path.Combine(install.Prefix, "alias/Maildir/new");

    [Fact]
    public void Injected_message_lands_in_the_users_maildir_byte_exact()
    {
        const string body = "Hello Bob,\n\nline with trailing space \n.\n..two dots\nFrom the start\n\u00e9t\u00e9 (8-bit)\n";
        Ran r = Inject(ann, $"To: {bob.Name}\nSubject: lunch\n\n{body}");
        Assert.True(r.Exit == 0, r.Stderr);

        string file = Assert.Single(Delivered(bob));
        Assert.Equal($"{bob.Name} -rw-------", Harness.Ok("stat", "-c", "%U %A", file).Stdout.Trim());
        string raw = Harness.Ok("mshow", "-H", "-r", file).Stdout;
        Assert.Equal(File.ReadAllText(file), raw);
        Assert.StartsWith($"Return-Path: <{ann.Name}@mail.example.test>\nDelivered-To: {bob.Name}@mail.example.test\nReceived: (qmail ", raw);
        Assert.Contains($" invoked by uid {ann.Uid}); ", raw);
        Assert.Contains($"\nTo: {bob.Name}@mail.example.test\nSubject: lunch\nFrom: {ann.Name}@mail.example.test\nDate: ", raw);
        Assert.EndsWith("\n\n" + body, raw);
        Assert.Equal("lunch\n", Harness.Ok("mshow", "-q", "-h", "subject", file).Stdout.Replace("Subject: ", ""));
    }

    // What Python's email package makes of a bounce: the report's parts, its per-recipient fields,
    // whether the text is qmail's QSBMF, how often the returned header's Subject occurs, whether the body came back.
    internal const string ParseReport = """
        import email, sys
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
        print(m.get_content_type(), m.get_param('report-type'))
        text, status, header = m.get_payload()
        print(text.get_content_type(), status.get_content_type(), header.get_content_type())
        blocks = status.get_payload()
        print(blocks[0]['Reporting-MTA'])
        for b in blocks[1:]: print(b['Final-Recipient'], b['Action'], b['Status'], b['Diagnostic-Code'])
        body = text.get_payload()
        print('QSBMF' if body.startswith('Hi. This is the qmail-send program at ') and sys.argv[2].encode().decode('unicode_escape') in body and '\n--- ' in body else 'not QSBMF: ' + body)
        print(header.get_payload().count(sys.argv[3]), sys.argv[4] in m.as_string())
        """;

    [Fact]
    public void Unknown_local_user_bounces_to_the_sender_as_a_delivery_status_notification_with_qsbmf_text()
    {
        Assert.Equal(0, Inject(ann, "To: nosuchuser\nSubject: where are you\n\nhello?\n").Exit);
        string file = Assert.Single(Delivered(ann));
        string bounce = File.ReadAllText(file);
        Assert.Contains("\nReturn-Path: <>\n", "\n" + bounce);
        Assert.Contains("\nFrom: MAILER-DAEMON@mail.example.test\n", bounce);
        Assert.Contains("\nSubject: failure notice\n", bounce);
        Assert.Contains("\nAuto-Submitted: auto-replied\n", bounce);
        Ran parsed = Harness.Run("/usr/bin/python3", ["-c", ParseReport, file,
            "\\n<nosuchuser@mail.example.test>:\\nSorry, no mailbox here by that name. (#5.1.1)\\n", "Subject: where are you", "hello?"]);
        Assert.Equal("multipart/report delivery-status\ntext/plain message/delivery-status text/rfc822-headers\ndns; mail.example.test\n" +
            "rfc822; nosuchuser@mail.example.test failed 5.1.1 None\nQSBMF\n1 False\n", parsed.Stdout + parsed.Stderr);
    }

    [Fact]
    public void With_bounceformat_qsbmf_a_bounce_is_qmails_text_and_the_whole_message()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/bounceformat"), "qsbmf\n");
        service.Stop();
        service.Start();
        Assert.Equal(0, Inject(ann, "To: nosuchuser\nSubject: where are you\n\nhello?\n").Exit);
        string bounce = File.ReadAllText(Assert.Single(Delivered(ann)));
        Assert.Contains("\nReturn-Path: <>\n", "\n" + bounce);
        Assert.Contains("\nFrom: MAILER-DAEMON@mail.example.test\n", bounce);
        Assert.Contains("\nSubject: failure notice\n", bounce);
        Assert.Contains("I'm afraid I wasn't able to deliver your message to the following addresses.", bounce);
        Assert.Contains("<nosuchuser@mail.example.test>:\nSorry, no mailbox here by that name. (#5.1.1)\n", bounce);
        Assert.Contains("--- Below this line is a copy of the message.\n\nReturn-Path: <mstestann@mail.example.test>\n", bounce);
        Assert.Contains("\nSubject: where are you\n", bounce);
        Assert.EndsWith("\n\nhello?\n", bounce);
    }

    [Fact]
    public void Bounce_of_a_bounce_goes_to_the_postmaster_and_no_further()
    {
        Assert.Equal(0, Inject(ann, "To: nosuchuser\nSubject: from nobody\n\nx\n", "-f", "").Exit);
        string file = Assert.Single(Delivered(AliasMaildir));
        string doubleBounce = File.ReadAllText(file);
        Assert.Contains("I tried to deliver a bounce message to this address, but the bounce bounced!", doubleBounce);
        Assert.Contains("Delivered-To: postmaster@mail.example.test\n", doubleBounce);
        Assert.Contains("<nosuchuser@mail.example.test>:\nSorry, no mailbox here by that name.", doubleBounce);
        MailService.WaitUntil(() => Directory.GetFiles(Path.Combine(install.Prefix, "queue/info"), "*", SearchOption.AllDirectories).Length == 0, "an empty queue");
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/new")));
    }

    [Fact]
    public void Forwarding_loop_is_stopped_and_bounced()
    {
        ann.Write(".qmail", $"&{bob.Name}@mail.example.test\n");
        bob.Write(".qmail", $"&{ann.Name}\n");
        var carol = new TestUser("mstestcarol");
        Harness.Ok(install.Bin("setuidgid"), carol.Name, install.Bin("maildirmake"), carol.Path("Maildir"));
        Assert.Equal(0, Inject(carol, $"To: {ann.Name}\nSubject: round and round\n\nx\n").Exit);
        string bounce = File.ReadAllText(Assert.Single(Delivered(carol)));
        Assert.Contains("This message is looping: it already has my Delivered-To line. (#5.4.6)", bounce);
    }

    [Fact]
    public void Unwritable_maildir_defers_and_alarm_retries_once_fixed()
    {
        Harness.Ok("chmod", "0500", bob.Path("Maildir/tmp"));
        Assert.Equal(0, Inject(ann, $"To: {bob.Name}\nSubject: later\n\nx\n").Exit);
        MailService.WaitUntil(() => service.Log.Contains("deferral:"), "a deferral in the log");
        Assert.Empty(Directory.GetFiles(bob.Path("Maildir/new")));
        Harness.Ok("chmod", "0700", bob.Path("Maildir/tmp"));
        MailService.Signal("ALRM", service.Pid);
        Delivered(bob);
        MailService.WaitUntil(() => service.Log.Contains("end msg"), "the message to end");
        Assert.Single(Directory.GetFiles(bob.Path("Maildir/new")));
        Assert.Contains("delivery 2: success: did_1+0+0/", service.Log);
    }

    [Fact]
    public void An_unreadable_control_file_at_hup_keeps_the_old_controls_and_delivery_goes_on()
    {
        string locals = Path.Combine(install.Prefix, "control/locals");
        File.SetUnixFileMode(locals, UnixFileMode.UserRead | UnixFileMode.UserWrite);   // root's: qmails cannot read it
        Harness.Ok("chown", "root", locals);
        int send = Assert.Single(service.ProcessIds("qmail-send"));
        MailService.Signal("HUP", send);
        MailService.WaitUntil(() => service.Log.Contains("alert: unable to reread controls, keeping the old ones: unable to read controls: "), "the alert");
        Assert.Contains("locals: permission denied", service.Log);
        Assert.Equal([send], service.ProcessIds("qmail-send"));
        Assert.Equal(0, Inject(ann, "Subject: after hup\n\nx\n", bob.Name).Exit);
        Assert.Contains("Subject: after hup", File.ReadAllText(Assert.Single(Delivered(bob))));
    }

    [Fact]
    public void Each_daemon_runs_under_its_own_account()
    {
        string Owner(string program) => Harness.Ok("ps", "-o", "user=", "-p", Assert.Single(service.ProcessIds(program)).ToString()).Stdout.Trim();
        Assert.Equal("qmails", Owner("qmail-send"));
        Assert.Equal("qmailq", Owner("qmail-clean"));
        Assert.Equal("root", Owner("qmail-lspawn"));
        Assert.Equal("root", Owner("qmail-start"));
    }

    [Fact]
    public void Sendmail_t_takes_recipients_from_the_header_and_drops_bcc()
    {
        Ran r = Harness.Run(install.Bin("setuidgid"), [ann.Name, install.Bin("sendmail"), "-t", "-i"],
            stdin: $"To: {bob.Name}\nBcc: {ann.Name}\nSubject: via sendmail\n\nhi\n");
        Assert.True(r.Exit == 0, r.Stderr);
        string atBob = File.ReadAllText(Assert.Single(Delivered(bob)));
        string atAnn = File.ReadAllText(Assert.Single(Delivered(ann)));
        Assert.DoesNotContain("Bcc:", atBob);
        Assert.DoesNotContain("Bcc:", atAnn);
        Assert.Contains("Subject: via sendmail\n", atAnn);
    }

    [Fact]
    public void Users_assign_compiled_by_qmail_newu_routes_addresses()
    {
        string gid = Harness.Ok("id", "-g", bob.Name).Stdout.Trim();
        File.WriteAllText(Path.Combine(install.Prefix, "users/assign"),
            $"=info:{bob.Name}:{bob.Uid}:{gid}:{bob.Home}:::\n+list-:{bob.Name}:{bob.Uid}:{gid}:{bob.Home}:-:lists-:\n.\n");
        Harness.Ok(install.Bin("qmail-newu"));
        bob.Write(".qmail-lists-default", "./Maildir/\n");

        Assert.Equal(0, Inject(ann, "To: info, list-Foo\nSubject: assigned\n\nx\n").Exit);

        string[] files = Delivered(bob, atLeast: 2);
        string both = string.Concat(files.Select(File.ReadAllText));
        Assert.Contains("Delivered-To: info@mail.example.test\n", both);
        Assert.Contains("Delivered-To: list-Foo@mail.example.test\n", both);
    }

    [Fact]
    public void Qmail_newu_refuses_an_assign_file_without_its_final_dot()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "users/assign"), "=info:x:1:1:/tmp:::\n");
        Ran r = Harness.Run(install.Bin("qmail-newu"), []);
        Assert.Equal(111, r.Exit);
        Assert.Contains("does not end with a line containing a single dot", r.Stderr);
        Assert.False(File.Exists(Path.Combine(install.Prefix, "users/cdb")));
    }

    [Fact]
    public void Virtual_domain_is_delivered_locally_with_its_prepend()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/virtualdomains"), $"virtual.example:{bob.Name}-v\n");
        service.Stop();
        service.Start();
        bob.Write(".qmail-v-default", "./Maildir/\n");
        Assert.Equal(0, Inject(ann, "To: info@virtual.example\nSubject: virtual\n\nx\n").Exit);
        string file = Assert.Single(Delivered(bob));
        Assert.Contains($"Delivered-To: {bob.Name}-v-info@virtual.example\n", File.ReadAllText(file));
    }

    [Fact]
    public void Remote_recipient_waits_in_the_queue_with_a_clear_log_line()
    {
        Assert.Equal(0, Inject(ann, "To: someone@remote.example\nSubject: out\n\nx\n").Exit);
        MailService.WaitUntil(() => service.Log.Contains("to remote someone@remote.example"), "the remote attempt");
        MailService.WaitUntil(() => service.Log.Contains("deferral: Sorry,_I_wasn't_able_to_establish_an_SMTP_connection_to_[127.0.0.1]_(127.0.0.1):_connection_refused._(#4.4.1)"), "the deferral");
        Assert.Single(Directory.GetFiles(Path.Combine(install.Prefix, "queue/remote"), "*", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/new")));
    }

    [Fact]
    public void Past_queuelifetime_a_deferral_becomes_a_bounce()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/queuelifetime"), "0\n");
        service.Stop();
        service.Start();
        Assert.Equal(0, Inject(ann, "To: someone@remote.example\nSubject: too late\n\nx\n").Exit);
        MailService.WaitUntil(() => service.Log.Contains("deferral:"), "the first deferral");
        Thread.Sleep(1100);   // the lifetime is counted in whole seconds: let one pass, then retry now
        MailService.Signal("ALRM", service.Pid);
        string bounce = File.ReadAllText(Assert.Single(Delivered(ann)));
        Assert.Contains("<someone@remote.example>:\nSorry, I wasn't able to establish an SMTP connection to [127.0.0.1] (127.0.0.1): connection refused. (#4.4.1)", bounce);
        Assert.Contains("I'm not going to try again; this message has been in the queue too long.", bounce);
    }

    [Fact]
    public void Term_stops_cleanly_and_the_queue_resumes_after_a_restart()
    {
        Harness.Ok("chmod", "0500", bob.Path("Maildir/tmp"));
        Assert.Equal(0, Inject(ann, $"To: {bob.Name}\nSubject: kept\n\nx\n").Exit);
        MailService.WaitUntil(() => service.Log.Contains("deferral:"), "a deferral");
        Assert.Equal(0, service.Stop());
        Assert.Contains("status: exiting", service.Log);
        Assert.Empty(service.ProcessIds("qmail-send"));
        Assert.Empty(service.ProcessIds("qmail-lspawn"));
        Assert.Empty(service.ProcessIds("qmail-clean"));
        Harness.Ok("chmod", "0700", bob.Path("Maildir/tmp"));
        service.Start();
        MailService.Signal("ALRM", service.Pid);
        Assert.Single(Delivered(bob));
    }

    // New mail is preprocessed 64 messages at a time, each batch made durable with one sync:
    // delivery of the first batch starts before the rest of a burst is preprocessed, and the
    // whole burst arrives with the queue as qmail-qcheck wants it.
    [Fact]
    public void A_burst_of_new_mail_is_delivered_while_the_rest_is_still_being_preprocessed()
    {
        const int Burst = 200;
        Assert.Equal(0, service.Stop());
        for (int i = 0; i < Burst; i++) Assert.Equal(0, Inject(ann, $"To: {bob.Name}\nSubject: burst {i}\n\nx\n").Exit);
        service.Start();
        Assert.Equal(Burst, Delivered(bob, Burst).Length);
        MailService.WaitUntil(() => service.Log.Split("end msg ").Length - 1 == Burst, "every message to end");
        string log = service.Log;
        Assert.True(log.IndexOf("starting delivery ", StringComparison.Ordinal) < log.LastIndexOf("new msg ", StringComparison.Ordinal),
            "every message was preprocessed before the first delivery started");
        Ran check = Harness.Run(install.Bin("qmail-qcheck"), []);
        Assert.True(check.Exit == 0, check.Stdout + check.Stderr);
        Assert.Equal(Enumerable.Range(0, Burst).Select(i => $"burst {i}").Order(), Delivered(bob, Burst)
            .Select(f => File.ReadLines(f).First(l => l.StartsWith("Subject: ", StringComparison.Ordinal))[9..]).Order());
    }

    // qmail-send keeps no recipients between passes: the next pass, here after a restart, reads
    // them from local/n, and the one already delivered (marked D there) is not delivered again.
    [Fact]
    public void After_a_restart_only_the_deferred_recipient_gets_the_message()
    {
        Harness.Ok("chmod", "0500", bob.Path("Maildir/tmp"));
        Assert.Equal(0, Inject(ann, $"To: {bob.Name}, {ann.Name}\nSubject: half\n\nx\n").Exit);
        Delivered(ann);
        MailService.WaitUntil(() => service.Log.Contains("deferral:"), "bob's deferral");
        Assert.Equal(0, service.Stop());
        Harness.Ok("chmod", "0700", bob.Path("Maildir/tmp"));
        service.Start();
        MailService.Signal("ALRM", service.Pid);
        Delivered(bob);
        MailService.WaitUntil(() => service.Log.Contains("end msg"), "the message to end");
        Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));
        Assert.Single(Directory.GetFiles(bob.Path("Maildir/new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Full_disk_defers_and_leaves_no_partial_message()
    {
        string maildir = bob.Path("Maildir");
        Harness.Ok("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", maildir);
        try
        {
            Harness.Ok("chown", bob.Name, maildir);
            foreach (string d in (string[])["tmp", "new", "cur"]) Harness.Ok(install.Bin("setuidgid"), bob.Name, "mkdir", "-m", "0700", Path.Combine(maildir, d));
            string big = new('x', 100 * 1024);
            Assert.Equal(0, Inject(ann, $"To: {bob.Name}\nSubject: too big\n\n{big}\n").Exit);
            MailService.WaitUntil(() => service.Log.Contains("deferral:"), "a deferral");
            Assert.Contains("Unable_to_write_maildir", service.Log);
            Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "new")));
            Assert.Empty(Directory.GetFiles(Path.Combine(maildir, "tmp")));
            Assert.Single(Directory.GetFiles(Path.Combine(install.Prefix, "queue/mess"), "*", SearchOption.AllDirectories));
        }
        finally
        {
            service.Stop();
            Harness.Ok("umount", maildir);
        }
    }

    [Fact]
    public void Inject_honours_qmails_environment_and_completes_names()
    {
        File.WriteAllText(Path.Combine(install.Prefix, "control/defaultdomain"), "example.org\n");
        File.WriteAllText(Path.Combine(install.Prefix, "control/plusdomain"), "example.net\n");
        Ran r = Harness.Run(install.Bin("qmail-inject"), ["-n"], stdin: "To: joe@host, ann@sales+\nSubject: s\n\nbody\n",
            env: new Dictionary<string, string> { ["QMAILUSER"] = "boss", ["QMAILHOST"] = "corp.example", ["QMAILNAME"] = "The Boss" });
        Assert.Equal(0, r.Exit);
        Assert.StartsWith("Fboss@corp.example\nTjoe@host.example.org\nTann@sales.example.net\nTo: joe@host.example.org, ann@sales.example.net\n", r.Stdout);
        Assert.Contains("\nFrom: The Boss <boss@corp.example>\n", r.Stdout);
        Assert.Matches("\nMessage-ID: <[^>]+@mail.example.test>\n", r.Stdout);
        Assert.EndsWith("\n\nbody\n", r.Stdout);
    }

    [Fact]
    public void Leftovers_of_a_crashed_qmail_queue_are_removed_after_36_hours()
    {
        service.Stop();
        string queue = Path.Combine(install.Prefix, "queue");
        string oldMess = Path.Combine(queue, "mess/19/1234567"), oldIntd = Path.Combine(queue, "intd/1234567");
        string youngMess = Path.Combine(queue, "mess/20/1234568");
        foreach (string f in (string[])[oldMess, oldIntd, youngMess]) File.WriteAllText(f, "half a message");
        Harness.Ok("touch", "-d", "37 hours ago", oldMess, oldIntd);
        service.Start();
        MailService.WaitUntil(() => service.Log.Contains("removing ossified mess/19/1234567"), "the cleanup");
        MailService.WaitUntil(() => !File.Exists(oldMess) && !File.Exists(oldIntd), "the old files to go");
        Assert.True(File.Exists(youngMess));
        File.Delete(youngMess);
    }

    [Fact]
    public void A_message_of_body_text_only_gets_a_header_and_keeps_its_text()
    {
        Assert.Equal(0, Inject(ann, "Hello.\nSecond line: not a header field.\n", bob.Name).Exit);
        string text = File.ReadAllText(Assert.Single(Delivered(bob)));
        Assert.Contains($"\nFrom: {ann.Name}@mail.example.test\n", text);
        Assert.Contains("\nCc: recipient list not shown: ;\n", text);
        Assert.EndsWith("\n\nHello.\nSecond line: not a header field.\n", text);
    }
}
