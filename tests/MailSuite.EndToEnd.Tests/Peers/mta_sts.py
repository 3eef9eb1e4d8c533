#!/usr/bin/python3
"""MTA-STS (RFC 8461) for qmail-remote against real peers, inside a network namespace whose
resolv.conf names 127.0.0.1: dnsmasq serves the _mta-sts TXT records, MX and A records; Python's
http.server over TLS (a certificate from a CA made here with openssl) serves the policies at
https://mta-sts.DOMAIN/.well-known/mta-sts.txt; aiosmtpd peers with STARTTLS receive the mail,
each with the certificate its case needs. qmail-remote runs as qmailr, as qmail-rspawn runs it.

usage: mta_sts.py PREFIX
Prints one JSON object: step name -> {"report": qmail-remote's fd 1 with NULs as '|', "log": its
fd 2, "received": [{"peer", "tls", "rcpts"}] for what the peers got during the step}, and
"cache" -> {file: [uid, mode]} for PREFIX/queue/mtasts at the end.
"""
import nsdns
import http.server, json, os, ssl, subprocess, sys, tempfile, threading
from aiosmtpd.controller import Controller

PREFIX = sys.argv[1]
WORK = tempfile.mkdtemp()
HTTPS = "127.0.0.40"


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=WORK)


def ec_key(name):
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", name + ".key")


def issued(name, *dns_names):
    """A certificate for dns_names signed by the test CA; returns a PEM with chain and key."""
    ec_key(name)
    openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + dns_names[0], "-out", name + ".csr")
    with open(os.path.join(WORK, name + ".ext"), "w") as f:
        f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\n" % ",".join("DNS:" + n for n in dns_names))
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "30", "-extfile", name + ".ext", "-out", name + ".crt")
    return pem(name, name + ".crt")


def self_signed(name, dns_name):
    ec_key(name)
    openssl("req", "-x509", "-key", name + ".key", "-subj", "/CN=" + dns_name, "-days", "30",
            "-addext", "subjectAltName=DNS:" + dns_name, "-out", name + ".crt")
    return pem(name, name + ".crt")


def pem(name, crt):
    path = os.path.join(WORK, name + ".pem")
    with open(path, "w") as out:
        out.write(open(os.path.join(WORK, crt)).read() + open(os.path.join(WORK, name + ".key")).read())
    return path


def make_ca():
    ec_key("ca")
    openssl("req", "-x509", "-key", "ca.key", "-subj", "/CN=MailSuite MTA-STS test CA", "-days", "30",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.pem")
    return os.path.join(WORK, "ca.pem")


def policy(mode, *mx):
    return "version: STSv1\r\nmode: %s\r\n%smax_age: 86400\r\n" % (mode, "".join("mx: %s\r\n" % m for m in mx))


# Policy domain -> (HTTP status, media type, body); a domain missing here gets 404.
POLICIES = {
    "enf.test": (200, "text/plain", policy("enforce", "mx.enf.test", "backup.enf.test")),
    "out.test": (200, "text/plain", policy("enforce", "mx.out.test")),
    "bad.test": (200, "text/plain", policy("enforce", "*.bad.test")),
    "try.test": (200, "text/plain", policy("testing", "mx.try.test")),
    "named.test": (200, "text/plain", policy("enforce", "mx.named.test")),
    "moved.test": (302, "text/plain", ""),
    "html.test": (200, "text/html", policy("enforce", "nothing.html.test")),
}


class PolicyHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        status, media, body = POLICIES.get(host[len("mta-sts."):], (404, "text/plain", "no policy here\n"))
        if self.path != "/.well-known/mta-sts.txt":
            status, body = 404, "wrong path\n"
        self.send_response(status)
        self.send_header("Content-Type", media + "; charset=utf-8")
        if status == 302:
            self.send_header("Location", "https://mta-sts.enf.test/.well-known/mta-sts.txt")
        self.send_header("Content-Length", str(len(body.encode())))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def https_server(pem_path):
    server = http.server.ThreadingHTTPServer((HTTPS, 443), PolicyHandler)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pem_path)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


RECEIVED = []


