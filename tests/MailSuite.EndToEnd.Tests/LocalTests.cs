// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.EndToEnd.Tests;

// qmail-local run as the recipient (as qmail-lspawn runs it), read back with Debian's readers.
public sealed class LocalTests : IDisposable
{
    private const string Message = "From: joe@example.com\nTo: ann@mail.example.test\nSubject: test\n\nHello Ann.\nFrom here on, quoting.\n";
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly string work = Directory.CreateTempSubdirectory("local").FullName;

    public LocalTests() => Harness.Ok("chmod", "0755", work);

    public void Dispose()
    {
        install.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private Ran Deliver(string dash = "", string ext = "", string message = Message, string defaultDelivery = "./Maildir/", string local = "mstestann",
        string sender = "joe@example.com", string? home = null, IDictionary<string, string>? env = null)
    {
        string msg = Path.Combine(work, "msg");
        File.WriteAllText(msg, message, Encoding.Latin1);
        Harness.Ok("chmod", "0644", msg);
        string args = string.Join(' ', new[] { "--", ann.Name, home ?? ann.Home, local, dash, ext, "mail.example.test", sender, defaultDelivery }
            .Select(a => $"'{a}'"));
        return Harness.Run(install.Bin("setuidgid"), [ann.Name, "/bin/sh", "-c", $"exec {install.Bin("qmail-local")} {args} <{msg}"], env: env);
    }

    private void MakeMaildir() => Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));

    [Fact]
    public void Maildir_delivery_is_owned_by_the_user_and_byte_exact_for_mblaze()
    {
        MakeMaildir();
        Ran r = Deliver();
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Equal("did 1+0+0\n", r.Stdout);
        string file = Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/tmp")));
        Assert.Equal($"{ann.Name} -rw-------", Harness.Ok("stat", "-c", "%U %A", file).Stdout.Trim());
        string expected = "Return-Path: <joe@example.com>\nDelivered-To: mstestann@mail.example.test\n" + Message;
        Assert.Equal(file + "\n", Harness.Ok("mlist", ann.Path("Maildir")).Stdout);
        Assert.Equal(expected, Harness.Ok("mshow", "-H", "-r", file).Stdout);
        Assert.Equal("test\n", Harness.Ok("mshow", "-q", "-h", "subject", file).Stdout.Replace("Subject: ", ""));
    }

    [Fact]
    public void Mbox_delivery_is_read_back_by_pythons_mailbox_with_from_quoting()
    {
        ann.Write(".qmail", "./Mailbox\n");
        Assert.Equal(0, Deliver().Exit);
        Assert.Equal(0, Deliver(message: "Subject: second\n\nno final newline").Exit);
        string script = "import mailbox,sys\nfor m in mailbox.mbox(sys.argv[1]): sys.stdout.write(m.get_from()[:15] + '|' + m['Subject'] + '|' + repr(m.get_payload()) + '\\n')";
        Ran read = Harness.Ok("python3", "-c", script, ann.Path("Mailbox"));
        Assert.Equal("joe@example.com|test|'Hello Ann.\\n>From here on, quoting.\\n'\njoe@example.com|second|'no final newline\\n'\n", read.Stdout);
        Assert.Equal($"{ann.Name} -rw-------", Harness.Ok("stat", "-c", "%U %A", ann.Path("Mailbox")).Stdout.Trim());
    }

    [Fact]
    public void A_sender_with_a_newline_cannot_write_header_lines_through_ufline_or_the_mbox_from_line()
    {
        ann.Write(".qmail", "|printf '%s' \"$UFLINE\" > ufline\n./Mailbox\n");
        Ran r = Deliver(sender: "evil\nX-Injected: yes\tand@x.test");
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        string ufline = File.ReadAllText(ann.Path("ufline"));
        Assert.StartsWith("From evil-X-Injected:-yes-and@x.test ", ufline);
        Assert.Single(ufline, '\n');
        Assert.StartsWith("From evil-X-Injected:-yes-and@x.test ", File.ReadAllText(ann.Path("Mailbox")));
        Assert.DoesNotContain("\nX-Injected", File.ReadAllText(ann.Path("Mailbox")));
    }

    // A program line finds the install's helpers and the system's programs, never what the PATH
    // of whoever started the service would put first.
    [Fact]
    public void A_program_line_runs_with_the_installs_fixed_path()
    {
        string evil = Path.Combine(work, "evil");
        Directory.CreateDirectory(evil);
        File.WriteAllText(Path.Combine(evil, "id"), "#!/bin/sh\necho hijacked > hijacked\n");
        Harness.Ok("chmod", "0755", evil, Path.Combine(evil, "id"));
        ann.Write(".qmail", "|printf '%s' \"$PATH\" > path; id -u > uid\n");   // id is no shell builtin
        Ran r = Deliver(env: new Dictionary<string, string> { ["PATH"] = $"{evil}:/usr/bin:/bin" });
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Equal($"{install.Prefix}/bin:/usr/local/bin:/usr/bin:/bin", File.ReadAllText(ann.Path("path")));
        Assert.Equal(ann.Uid + "\n", File.ReadAllText(ann.Path("uid")));
        Assert.False(File.Exists(ann.Path("hijacked")));
    }

    [Fact]
    public void A_symlinked_home_and_a_symlinked_dot_qmail_file_are_followed_as_qmail_does()
    {
        MakeMaildir();
        ann.Write("dotqmail-target", "./Maildir/\n");
        File.CreateSymbolicLink(ann.Path(".qmail-sym"), "dotqmail-target");
        Ran viaLink = Deliver(dash: "-", ext: "sym", local: "mstestann-sym");
        Assert.True(viaLink.Exit == 0, viaLink.Stdout + viaLink.Stderr);
        string link = Path.Combine(work, "home-link");
        File.CreateSymbolicLink(link, ann.Home);
        Ran viaHomeLink = Deliver(home: link);
        Assert.True(viaHomeLink.Exit == 0, viaHomeLink.Stdout + viaHomeLink.Stderr);
        Assert.Equal(2, Directory.GetFiles(ann.Path("Maildir/new")).Length);
    }

    [Theory]
    [InlineData(0, 0, "did 0+0+2\n", "first\nsecond\n")]
    [InlineData(99, 0, "did 0+0+1\n", "first\n")]
    [InlineData(100, 100, "", "first\n")]
    [InlineData(64, 100, "", "first\n")]
    [InlineData(111, 111, "", "first\n")]
    [InlineData(1, 111, "", "first\n")]
    public void Program_exit_codes_mean_what_qmail_command_says(int programExit, int localExit, string report, string ran)
    {
        ann.Write(".qmail", $"|echo first >> ran; cat > copy; exit {programExit}\n|echo second >> ran\n");
        Ran r = Deliver();
        Assert.Equal(localExit, r.Exit);
        if (report.Length > 0) Assert.Equal(report, r.Stdout);
        Assert.Equal(ran, File.ReadAllText(ann.Path("ran")));
        Assert.Equal(Message, File.ReadAllText(ann.Path("copy")));   // no Return-Path/Delivered-To on a program's input
    }

    [Fact]
    public void Program_gets_qmails_environment_and_default_files_match_extensions()
    {
        ann.Write(".qmail-lists-default", "|env | grep -E '^(SENDER|RECIPIENT|LOCAL|EXT|EXT2|DEFAULT|HOST|HOST2|USER|HOME)=' | sort > env\n");
        Ran r = Deliver(dash: "-", ext: "lists-qmail", local: "mstestann-lists-qmail");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal(
            $"DEFAULT=qmail\nEXT2=qmail\nEXT=lists-qmail\nHOME={ann.Home}\nHOST2=mail.example\nHOST=mail.example.test\nLOCAL=mstestann-lists-qmail\n" +
            $"RECIPIENT=mstestann-lists-qmail@mail.example.test\nSENDER=joe@example.com\nUSER={ann.Name}\n",
            File.ReadAllText(ann.Path("env")));
    }

    [Fact]
    public void Unknown_extension_bounces_and_a_loop_is_stopped()
    {
        Ran unknown = Deliver(dash: "-", ext: "nosuch", local: "mstestann-nosuch");
        Assert.Equal(100, unknown.Exit);
        Assert.Equal("Sorry, no mailbox here by that name. (#5.1.1)\n", unknown.Stderr);

        MakeMaildir();
        Ran loop = Deliver(message: "Delivered-To: mstestann@mail.example.test\n" + Message);
        Assert.Equal(100, loop.Exit);
        Assert.Contains("This message is looping: it already has my Delivered-To line. (#5.4.6)", loop.Stderr);
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/new")));
    }

    [Fact]
    public void Unwritable_maildir_defers_and_nothing_is_left_half_written()
    {
        MakeMaildir();
        Harness.Ok("chmod", "0500", ann.Path("Maildir/tmp"));
        Ran r = Deliver();
        Assert.Equal(111, r.Exit);
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/new")));
        Harness.Ok("chmod", "0700", ann.Path("Maildir/tmp"));
        Assert.Equal(0, Deliver().Exit);
        Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));
    }

    [Fact]
    public void World_writable_dot_qmail_defers()
    {
        ann.Write(".qmail", "./Maildir/\n");
        Harness.Ok("chmod", "0666", ann.Path(".qmail"));
        Ran r = Deliver();
        Assert.Equal(111, r.Exit);
        Assert.Contains("Uh-oh: .qmail file is writable. (#4.7.0)", r.Stderr);
    }

    [Fact]
    public void Forward_is_queued_with_the_delivered_to_line_on_top()
    {
        ann.Write(".qmail", "&bob@elsewhere.example\ncarol@elsewhere.example\n");
        Ran r = Deliver();
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Matches("^did 0\\+2\\+0\nqp \\d+\n$", r.Stdout);
        string todo = Assert.Single(Directory.GetFiles(Path.Combine(install.Prefix, "queue/todo")));
        string n = Path.GetFileName(todo);
        Assert.Matches($"^u{ann.Uid}\0p\\d+\0Fjoe@example.com\0Tbob@elsewhere.example\0Tcarol@elsewhere.example\0$", File.ReadAllText(todo));
        string mess = File.ReadAllText(Path.Combine(install.Prefix, "queue/mess", (ulong.Parse(n) % 23).ToString(), n));
        Assert.Matches($"^Received: \\(qmail \\d+ invoked by uid {ann.Uid}\\); .*\nDelivered-To: mstestann@mail.example.test\n{Message.Replace("\n", "\\n")}$".Replace("\\n", "\n"), mess);
    }

    private string[] Todo() => Directory.GetFiles(Path.Combine(install.Prefix, "queue/todo"));

    private string QueuedMessage(string todo)
    {
        string n = Path.GetFileName(todo);
        return File.ReadAllText(Path.Combine(install.Prefix, "queue/mess", (ulong.Parse(n) % 23).ToString(), n));
    }

    // qmail's helpers, found through the fixed PATH as a user's .qmail names them.
    [Fact]
    public void Preline_puts_the_from_return_path_and_delivered_to_lines_on_top()
    {
        ann.Write(".qmail", "|preline sh -c 'cat > got'\n");
        Ran r = Deliver();
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        string got = File.ReadAllText(ann.Path("got"));
        Assert.StartsWith("From joe@example.com ", got);
        Assert.EndsWith("\nReturn-Path: <joe@example.com>\nDelivered-To: mstestann@mail.example.test\n" + Message, got);

        string big = "Subject: big\n\n" + string.Concat(Enumerable.Repeat(new string('x', 999) + "\n", 3000));
        ann.Write(".qmail", "|preline -dfr sh -c 'cat > got'\n");
        Assert.Equal(0, Deliver(message: big).Exit);
        Assert.Equal(big, File.ReadAllText(ann.Path("got")));
    }

    [Fact]
    public void Bouncesaying_bounces_when_its_program_says_yes_and_lets_the_file_go_on_otherwise()
    {
        MakeMaildir();
        ann.Write(".qmail", "|bouncesaying 'Gone fishing.' grep -q '^Subject: test'\n./Maildir/\n");
        Ran bounced = Deliver();
        Assert.Equal(100, bounced.Exit);
        Assert.Contains("Gone fishing.", bounced.Stdout + bounced.Stderr);
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/new")));

        ann.Write(".qmail", "|bouncesaying 'Gone fishing.' grep -q '^Subject: other'\n./Maildir/\n");
        Assert.Equal(0, Deliver().Exit);
        Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));

        ann.Write(".qmail", "|bouncesaying 'This address no longer accepts mail.'\n./Maildir/\n");
        Ran always = Deliver();
        Assert.Equal(100, always.Exit);
        Assert.Contains("This address no longer accepts mail.", always.Stdout + always.Stderr);

        ann.Write(".qmail", "|bouncesaying 'Later.' sh -c 'exit 111'\n./Maildir/\n");
        Assert.Equal(111, Deliver().Exit);
    }

    [Fact]
    public void Except_reverses_its_programs_verdict()
    {
        MakeMaildir();
        ann.Write(".qmail", "|except grep -q '^Subject: test'\n./Maildir/\n");
        Assert.Equal(100, Deliver().Exit);
        ann.Write(".qmail", "|except grep -q '^Subject: other'\n./Maildir/\n");
        Assert.Equal(0, Deliver().Exit);
        Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));
    }

    [Fact]
    public void Condredirect_forwards_and_stops_the_file_when_its_program_says_yes()
    {
        MakeMaildir();
        ann.Write(".qmail", "|condredirect bob@elsewhere.example grep -q '^Subject: other'\n./Maildir/\n");
        Assert.Equal(0, Deliver().Exit);
        Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));
        Assert.Empty(Todo());

        ann.Write(".qmail", "|condredirect bob@elsewhere.example grep -q '^Subject: test'\n./Maildir/\n");
        Ran r = Deliver();
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Single(Directory.GetFiles(ann.Path("Maildir/new")));   // the line after it was skipped
        string todo = Assert.Single(Todo());
        Assert.Matches($"^u{ann.Uid}\0p\\d+\0Fjoe@example.com\0Tbob@elsewhere.example\0$", File.ReadAllText(todo));
        Assert.Contains("\nDelivered-To: mstestann@mail.example.test\n" + Message, QueuedMessage(todo));
    }

    [Fact]
    public void Forward_sends_to_addresses_made_on_the_fly()
    {
        ann.Write(".qmail", "|forward \"$LOCAL@elsewhere.example\" carol@elsewhere.example\n");
        Ran r = Deliver();
        Assert.True(r.Exit == 0, r.Stdout + r.Stderr);
        Assert.Contains("forward: qp ", r.Stdout + r.Stderr);
        string todo = Assert.Single(Todo());
        Assert.Matches($"^u{ann.Uid}\0p\\d+\0Fjoe@example.com\0Tmstestann@elsewhere.example\0Tcarol@elsewhere.example\0$", File.ReadAllText(todo));
        Assert.Contains("\nDelivered-To: mstestann@mail.example.test\n" + Message, QueuedMessage(todo));
    }

    [Fact]
    public void Dry_run_prints_the_instructions()
    {
        ann.Write(".qmail", "# comment\n./Maildir/\n./Mailbox\n|preline procmail\n&bob@elsewhere.example\n");
        Ran r = Harness.Run(install.Bin("qmail-local"), ["-n", "--", ann.Name, ann.Home, ann.Name, "", "", "mail.example.test", "joe@example.com", "./Maildir/"]);
        Assert.Equal("maildir ./Maildir/\nmbox ./Mailbox\nprogram preline procmail\nforward bob@elsewhere.example\ndid 2+1+1\n", r.Stdout);   // qmail prints the count here too
    }
}
