// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Common;
using MailSuite.Auth;
using MailSuite.Net;
using MailSuite.Local;
using MailSuite.Mail;
using MailSuite.Queue;
using MailSuite.Remote;
using MailSuite.Smtpd;

namespace MailSuite.Fuzz;

/// <summary>One parser: seeds to mutate, what to run, and the exceptions that are its documented answers.</summary>
internal sealed record Target(string Name, string[] Seeds, Action<byte[], Random> Run, Type[] Expected);

/// <summary>Every parser a client, a peer, a user or an administrator can feed.</summary>
internal static class Targets
{
    private static string Text(byte[] b) => Encoding.Latin1.GetString(b);

    public static IReadOnlyList<Target> All { get; } =
    [
        new("smtp-address", ["MAIL FROM:<a@b.example> SIZE=100 BODY=8BITMIME", "RCPT TO:<@x,@y:u@h>", "TO: \"a b\"@c", "<u@[127.0.0.1]>", "<\\\"x\\\"@y>"],
            (b, r) =>
            {
                string? a = Address.Parse(Text(b), "mail.example.test");
                if (a is not null) _ = Address.HasControlCharacter(a);
                _ = Address.Parameters(Text(b));
            }, []),
        new("smtp-session", SmtpSeeds(), (b, r) => SmtpSessionRun(b), []),
        new("data-reader", ["Subject: x\r\n\r\nbody\r\n.\r\n", "..dot\r\n.\r\n", "Received: a\r\nDelivered-To: b\r\n\r\n.\r\n", "x\n.\n", "x\r.\r\n"],
            (b, r) => DataReader.Copy(new LineIo(new MemoryStream(b), Stream.Null), Stream.Null, r.Next(3) == 0 ? 0 : r.Next(1, 100)), []),
        new("pop3-session", ["STAT\r\nLIST\r\nUIDL 1\r\nRETR 1\r\nTOP 1 0\r\nDELE 1\r\nRSET\r\nLAST\r\nNOOP\r\nQUIT\r\n", "LIST 99999999999999999999\r\n", "TOP 1 -1\r\n"],
            (b, r) => Pop3Run(b), []),
        new("envelope", ["Fa@b\0Tc@d\0\0", "F\0\0", "Fa\0Tb\0Tc\0\0", "Ta\0\0"],
            (b, r) => { try { EnvelopeCopy.Run(new MemoryStream(b), Stream.Null, 0, 1); } catch (QueueReadException) { } }, []),
        new("tcprules-line", ["127.:allow,RELAYCLIENT=\"\"", "=host:deny", ":allow", "10.0.0.1-20:allow,X=\"y\",Z=\"\"", "@info@host:deny"],
            (b, r) => _ = TcpRule.Parse(Text(b), out _), []),
        new("control-file", ["mail.example.test\n", "# comment\n\nlocal.example\r\n", "  1200  \n", "-5\n", "99999999999999999999999\n"],
            (b, r) => { _ = ControlFile.FirstLine(b); _ = ControlFile.Lines(b); _ = ControlFile.Number(ControlFile.FirstLine(b)); }, []),
        new("dot-qmail", ["./Maildir/\n", "|preline procmail\n&bob@x\n# c\n./Mailbox\n", "+list\n", "\n./x\n", "bob\n/abs/path/\n"],
            (b, r) => _ = DotQmail.Parse(Text(b), r.Next(2) == 0), [typeof(FailureException)]),
        new("remote-reply", ["250-x\r\n250-PIPELINING\r\n250 SIZE 10\r\n", "220 hi\r\n", "5", "421-a\n421 b\n", "999 x\r\n"],
            (b, r) => { var c = new SmtpChannel(new MemoryStream(b)); for (int i = 0; i < 100; i++) c.Read(); }, [typeof(IOException)]),
        new("inject-header", ["From: Joe <joe>\nTo: ann, bob@sales+, \"x y\" <z@w>\nCc: (c) d\nBcc: e\nSubject: s\n\nbody\n",
                "Resent-To: a\nReply-To: <>\nMessage-ID: <x@y>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n", "To: =?utf-8?q?=C3=A9?= <a@b>\n folded\n\n"],
            (b, r) => InjectRun(b), []),
        new("login", ["ann\0secret\0<1@h>\0", "ann\0secret\0\0192.0.2.1\0", "\0\0\0", "a\0b"],
            (b, r) => _ = Login.ReadFrom(new MemoryStream(b)), []),
    ];

