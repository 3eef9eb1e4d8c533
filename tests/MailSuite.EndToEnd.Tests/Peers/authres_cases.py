#!/usr/bin/python3
"""Sends messages through qmail-smtpd with qmail-authres as QMAILQUEUE, in a network namespace
whose only DNS server is a dnsmasq started here on 127.0.0.1:53 with the records given on the
command line (/etc/resolv.conf must already name 127.0.0.1).

usage: authres_cases.py CASES.json PREFIX DNSMASQ-ARG...
A case: {"Name", "Ip", "Sender", "Message", "Sign" (a shell command signing stdin to stdout, or
""), "Tamper" ([old, new] replaced once after signing, or []), "DmarcPolicy"}. Prints one JSON
object: name -> {"reply": qmail-smtpd's answer to the end of DATA, "queued": the queued message}.
"""
import nsdns
import glob, json, os, subprocess, sys

def queued(prefix):
    return set(glob.glob(os.path.join(prefix, "queue", "mess", "*", "*")))

def run(prefix, case):
    message = case["Message"].encode()
    if case["Sign"]:
        message = subprocess.run(["sh", "-c", case["Sign"]], input=message, capture_output=True, check=True).stdout
    if case["Tamper"]:
        message = message.replace(case["Tamper"][0].encode(), case["Tamper"][1].encode(), 1)
    with open(os.path.join(prefix, "control", "dmarcpolicy"), "w") as f:
        f.write("%d\n" % case["DmarcPolicy"])
    lines = message.replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    data = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines)
    dialogue = (b"HELO client.test\r\nMAIL FROM:<" + case["Sender"].encode() + b">\r\n"
                b"RCPT TO:<postmaster@mail.example.test>\r\nDATA\r\n" + data + b".\r\nQUIT\r\n")
    env = {"PATH": "/usr/bin:/bin", "TCPREMOTEIP": case["Ip"], "TCPLOCALHOST": "mail.example.test",
           "QMAILQUEUE": os.path.join(prefix, "bin", "qmail-authres")}
    before = queued(prefix)
    p = subprocess.run([os.path.join(prefix, "bin", "qmail-smtpd")], input=dialogue, env=env, capture_output=True, timeout=120)
    replies = p.stdout.decode("latin-1").split("\r\n")
    new = sorted(queued(prefix) - before)
    text = open(new[0], "rb").read().decode("latin-1") if new else ""
    return {"reply": replies[-3] if len(replies) >= 3 else "", "queued": text, "log": p.stderr.decode("latin-1")}

def main():
    cases, prefix = json.load(open(sys.argv[1])), sys.argv[2]
    dns = nsdns.start(sys.argv[3:])
    try:
        print(json.dumps({c["Name"]: run(prefix, c) for c in cases}))
    finally:
        dns.kill()

main()
