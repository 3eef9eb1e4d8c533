#!/usr/bin/python3
"""Sends messages with qmail-remote (as qmailr) to Postfix's smtp-sink and verifies what arrived
with dkimpy (python3-dkim) and OpenDKIM's opendkim-testmsg, in a network namespace whose only DNS
server is a dnsmasq started here on 127.0.0.1:53 with the records given on the command line
(/etc/resolv.conf must already name 127.0.0.1). smtp-sink on 127.0.0.1:2525 offers 8BITMIME, the
one on 127.0.0.1:2526 does not; control/smtproutes sends eight.test and seven.test to them.

usage: dkim_outbound.py CASES.json PREFIX DNSMASQ-ARG...
A case: {"Name", "Domain" (eight.test or seven.test), "Message"}. Prints one JSON object:
NAME -> {"report": qmail-remote's fd 1 with NULs as '|', "received": what the sink got (CRLF line
ends, smtp-sink's X- fields first, "" if nothing), "dkimpy": dkim.verify's answer, "opendkim":
opendkim-testmsg's exit code and output, "tampered": both verifiers' answers after a line was added
to the body}.
"""
import nsdns
import dkim
import glob, json, os, subprocess, sys, tempfile, time


def sink(port, dump, *options):
    p = subprocess.Popen(["smtp-sink", "-u", "root", *options, "-d", os.path.join(dump, "%H%M%S."), "127.0.0.1:%d" % port, "20"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["ss", "-Hlnt", "sport = :%d" % port], capture_output=True, text=True).stdout.strip():
            return p
        time.sleep(0.05)
    sys.exit("smtp-sink did not start")


def send(prefix, case, dump):
    before = set(glob.glob(os.path.join(dump, "*")))
    with tempfile.TemporaryFile() as message:
        message.write(case["Message"].encode("utf-8"))
        message.seek(0)
        p = subprocess.run([os.path.join(prefix, "bin", "setuidgid"), "qmailr", os.path.join(prefix, "bin", "qmail-remote"),
                            case["Domain"], "joe@" + case["Domain"], "someone@" + case["Domain"]],
                           stdin=message, capture_output=True, timeout=120)
    new = sorted(set(glob.glob(os.path.join(dump, "*"))) - before)
    received = open(new[0], "rb").read().replace(b"\n", b"\r\n") if new else b""
    if received.endswith(b"\r\n\r\n"):   # smtp-sink's dump ends with one empty line of its own
        received = received[:-2]
    return p.stdout.replace(b"\0", b"|").decode("latin-1") + p.stderr.decode("latin-1"), received


def verify(received):
    if not received:
        return "nothing received", [None, ""]
    try:
        ok = dkim.verify(received)
        pyresult = "pass" if ok else "fail"
    except dkim.DKIMException as e:
        pyresult = "error: %s" % e
    od = subprocess.run(["opendkim-testmsg"], input=received, capture_output=True, timeout=60)
    return pyresult, [od.returncode, (od.stdout + od.stderr).decode("latin-1")]


def main():
    cases, prefix, records = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3:]
    dns = nsdns.start(records)
    dump = tempfile.mkdtemp()
    with open(os.path.join(prefix, "control", "smtproutes"), "w") as f:
        f.write("eight.test:[127.0.0.1]:2525\nseven.test:[127.0.0.1]:2526\n")
    sinks = [sink(2525, dump), sink(2526, dump, "-8")]
    out = {}
    try:
        for case in cases:
            report, received = send(prefix, case, dump)
            pyresult, od = verify(received)
            tampered = verify(received + b"one more line\r\n") if received else None
            out[case["Name"]] = {"report": report, "received": received.decode("latin-1"), "dkimpy": pyresult, "opendkim": od,
                                 "tampered": tampered}
    finally:
        for p in sinks + [dns]:
            p.kill()
    print(json.dumps(out))


main()
