// SPDX-License-Identifier: MIT
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace MailSuite.EndToEnd.Tests;

// POP3S as rc runs it on 995: sslserver (root) → sslrelay (qmailtls) ─socketpair─ qmail-popup (root)
// → checkpassword → qmail-pop3d (the user); the install's self-signed certificate; real clients.
public sealed class TlsPop3Tests : IDisposable
{
    private readonly TempInstall install = new();
    private readonly TestUser ann = new("mstestann");
    private readonly SmtpServer pop3s;
    private readonly string cert;

    public TlsPop3Tests()
    {
        ann.SetPassword(Pop3Tests.Password);
        Harness.Ok(install.Bin("setuidgid"), ann.Name, install.Bin("maildirmake"), ann.Path("Maildir"));
        cert = Path.Combine(install.Prefix, "control/servercert.pem");
        pop3s = new SmtpServer(new Dictionary<string, string> { ["CERTFILE"] = cert }, install.Bin("sslserver"),
            "-1", "-v", "-R", "-H", "127.0.0.1", "0",
            install.Bin("qmail-popup"), "mail.example.test", install.Bin("checkpassword"), install.Bin("qmail-pop3d"), "Maildir");
    }

    public void Dispose()
    {
        pop3s.Dispose();
        install.Dispose();
    }

