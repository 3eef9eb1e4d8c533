#!/usr/bin/python3
"""Sends messages through qmail-smtpd with qmail-authres as QMAILQUEUE, then again with
QMAILQUEUE naming the socket of a qmail-authresd started here, in a network namespace whose only
DNS server is a dnsmasq started here on 127.0.0.1:53 with the records given on the command line
(/etc/resolv.conf must already name 127.0.0.1).

usage: authres_cases.py CASES.json PREFIX DNSMASQ-ARG...
A case: {"Name", "Ip", "Sender", "Message", "Sign" (a shell command signing stdin to stdout, or
""), "Tamper" ([old, new] replaced once after signing, or []), "DmarcPolicy"}. Prints one JSON
object: "program/NAME" and "daemon/NAME" -> {"reply": qmail-smtpd's answer to the end of DATA
(or to DATA itself when that was refused),
"queued": the queued message, "log": qmail-smtpd's log}; then "daemon/other-account" (qmail-smtpd
run as qmailp) and "daemon/stopped" (after qmail-authresd is stopped), and "daemon-log".
"""
import nsdns
import glob, json, os, pwd, grp, subprocess, sys, time

def queued(prefix):
    return set(glob.glob(os.path.join(prefix, "queue", "mess", "*", "*")))

def signed(case):
    message = case["Message"].encode()
    if case["Sign"]:
        message = subprocess.run(["sh", "-c", case["Sign"]], input=message, capture_output=True, check=True).stdout
    if case["Tamper"]:
        message = message.replace(case["Tamper"][0].encode(), case["Tamper"][1].encode(), 1)
    return message

def run(prefix, case, message, qmailqueue, account=None):
    with open(os.path.join(prefix, "control", "dmarcpolicy"), "w") as f:
        f.write("%d\n" % case["DmarcPolicy"])
    lines = message.replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    data = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines)
    dialogue = (b"HELO client.test\r\nMAIL FROM:<" + case["Sender"].encode() + b">\r\n"
                b"RCPT TO:<postmaster@mail.example.test>\r\nDATA\r\n" + data + b".\r\nQUIT\r\n")
    env = {"PATH": "/usr/bin:/bin", "TCPREMOTEIP": case["Ip"], "TCPLOCALHOST": "mail.example.test", "QMAILQUEUE": qmailqueue}
    before = queued(prefix)
    p = subprocess.run([os.path.join(prefix, "bin", "qmail-smtpd")], input=dialogue, env=env, capture_output=True, timeout=120,
                       preexec_fn=(lambda: become(account)) if account else None)
    replies = p.stdout.decode("latin-1").split("\r\n")   # greeting, HELO, MAIL, RCPT, DATA, [end of data], ...
    reply = replies[5] if len(replies) > 5 and replies[4].startswith("354") else (replies[4] if len(replies) > 4 else "")
    new = sorted(queued(prefix) - before)
    text = open(new[0], "rb").read().decode("latin-1") if new else ""
    return {"reply": reply, "queued": text, "log": p.stderr.decode("latin-1")}

def become(account):
    os.setgroups([])
    os.setgid(pwd.getpwnam(account).pw_gid)
    os.setuid(pwd.getpwnam(account).pw_uid)

def start_daemon(prefix, log):
    socket = os.path.join(prefix, "authres", "socket")
    daemon = subprocess.Popen([os.path.join(prefix, "bin", "qmail-authresd")], stderr=log, env={"PATH": "/usr/bin:/bin"})
    for _ in range(200):
        if os.path.exists(socket) and os.stat(socket).st_uid == pwd.getpwnam("qmaild").pw_uid:
            return daemon, socket
        time.sleep(0.05)
    raise SystemExit("qmail-authresd made no socket")

def main():
    cases, prefix = json.load(open(sys.argv[1]), ), sys.argv[2]
    dns = nsdns.start(sys.argv[3:])
    results = {}
    try:
        messages = {c["Name"]: signed(c) for c in cases}
        for c in cases:
            results["program/" + c["Name"]] = run(prefix, c, messages[c["Name"]], os.path.join(prefix, "bin", "qmail-authres"))
        with open(os.path.join(prefix, "authresd.log"), "w+b") as log:
            daemon, socket = start_daemon(prefix, log)
            try:
                for c in cases:
                    results["daemon/" + c["Name"]] = run(prefix, c, messages[c["Name"]], socket)
                plain = cases[0]
                results["daemon/other-account"] = run(prefix, plain, messages[plain["Name"]], socket, account="qmailp")
            finally:
                daemon.terminate()
                daemon.wait()
            results["daemon/stopped"] = run(prefix, plain, messages[plain["Name"]], socket)
            log.seek(0)
            results["daemon-log"] = {"reply": "", "queued": "", "log": log.read().decode("latin-1")}
        print(json.dumps(results))
    finally:
        dns.kill()

main()