class Handler:
    def __init__(self, name):
        self.name = name

    async def handle_DATA(self, server, session, envelope):
        RECEIVED.append({"peer": self.name, "tls": session.ssl is not None, "rcpts": envelope.rcpt_tos})
        return "250 2.0.0 Ok: queued by aiosmtpd"


def smtp_peer(name, address, pem_path):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pem_path)
    controller = Controller(Handler(name), hostname=address, port=25, tls_context=ctx, require_starttls=False)
    controller.start()
    return controller


def remote(domain):
    with tempfile.TemporaryFile() as message:
        message.write(b"From: joe@sender.test\nSubject: mta-sts to " + domain.encode() + b"\n\nx\n")
        message.seek(0)
        p = subprocess.run([os.path.join(PREFIX, "bin", "setuidgid"), "qmailr", os.path.join(PREFIX, "bin", "qmail-remote"),
                            domain, "joe@sender.test", "someone@" + domain], stdin=message, capture_output=True, timeout=120)
    return p.stdout.replace(b"\0", b"|").decode("latin-1"), p.stderr.decode("latin-1")


# (MX host, address, certificate kind) of each policy domain: "good" is issued by the test CA for the name.
MX = {
    "enf.test": ("mx.enf.test", "127.0.0.41", "good"),
    "out.test": ("rogue.out.test", "127.0.0.42", "good"),
    "bad.test": ("mx.bad.test", "127.0.0.43", "self-signed"),
    "try.test": ("rogue.try.test", "127.0.0.44", "self-signed"),
    "named.test": ("rogue.named.test", "127.0.0.45", "self-signed"),
    "moved.test": ("rogue.moved.test", "127.0.0.46", "self-signed"),
    "html.test": ("rogue.html.test", "127.0.0.47", "self-signed"),
    "late.test": ("rogue.late.test", "127.0.0.48", "self-signed"),
}


def dns_records():
    records = ["--host-record=mta-sts.%s,%s" % (d, HTTPS) for d in list(POLICIES) + ["late.test"]]
    for domain, (host, address, _) in MX.items():
        records += ["--mx-host=%s,%s,10" % (domain, host), "--host-record=%s,%s" % (host, address),
                    "--txt-record=_mta-sts.%s,v=STSv1; id=20261202T1;" % domain]
    return records


def main():
    dns = nsdns.start(dns_records())
    anchors = make_ca()
    https = https_server(issued("https", *["mta-sts." + d for d in POLICIES]))
    peers = [smtp_peer(host, address, issued(host, host) if kind == "good" else self_signed(host, host))
             for host, address, kind in MX.values()]
    control = os.path.join(PREFIX, "control")
    open(os.path.join(control, "smtproutes"), "w").close()   # MX lookups, not the test install's default route
    out = {}

    def step(name, domain):
        RECEIVED.clear()
        report, log = remote(domain)
        out[name] = {"report": report, "log": log, "received": list(RECEIVED)}

    try:
        step("no-anchors", "enf.test")   # the policy server's certificate cannot be verified yet
        with open(os.path.join(control, "tlsanchors.pem"), "w") as f:
            f.write(open(anchors).read())
        step("enforce", "enf.test")
        step("outside-policy", "out.test")
        step("bad-certificate", "bad.test")
        step("testing", "try.test")
        step("redirect", "moved.test")
        step("not-text-plain", "html.test")
        with open(os.path.join(control, "tlsdestinations"), "w") as f:
            f.write("named.test:may\n:encrypt\n")
        step("tlsdestinations-wins", "named.test")
        os.remove(os.path.join(control, "tlsdestinations"))
        https.shutdown()
        https.server_close()
        step("cached-enforce", "enf.test")
        step("cached-outside-policy", "out.test")
        step("unreachable-policy", "late.test")
    finally:
        for p in peers:
            p.stop()
        dns.kill()
    cache = os.path.join(PREFIX, "queue", "mtasts")
    out["cache"] = {f: [os.stat(os.path.join(cache, f)).st_uid, os.stat(os.path.join(cache, f)).st_mode & 0o7777]
                    for f in sorted(os.listdir(cache))}
    print(json.dumps(out))


main()