    // Trusts exactly the install's certificate, as a client given that certificate would.
    private bool TrustOurCertificate(X509Certificate? presented, System.Net.Security.SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(cert)));
        return chain.Build(new X509Certificate2(presented));
    }

    [Fact]
    public void Mailkit_validates_the_certificate_and_reads_over_implicit_tls()
    {
        ann.Deliver("Subject: over tls\n\nsecret body\n");
        using var client = new Pop3Client { CheckCertificateRevocation = false };
        client.ServerCertificateValidationCallback = (_, c, _, e) => TrustOurCertificate(c, e);
        client.Connect("127.0.0.1", pop3s.Port, SecureSocketOptions.SslOnConnect);
        Assert.True(client.IsSecure);
        client.Authenticate(ann.Name, Pop3Tests.Password);
        Assert.Equal("over tls", client.GetMessage(0).Subject);

        // While the session is open: who runs what. Two relays: this session's and the one
        // waiting for the next client, both without root.
        int[] relays = Relays();
        Assert.Equal(2, relays.Length);
        Assert.All(relays, relay => Assert.Equal(Uid("qmailtls"), Owner(relay)));
        int pop3d = Assert.Single(Harness.Pids(exe => exe == install.Bin("qmail-pop3d")));
        int popup = Assert.Single(Harness.Pids(exe => exe == install.Bin("qmail-popup")));
        Assert.Equal(ann.Uid, Owner(pop3d));
        Assert.Equal("0", Owner(popup));
        client.Disconnect(true);
        LogSays($"checkpassword: login {ann.Name} from 127.0.0.1");   // the real client address, not a proxy's
    }

    [Fact]
    public void A_client_asking_for_tls_1_2_renegotiation_is_refused_without_a_crash()
    {
        // s_client's interactive "R" line asks for a renegotiation (TLS 1.2 only).
        // A line of its own: s_client looks only at the first byte of what it reads at once.
        Ran r = Harness.Run("sh", ["-c", $"(sleep 1; echo CAPA; sleep 1; echo R; sleep 2; echo QUIT) | openssl s_client -connect 127.0.0.1:{pop3s.Port} -tls1_2 -CAfile {cert}"]);
        Assert.Contains("+OK mail.example.test POP3 ready", r.Stdout);
        LogSays("sslrelay: warning: TLS ");   // input or output ended, whichever side met the refusal first
        Assert.DoesNotContain("Unhandled exception", pop3s.Log);
    }

    [Fact]
    public void Openssl_gets_tls_1_2_or_1_3_and_never_1_1_or_1_0()
    {
        Ran best = SClient("");
        Assert.Contains("New, TLSv1.3, Cipher is TLS_", best.Stdout);
        Assert.Contains("Verify return code: 0 (ok)", best.Stdout);
        Assert.Contains("+OK mail.example.test POP3 ready", best.Stdout);
        Ran tls12 = SClient("-tls1_2");
        Assert.Matches(@"New, TLSv1\.2, Cipher is ECDHE-(RSA|ECDSA)-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)", tls12.Stdout);
        Assert.Contains("+OK mail.example.test POP3 ready", tls12.Stdout);
        foreach (string old in new[] { "-tls1_1", "-tls1" })
        {
            Ran r = SClient(old);
            Assert.NotEqual(0, r.Exit);
            Assert.DoesNotContain("+OK", r.Stdout);
        }
    }

    // Each connection has its own sslrelay process; the ticket key is sslserver's, so the next
    // connection resumes the session the first began, in TLS 1.3 and 1.2 alike.
    [Theory]
    [InlineData("-tls1_3", "TLSv1.3")]
    [InlineData("-tls1_2", "TLSv1.2")]
    public void A_returning_client_resumes_its_session_in_a_new_sslrelay(string option, string protocol)
    {
        string session = Path.Combine(install.Prefix, "session.pem");
        Ran first = SClient($"{option} -sess_out {session}");
        Ran second = SClient($"{option} -sess_in {session}");
        Assert.Contains($"New, {protocol}, Cipher is ", first.Stdout);
        Assert.Contains($"Reused, {protocol}, Cipher is ", second.Stdout);
        Assert.Contains("+OK mail.example.test POP3 ready", second.Stdout);
        Assert.Equal(2, Regex.Matches(pop3s.Log, @"sslserver: pid \d+ from 127\.0\.0\.1").Select(m => m.Value).Distinct().Count());
    }

    // The key lives only in sslserver's memory: a ticket from before a restart buys nothing.
    [Fact]
    public void After_sslserver_restarts_an_old_ticket_gets_a_full_handshake()
    {
        string session = Path.Combine(install.Prefix, "session.pem");
        Assert.Contains("New, TLSv1.3", SClient($"-sess_out {session}").Stdout);
        using var restarted = new SmtpServer(new Dictionary<string, string> { ["CERTFILE"] = cert }, install.Bin("sslserver"),
            "-1", "-v", "-R", "-H", "127.0.0.1", "0",
            install.Bin("qmail-popup"), "mail.example.test", install.Bin("checkpassword"), install.Bin("qmail-pop3d"), "Maildir");
        Ran again = Harness.Run("sh", ["-c",
            $"echo QUIT | openssl s_client -connect 127.0.0.1:{restarted.Port} -CAfile {cert} -verify_return_error -ign_eof -sess_in {session}"]);
        Assert.Contains("New, TLSv1.3", again.Stdout);
        Assert.Contains("+OK mail.example.test POP3 ready", again.Stdout);
    }

    // sslserver starts each sslrelay ahead of its client: the key read, root given up and OpenSSL
    // ready before anyone connects. The next client is served by that one, and another waits.
    [Fact]
    public void The_next_client_is_served_by_the_relay_waiting_for_it()
    {
        Assert.Contains("+OK mail.example.test POP3 ready", SClient("").Stdout);   // the first connection starts one to wait
        MailService.WaitUntil(() => Relays().Length == 1, "one relay waiting");
        int waiting = Relays().Single();
        Assert.Equal(Uid("qmailtls"), Owner(waiting));

        using var client = new Pop3Client { CheckCertificateRevocation = false };
        client.ServerCertificateValidationCallback = (_, c, _, e) => TrustOurCertificate(c, e);
        client.Connect("127.0.0.1", pop3s.Port, SecureSocketOptions.SslOnConnect);
        client.Authenticate(ann.Name, Pop3Tests.Password);
        MailService.WaitUntil(() => Relays().Length == 2, "a new relay waiting beside the busy one");
        Assert.Contains(waiting, Relays());   // the session's relay is the one that waited
        client.Disconnect(true);
        MailService.WaitUntil(() => !Relays().Contains(waiting), "the session's relay to end");
        Assert.Single(Relays());
    }

    // A waiting relay that was killed, or that holds a certificate since replaced, is not used:
    // the client gets a relay of its own and the current certificate.
    [Fact]
    public void A_dead_or_outdated_waiting_relay_is_passed_over()
    {
        SClient("");
        MailService.WaitUntil(() => Relays().Length == 1, "one relay waiting");
        MailService.Signal("KILL", Relays().Single());
        Assert.Contains("+OK mail.example.test POP3 ready", SClient("").Stdout);

        MailService.WaitUntil(() => Relays().Length == 1, "one relay waiting again");
        Harness.Ok("sh", "-c", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=renewed.example " +
            $"-keyout {cert}.key -out {cert}.crt 2>/dev/null && cat {cert}.crt {cert}.key > {cert} && rm {cert}.crt {cert}.key");
        MailService.Signal("HUP", pop3s.Pid);
        LogSays("info: certificate reloaded");
        Ran renewed = Harness.Run("sh", ["-c", $"echo QUIT | openssl s_client -connect 127.0.0.1:{pop3s.Port} -ign_eof"]);
        Assert.Contains("CN = renewed.example", renewed.Stdout);
        Assert.Contains("+OK mail.example.test POP3 ready", renewed.Stdout);
    }

    // Nothing is left waiting once sslserver is gone, even killed.
    [Fact]
    public void No_relay_outlives_sslserver()
    {
        SClient("");
        MailService.WaitUntil(() => Relays().Length == 1, "one relay waiting");
        pop3s.Dispose();
        MailService.WaitUntil(() => Relays().Length == 0, "the waiting relay to exit");
    }

    private int[] Relays() => Harness.Pids(exe => exe == install.Bin("sslrelay"));

    // Whatever a client sends in place of a ClientHello, sslrelay says why in OpenSSL's words
    // and no program starts.
    [Theory]
    [InlineData("USER root\r\n")]
    [InlineData("\u0016\u0003\u0001\u00ff\u00ff\0\0\0\0")]
    public void A_client_that_does_not_speak_tls_gets_nothing_and_the_log_says_why(string garbage)
    {
        using var tcp = new System.Net.Sockets.TcpClient("127.0.0.1", pop3s.Port);
        using System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        var got = new MemoryStream();
        try
        {
            stream.Write(System.Text.Encoding.Latin1.GetBytes(garbage + new string('x', 20000)));
            tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            byte[] buffer = new byte[4096];
            int n;
            while ((n = stream.Read(buffer)) > 0) got.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // reset: as good as an end
        }
        Assert.DoesNotContain("+OK", System.Text.Encoding.Latin1.GetString(got.ToArray()));
        LogSays("sslrelay: warning: TLS handshake with 127.0.0.1 failed: ");
        Assert.DoesNotContain("unexpected", pop3s.Log);
        Assert.Empty(Harness.Pids(exe => exe == install.Bin("qmail-popup")));
    }

    private Ran SClient(string option) => Harness.Run("sh", ["-c",
        $"echo QUIT | openssl s_client -connect 127.0.0.1:{pop3s.Port} -CAfile {cert} -verify_return_error -ign_eof {option} -cipher DEFAULT@SECLEVEL=0"]);

    [Fact]
    public void Poplib_and_fetchmail_retrieve_every_message()
    {
        for (int i = 0; i < 5; i++) ann.Deliver($"Subject: m{i}\n\nbody {i}\n");
        Ran py = Harness.Run("python3", ["-c", "import poplib,ssl,sys\nc=ssl.create_default_context(cafile=sys.argv[2])\n" +
            "p=poplib.POP3_SSL('127.0.0.1',int(sys.argv[1]),context=c)\np.user(sys.argv[3]);p.pass_(sys.argv[4])\nprint(p.stat()[0])\np.quit()",
            pop3s.Port.ToString(), cert, ann.Name, Pop3Tests.Password]);
        Assert.Equal("5\n", py.Stdout);

        string dir = Directory.CreateTempSubdirectory("fetch").FullName;
        File.WriteAllText($"{dir}/rc", $"poll mail.example.test via 127.0.0.1 service {pop3s.Port} protocol pop3 user \"{ann.Name}\" password \"{Pop3Tests.Password}\" " +
            $"ssl sslcertck sslcommonname mail.example.test sslcertfile \"{cert}\" mda \"/bin/sh -c 'cat >>{dir}/mbox; echo >>{dir}/mbox'\"\n");
        Harness.Ok("chmod", "0600", $"{dir}/rc");
        Ran f = Harness.Run("fetchmail", ["-f", $"{dir}/rc", "--nosyslog", "-v"], env: new Dictionary<string, string> { ["HOME"] = dir });
        Assert.True(f.Exit == 0, f.Stdout + f.Stderr);
        string mbox = File.ReadAllText($"{dir}/mbox");
        for (int i = 0; i < 5; i++) Assert.Contains($"Subject: m{i}\n", mbox);
        Assert.Empty(Directory.GetFiles(ann.Path("Maildir/cur")));   // fetchmail deletes what it fetched
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_capture_of_a_login_on_the_wire_shows_no_password_and_no_commands()
    {
        string pcap = Path.Combine(install.Prefix, "login.pcap");
        using var capture = new Capture(pcap, pop3s.Port);
        using (var client = new Pop3Client { CheckCertificateRevocation = false })
        {
            client.ServerCertificateValidationCallback = (_, c, _, e) => TrustOurCertificate(c, e);
            client.Connect("127.0.0.1", pop3s.Port, SecureSocketOptions.SslOnConnect);
            client.Authenticate(ann.Name, Pop3Tests.Password);
            client.Disconnect(true);
        }
        string wire = capture.Stop();
        Assert.Contains("TLS", Harness.Ok("tshark", "-r", pcap, "-d", $"tcp.port=={pop3s.Port},tls").Stdout);   // it did see the session
        Assert.DoesNotContain(Pop3Tests.Password, wire);
        Assert.DoesNotContain("PASS ", wire);
        Assert.DoesNotContain("USER ", wire);
    }

    private static string Uid(string account) => Harness.Ok("id", "-u", account).Stdout.Trim();

    private static string Owner(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    private void LogSays(string text) => MailService.WaitUntil(() => pop3s.Log.Contains(text, StringComparison.Ordinal), $"log line {text}");
}