    private static readonly MailSuite.Inject.Identity Who =
        new("joe", "host.example", "Joe", "joe", "host.example", "host.example", "example", "plus.example", "id.example");

    // qmail-inject's header work (MimeKit's parser, then the rewriting) on a hostile header.
    private static void InjectRun(byte[] b)
    {
        (int bodyStart, _) = MailSuite.Mail.HeaderSplit.Find(b);
        MimeKit.HeaderList headers = bodyStart == 0 ? [] : MimeKit.HeaderList.Load(new MemoryStream(b, 0, bodyStart));
        _ = MailSuite.Inject.HeaderRewriter.Rewrite(headers, Who);
    }

    private static string[] SmtpSeeds() =>
    [
        "HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@mail.example.test>\r\nRSET\r\nQUIT\r\n",
        "EHLO x\r\nMAIL FROM:<a@b> SIZE=1\r\nRCPT TO:<c@d>\r\nVRFY x\r\nNOOP\r\nHELP\r\nQUIT\r\n",
        "AUTH PLAIN AGEAYg==\r\nSTARTTLS\r\nMAIL FROM:<>\r\nQUIT\r\n",
        "MAIL FROM:<a@spam.example>\r\nRCPT TO:<x@mail.example.test>\r\nBDAT 1\r\n",
    ];

    private static readonly SmtpConfig Smtp = new(
        Greeting: "mail.example.test",
        LocalIpHost: "mail.example.test",
        RcptHosts: new HashSet<string>(["mail.example.test"], StringComparer.OrdinalIgnoreCase),
        MoreRcptHostsCdb: "/nonexistent/morercpthosts.cdb",
        BadMailFrom: new HashSet<string>(["@spam.example"], StringComparer.OrdinalIgnoreCase),
        DataBytes: 0,
        TimeoutSeconds: 1200,
        SessionSeconds: 3600,
        RelayClient: null,
        CheckRecipients: false,
        SpfBehavior: 0,
        UnknownRecipientLimit: 10,
        RemoteIp: "127.0.0.1",
        RemoteHost: "unknown",
        RemoteInfo: null,
        LocalHost: "mail.example.test",
        Auth: SmtpAuthConfig.From([], null),
        TlsSession: null,
        CertFile: "/nonexistent/servercert.pem",
        Senders: new MailSuite.Mail.SenderPolicy(["mail.example.test"], [], []),
        SendLimit: null);

    private static void SmtpSessionRun(byte[] b)
    {
        var input = new MemoryStream(b);
        new SmtpSession(new LineIo(input, Stream.Null), Smtp, input, Stream.Null).Run();
    }

    private static MailSuite.Pop3d.Mailbox? box;

    private static void Pop3Run(byte[] b)
    {
        box ??= MailSuite.Pop3d.Mailbox.Open(Pop3Maildir());
        new MailSuite.Pop3d.Pop3Session(new LineIo(new MemoryStream(b), Stream.Null), box!).Run();
    }

    // A Maildir with two messages, made once; DELE only takes effect at QUIT, which renames nothing
    // the next input needs (the Mailbox is read once).
    private static string Pop3Maildir()
    {
        string dir = Directory.CreateTempSubdirectory("fuzz-maildir").FullName;
        foreach (string d in (string[])["tmp", "new", "cur"]) Directory.CreateDirectory(Path.Combine(dir, d));
        File.WriteAllText(Path.Combine(dir, "cur", "1.M1P1.fuzz:2,"), "Subject: one\n\n.dot\nbody\n");
        File.WriteAllText(Path.Combine(dir, "cur", "2.M2P2.fuzz,S=9,W=11:2,"), "a\nb\nc\nd\ne");
        return dir;
    }
}
