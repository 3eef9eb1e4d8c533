#!/usr/bin/python3
"""Asks pyspf (Debian's python3-spf) and our qmail-smtpd the SPF result of the same cases, in a
network namespace whose only DNS server is a dnsmasq started here on 127.0.0.1:53 with the
records given on the command line; /etc/resolv.conf must already name 127.0.0.1.

usage: spf_differential.py CASES.json QMAIL-SMTPD WORKDIR DNSMASQ-ARG...
Each case is {"Name", "Ip", "Sender", "Helo", "Behavior"}; Behavior goes into control/spfbehavior
first. Prints one JSON object: name -> {"pyspf": result, "ours": result, "mail": reply}, ours being
the word of the Received-SPF field qmail-smtpd put on the message, mail its reply to MAIL FROM.
"""
import json, os, re, subprocess, sys, time
import spf

def wait_for_dns():
    for _ in range(100):
        if subprocess.run(["ss", "-Hlun", "src 127.0.0.1:53"], capture_output=True, text=True).stdout.strip():
            return
        time.sleep(0.05)
    sys.exit("dnsmasq did not start")

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
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    dns = subprocess.Popen(["dnsmasq", "-k", "--conf-file=/dev/null", "--listen-address=127.0.0.1",
                            "--bind-interfaces", "--port=53", "--no-resolv", "--no-hosts", "-u", "root",
                            "--pid-file=", "--local=/test/", "--local=/in-addr.arpa/", "--local=/ip6.arpa/"] + sys.argv[4:],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_dns()
        results = {}
        for c in cases:
            py = spf.check2(i=c["Ip"], s=c["Sender"], h=c["Helo"], querytime=20)[0]
            result, mail = ours(smtpd, work, c)
            results[c["Name"]] = {"pyspf": py, "ours": result, "mail": mail}
        print(json.dumps(results))
    finally:
        dns.kill()

main()
