#!/usr/bin/python3
"""Asks pyspf (Debian's python3-spf) and our qmail-smtpd the SPF result of the same cases, in a
network namespace whose only DNS server is a dnsmasq started here on 127.0.0.1:53 with the
records given on the command line; /etc/resolv.conf must already name 127.0.0.1.

usage: spf_differential.py CASES.json QMAIL-SMTPD WORKDIR DNSMASQ-ARG...
Each case is {"Name", "Ip", "Sender", "Helo", "Behavior"}; Behavior goes into control/spfbehavior
first. Prints one JSON object: name -> {"pyspf": result, "ours": result, "mail": reply}, ours being
the word of the Received-SPF field qmail-smtpd put on the message, mail its reply to MAIL FROM.
"""
import nsdns
import json, os, re, subprocess, sys
import spf

def ours(smtpd, work, case):
    with open(os.path.join(os.path.dirname(os.path.dirname(smtpd)), "control", "spfbehavior"), "w") as f:
        f.write("%d\n" % case["Behavior"])
    capture = os.path.join(work, "captured")
    if os.path.exists(capture):
        os.remove(capture)
    dialogue = ("HELO %s\r\nMAIL FROM:<%s>\r\nRCPT TO:<postmaster@mail.example.test>\r\nDATA\r\n"
                "Subject: spf\r\n\r\nx\r\n.\r\nQUIT\r\n") % (case["Helo"], case["Sender"])
    env = {"PATH": "/usr/bin:/bin", "TCPREMOTEIP": case["Ip"], "TCPLOCALHOST": "mail.example.test",
           "QMAILQUEUE": os.path.join(work, "capture-queue"), "CAPTURE": capture}
    p = subprocess.run([smtpd], input=dialogue.encode(), env=env, capture_output=True, timeout=120)
    mail = p.stdout.decode("latin-1").split("\r\n")[2]
    if not os.path.exists(capture):
        return "no message", mail
    m = re.search(rb"^Received-SPF: (\w+)", open(capture, "rb").read(), re.M)
    return (m.group(1).decode() if m else "no Received-SPF"), mail

def main():
    cases, smtpd, work = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
    dns = nsdns.start(sys.argv[4:], ("test", "in-addr.arpa", "ip6.arpa"))
    try:
        results = {}
        for c in cases:
            py = spf.check2(i=c["Ip"], s=c["Sender"], h=c["Helo"], querytime=20)[0]
            result, mail = ours(smtpd, work, c)
            results[c["Name"]] = {"pyspf": py, "ours": result, "mail": mail}
        print(json.dumps(results))
    finally:
        dns.kill()

main()
