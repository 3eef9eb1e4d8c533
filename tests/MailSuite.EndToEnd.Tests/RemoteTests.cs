// SPDX-License-Identifier: MIT
using System.Text.Json;
using MailSuite.Common;

namespace MailSuite.EndToEnd.Tests;

// Remote delivery against real peers on loopback only: dnsmasq for DNS (MX, A), Postfix's
// smtp-sink and aiosmtpd (STARTTLS, AUTH) as receiving MTAs. qmail-remote is run directly as
// qmail-rspawn runs it, and through the whole queue (qmail-send, qmail-rspawn as qmailr).
public sealed class RemoteTests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly string dump = Directory.CreateTempSubdirectory("sink").FullName;
    private readonly Peer dns = Peer.Dns(
        "--mx-host=multi.test,mx1.multi.test,10", "--mx-host=multi.test,mx2.multi.test,20",
        "--host-record=mx1.multi.test,127.0.0.11", "--host-record=mx2.multi.test,127.0.0.12",
        "--mx-host=self.test,me.self.test,5", "--host-record=me.self.test,127.0.0.1",
        "--mx-host=tls.test,mx.tls.test,10", "--host-record=mx.tls.test,127.0.0.14");
    private readonly List<IDisposable> peers = [];

    public RemoteTests() => File.WriteAllText(Path.Combine(install.Prefix, "control/smtproutes"), "");

    public void Dispose()
    {
        foreach (IDisposable p in peers) p.Dispose();
        dns.Dispose();
        install.Dispose();
        Directory.Delete(dump, true);
    }

    private string Control(string name) => Path.Combine(install.Prefix, "control", name);

    private Peer Sink(string address, params string[] options)
    {
        Peer p = Peer.Sink(address, dump, options);
        peers.Add(p);
        return p;
    }

    // qmail-remote host sender recip... with the message on fd 0; its report with NULs as '|'.
    private string Remote(string message, string host, params string[] recipients) => RemoteFrom("joe@sender.test", message, host, recipients);

    private string RemoteFrom(string sender, string message, string host, params string[] recipients)
    {
        string file = Path.Combine(dump, "message");
        File.WriteAllText(file, message);
        Ran r = Harness.Run("sh", ["-c", "\"$0\" \"$@\" <\"$MSG\" | tr '\\0' '|'", install.Bin("qmail-remote"), host, sender, .. recipients],
            env: new Dictionary<string, string> { ["DNSCACHEIP"] = Peer.DnsAddress, ["MSG"] = file });
        File.Delete(file);
        return r.Stdout;
    }

    private string[] Dumps() => Directory.GetFiles(dump).Where(f => !f.EndsWith(".json", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void The_best_mx_that_answers_gets_every_recipient_in_one_transaction_with_line_ends_made_crlf()
    {
        Sink("127.0.0.12");   // mx1 (preference 10, 127.0.0.11) refuses connections
        string report = Remote("Subject: hi\n\nbare\rcr\nend\n.dot\n", "multi.test", "a@multi.test", "b@multi.test");
        Assert.Equal("r|r|K127.0.0.12 accepted message.\nRemote host said: 250 2.0.0 Ok|", report);
        string received = File.ReadAllText(Assert.Single(Dumps()));
        Assert.Contains("X-Rcpt-Args: <a@multi.test>\nX-Rcpt-Args: <b@multi.test>\n", received);
        Assert.Contains("\n\nbare\ncr\nend\n.dot\n", received);   // a bare CR went as a line end, never as a bare CR
        Assert.DoesNotContain('\r', received);
    }

    // A peer that speaks SMTP until the given command, then closes without a word.
    private void DroppingPeer(string address, string dropAfter) => peers.Add(new Peer("/usr/bin/python3", ["-c",
        "import socket,sys\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1],25)); s.listen(5)\n" +
        "print('ready',flush=True)\nwhile True:\n  c,_=s.accept(); f=c.makefile('rb'); c.sendall(b'220 drop ESMTP\\r\\n'); data=False\n" +
        "  for line in f:\n    u=line.strip().upper()\n    if data:\n      if u==b'.' and sys.argv[2]=='DOT': break\n      if u==b'.': c.sendall(b'250 ok\\r\\n'); data=False\n      continue\n" +
        "    if u.startswith(sys.argv[2].encode()): break\n    if u==b'DATA': c.sendall(b'354 go\\r\\n'); data=True; continue\n    c.sendall(b'250 ok\\r\\n')\n" +
        "  c.shutdown(socket.SHUT_RDWR); f.close(); c.close()", address, dropAfter], waitForLine: "ready"));

    [Theory]
    [InlineData("DOT", "r|r|ZConnected to 127.0.0.11 but connection died. Possible duplicate!")]
    [InlineData("RCPT", "ZConnected to 127.0.0.11 but connection died")]
    public void A_connection_that_dies_ends_the_attempt_and_no_other_mx_gets_the_message(string dropAfter, string expected)
    {
        DroppingPeer("127.0.0.11", dropAfter);   // mx1, preference 10
        Sink("127.0.0.12");                       // mx2 would take it: it must not be asked
        string report = Remote("Subject: once\n\nx\n", "multi.test", "a@multi.test", "b@multi.test");
        Assert.StartsWith(expected, report);
        Assert.EndsWith("(#4.4.2)|", report);
        Assert.Single(report.Split('|', StringSplitOptions.RemoveEmptyEntries), f => f[0] is 'K' or 'Z' or 'D');
        Assert.Empty(Dumps());
    }

    [Fact]
    public void Envelope_addresses_with_cr_lf_or_nul_never_reach_the_wire()
    {
        Sink("127.0.0.12");
        string report = Remote("Subject: x\n\nx\n", "multi.test", "a@multi.test\rRCPT TO:<victim@elsewhere.test>", "b@multi.test");
        Assert.StartsWith("hSorry, that recipient address holds a control character; I will not send it. (#5.1.3)|r|K127.0.0.12 accepted", report);
        string received = File.ReadAllText(Assert.Single(Dumps()));
        Assert.DoesNotContain("victim", received);
        Assert.Contains("X-Rcpt-Args: <b@multi.test>\n", received);

        File.Delete(Assert.Single(Dumps()));
        string refused = RemoteFrom("joe@sender.test>\r\nRCPT TO:<victim@elsewhere.test", "x\n", "multi.test", "a@multi.test");
        Assert.Equal("DSorry, the envelope sender holds a control character; I will not send it to 127.0.0.12. (#5.1.7)|", refused);
        Assert.Empty(Dumps());
    }

    [Theory]
    [InlineData(2)]   // SERVFAIL
    [InlineData(5)]   // REFUSED
    public void With_only_lo_resolv_conf_names_the_server_and_a_failing_aaaa_lookup_does_not_block_delivery(int aaaaRcode)
    {
        // A network namespace with only lo, its own resolv.conf, a DNS server that fails AAAA
        // lookups and answers A ones, and smtp-sink: qmail-remote as in a small container.
        string ns = Directory.CreateTempSubdirectory("ns").FullName;
        File.WriteAllText(Path.Combine(ns, "resolv.conf"), "# only loopback here\nsearch example.test\nnameserver 127.0.0.1\n");
        File.WriteAllText(Path.Combine(ns, "message"), "Subject: namespace\n\nx\n");
        const string Script = """
            ip link set lo up && mount --bind "$D/resolv.conf" /etc/resolv.conf || exit 1
            /usr/bin/python3 "$DNS" 127.0.0.1 127.0.0.12 "$RCODE" >"$D/dns.out" & dns=$!
            smtp-sink -u root -d "$DUMP/%H%M%S." 127.0.0.12:25 20 & sink=$!
            until grep -q ready "$D/dns.out" && ss -Hlnt 'sport = :25' | grep -q .; do sleep 0.1; done
            env -u DNSCACHEIP "$REMOTE" ns.test joe@sender.test a@ns.test <"$D/message" | tr '\0' '|'
            kill $dns $sink
            """;
        Ran r = Harness.Run("unshare", ["--net", "--mount", "sh", "-c", Script], env: new Dictionary<string, string>
        {
            ["D"] = ns, ["DUMP"] = dump, ["REMOTE"] = install.Bin("qmail-remote"), ["RCODE"] = aaaaRcode.ToString(),
            ["DNS"] = Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/broken_dns.py"),
        });
        Directory.Delete(ns, true);
        Assert.True(r.Stdout.StartsWith("r|K127.0.0.12 accepted message.", StringComparison.Ordinal), r.Stdout + r.Stderr);
        Assert.Contains("Subject: namespace", File.ReadAllText(Assert.Single(Dumps())));
    }

    [Fact]
    public void Unknown_domains_and_mail_looping_back_to_us_are_permanent()
    {
        Assert.Equal("DSorry, I couldn't find any host named nx.test. (#5.1.2)|", Remote("x\n", "nx.test", "a@nx.test"));
        Assert.StartsWith("DSorry. Although I'm listed as a best-preference MX or A for that host", Remote("x\n", "self.test", "a@self.test"));
    }

    [Fact]
    public void A_refused_recipient_is_reported_per_recipient_and_smtproutes_overrides_mx()
    {
        Sink("127.0.0.21", "-f", "RCPT");
        File.WriteAllText(Control("smtproutes"), "multi.test:[127.0.0.21]\n");
        string report = Remote("x\n", "multi.test", "a@multi.test");
        Assert.StartsWith("h127.0.0.21 does not like recipient.\nRemote host said: 500 5.3.0 Error: command failed|D", report);
    }

    [Fact]
    public void Tls_is_used_when_offered_and_required_where_policy_says()
    {
        string cert = Control("servercert.pem");
        peers.Add(new Peer("/usr/bin/python3", [Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/aiosmtpd_peer.py"),
            "127.0.0.14", "25", dump, cert], waitForLine: "ready"));
        Assert.StartsWith("r|K127.0.0.14 accepted message over TLS.", Remote("Subject: tls\n\nx\n", "tls.test", "a@tls.test"));
        JsonElement got = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(dump, "*.json")))).RootElement;
        Assert.True(got.GetProperty("tls").GetBoolean());

        Sink("127.0.0.12");   // smtp-sink offers no STARTTLS
        File.WriteAllText(Control("tlsdestinations"), "multi.test:encrypt\n");
        string refused = Remote("x\n", "multi.test", "a@multi.test");
        Assert.StartsWith("ZTLS is required for mx2.multi.test (127.0.0.12) by control/tlsdestinations, but it does not offer STARTTLS. (#4.7.5)", refused);
        Assert.Empty(Dumps());
        File.WriteAllText(Control("tlsdestinations"), "tls.test:verify\n");   // a self-signed certificate does not verify
        Assert.StartsWith("ZTLS with mx.tls.test (127.0.0.14) failed: its certificate does not verify", Remote("x\n", "tls.test", "a@tls.test"));
    }

    [Fact]
    public void A_utf8_address_goes_with_smtputf8_to_a_peer_that_offers_it_and_fails_for_good_at_one_that_does_not()
    {
        peers.Add(new Peer("/usr/bin/python3", [Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/aiosmtpd_peer.py"),
            "127.0.0.14", "25", dump, Control("servercert.pem")], waitForLine: "ready"));
        Assert.StartsWith("r|K127.0.0.14 accepted message over TLS.", RemoteFrom("jöe@sender.test", "Subject: utf8\n\nx\n", "tls.test", "jörg@tls.test"));
        JsonElement got = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(dump, "*.json")))).RootElement;
        Assert.Equal("jörg@tls.test", got.GetProperty("rcpts")[0].GetString());
        Assert.Equal("jöe@sender.test", got.GetProperty("from").GetString());
        Assert.True(got.GetProperty("smtputf8").GetBoolean());

        Sink("127.0.0.12");   // smtp-sink offers no SMTPUTF8
        string refused = Remote("Subject: utf8\n\nx\n", "multi.test", "jörg@multi.test");
        Assert.StartsWith("DSorry, this message's addresses need SMTPUTF8 (RFC 6531), which mx2.multi.test (127.0.0.12) does not offer. (#5.6.7)|", refused);
        Assert.Empty(Dumps());
    }

    [Fact]
    public void A_smarthost_gets_auth_over_tls_with_credentials_only_qmailr_can_read()
    {
        string cert = Control("servercert.pem");
        peers.Add(new Peer("/usr/bin/python3", [Path.Combine(Harness.RepoRoot, "tests/MailSuite.EndToEnd.Tests/Peers/aiosmtpd_peer.py"),
            "127.0.0.15", "2525", dump, cert, "relayuser", "relay:pass"], waitForLine: "ready"));
        File.WriteAllText(Control("smtproutes"), ":[127.0.0.15]:2525\n");
        File.WriteAllText(Control("remoteauth"), "[127.0.0.15]:relayuser:relay:pass\n");
        Assert.StartsWith("r|K127.0.0.15 accepted message over TLS.", Remote("Subject: smarthost\n\nx\n", "anywhere.example", "a@anywhere.example"));
        JsonElement got = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(dump, "*.json")))).RootElement;
        Assert.True(got.GetProperty("auth").GetBoolean());
        FileStatus status = FileStatus.Of(Control("remoteauth"))!;
        Assert.Equal(Harness.Ok("id", "-u", "qmailr").Stdout.Trim(), status.Uid.ToString());
        Assert.Equal(Convert.ToInt32("600", 8), status.Mode & 0xfff);
    }

    [Fact]
    public void Through_the_queue_a_4xx_defers_then_retries_and_a_5xx_bounces_with_the_peers_text()
    {
        var ann = new TestUser("mstestann");
        Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));
        using var service = new MailService(install);
        service.Stop();
        service.DnsCacheIp = Peer.DnsAddress;
        service.Start();
        Peer soft = Sink("127.0.0.12", "-r", "RCPT");
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["-f", $"{ann.Name}@mail.example.test", "later@multi.test"], stdin: "Subject: later\n\nx\n").Exit);
        MailService.WaitUntil(() => service.Log.Contains("deferral: 127.0.0.12_does_not_like_recipient./Remote_host_said:_450_4.3.0"), "the deferral");
        soft.Dispose();
        peers.Remove(soft);
        Sink("127.0.0.12");
        MailService.Signal("ALRM", service.Pid);   // qmail's way to say "retry now"
        // smtp-sink creates its dump file before it writes it: wait for the content, not the name.
        // The first sink, killed while qmail-remote still held the connection for reuse, leaves
        // the file of the transaction it refused: without the message.
        MailService.WaitUntil(() => Dumps().Count(d => File.ReadAllText(d).Contains("Subject: later", StringComparison.Ordinal)) == 1, "the retried delivery");
        Assert.NotEmpty(service.ProcessIds("qmail-rspawn"));
        Assert.Equal(Harness.Ok("id", "-u", "qmailr").Stdout.Trim(), File.ReadAllLines($"/proc/{service.ProcessIds("qmail-rspawn")[0]}/status")
            .First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1]);

        peers.ForEach(p => p.Dispose());
        peers.Clear();
        Sink("127.0.0.12", "-f", "RCPT");
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["-f", $"{ann.Name}@mail.example.test", "never@multi.test"], stdin: "Subject: never\n\nx\n").Exit);
        MailService.WaitUntil(() => Directory.GetFiles(ann.Path("Maildir/new")).Length == 1, "the bounce");
        string bounce = File.ReadAllText(Directory.GetFiles(ann.Path("Maildir/new"))[0]);
        Assert.Contains("<never@multi.test>:\n127.0.0.12 does not like recipient.\nRemote host said: 500 5.3.0 Error: command failed", bounce);
        Assert.Contains("\nFinal-Recipient: rfc822; never@multi.test\nAction: failed\nStatus: 5.3.0\nDiagnostic-Code: smtp; 500 5.3.0 Error: command failed\n", bounce);
    }

    [Fact]
    public void A_host_that_times_out_is_remembered_then_skipped_and_tcpok_forgets_it()
    {
        // A listener whose accept queue is full drops new SYNs: connecting to it times out.
        peers.Add(new Peer("/usr/bin/python3", ["-c", "import socket,time\ns=socket.socket(); s.bind(('127.0.0.31',25)); s.listen(0)\n" +
            "held=[]\nfor _ in range(3):\n  c=socket.socket(); c.settimeout(0.5)\n  try: c.connect(('127.0.0.31',25)); held.append(c)\n  except OSError: pass\n" +
            "print('ready',flush=True)\ntime.sleep(3600)"], waitForLine: "ready"));
        File.WriteAllText(Control("smtproutes"), "slow.test:[127.0.0.31]\n");
        File.WriteAllText(Control("timeoutconnect"), "1\n");
        const string NoConnection = "ZSorry, I wasn't able to establish an SMTP connection to [127.0.0.31] (127.0.0.31): ";
        Assert.Equal(NoConnection + "no answer within 1 s. (#4.4.1)|", Remote("x\n", "slow.test", "a@slow.test"));
        Assert.Equal(NoConnection + "no answer within 1 s. (#4.4.1)|", Remote("x\n", "slow.test", "a@slow.test"));
        Assert.Matches(@"^127\.0\.0\.31 timed out \d+ seconds ago; # recent timeouts: 2\n$", Harness.Ok(install.Bin("qmail-tcpto")).Stdout);
        Assert.Equal(NoConnection + "it timed out twice lately, skipped for now (qmail-tcpok clears that). (#4.4.1)|",
            Remote("x\n", "slow.test", "a@slow.test"));   // skipped, not tried: the count stays 2
        Assert.Contains("# recent timeouts: 2\n", Harness.Ok(install.Bin("qmail-tcpto")).Stdout);
        Harness.Ok(install.Bin("qmail-tcpok"));
        Assert.Equal("", Harness.Ok(install.Bin("qmail-tcpto")).Stdout);
    }

    [Fact]
    public void Through_the_queue_a_hundred_thousand_recipients_of_one_message_are_all_delivered()
    {
        const int Count = 100_000;
        File.WriteAllText(Control("smtproutes"), "big.test:[127.0.0.12]\n");
        File.WriteAllText(Control("concurrencyremote"), "120\n");
        Sink("127.0.0.12");
        string envelope = Path.Combine(dump, "envelope.bin"), message = Path.Combine(dump, "message.bin");
        var e = new System.Text.StringBuilder("Fjoe@sender.test\0");
        for (int i = 0; i < Count; i++) e.Append("Tr").Append(i).Append("@big.test\0");
        File.WriteAllText(envelope, e.Append('\0').ToString());
        File.WriteAllText(message, "Subject: many\n\nx\n");
        Harness.Ok("sh", "-c", "exec \"$0\" <\"$1\" 1<\"$2\"", install.Bin("qmail-queue"), message, envelope);
        File.Delete(envelope);
        File.Delete(message);
        using var service = new MailService(install);
        string mess = Path.Combine(install.Prefix, "queue/mess");
        MailService.WaitUntil(() => Directory.GetFiles(mess, "*", SearchOption.AllDirectories).Length == 0, "the message to be done", seconds: 600);
        int delivered = Dumps().Sum(f => File.ReadLines(f).Count(l => l.StartsWith("X-Rcpt-Args: <r", StringComparison.Ordinal)));
        Assert.Equal(Count, delivered);
        Assert.DoesNotContain("failure:", service.Log);
    }

    [Fact]
    public void Through_the_queue_the_recipients_of_one_domain_share_one_transaction()
    {
        using var service = new MailService(install);
        service.Stop();
        service.DnsCacheIp = Peer.DnsAddress;
        service.Start();
        Sink("127.0.0.12");
        Assert.Equal(0, Harness.Run(install.Bin("qmail-inject"), ["-f", "joe@sender.test", "a@multi.test", "b@multi.test", "c@MULTI.test"],
            stdin: "Subject: three\n\nx\n").Exit);
        MailService.WaitUntil(() => service.Log.Contains("end msg "), "the delivery");
        string received = File.ReadAllText(Assert.Single(Dumps()));
        Assert.Contains("X-Rcpt-Args: <a@multi.test>\nX-Rcpt-Args: <b@multi.test>\nX-Rcpt-Args: <c@MULTI.test>\n", received);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(service.Log, "delivery \\d+: success: 127.0.0.12_accepted_message"));
    }
}
