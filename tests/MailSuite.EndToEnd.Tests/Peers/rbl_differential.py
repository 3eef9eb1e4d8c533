#!/usr/bin/python3
"""Runs Debian's rblsmtpd and ours on the same cases, inside a network namespace whose only DNS
server is a dnsmasq this script starts on 127.0.0.1:53 with the records given on the command line.

usage: rbl_differential.py CASES.json OURS DEBIAN DNSMASQ-ARG...
Prints one JSON object: case name -> {"ours": run, "debian": run}, a run being the exit code,
standard output (latin-1) and the log on standard error with its timestamp and pid taken out.
"""
import nsdns
import json, re, subprocess, sys

def normalize(err):
    lines = []
    for line in err.decode("latin-1").splitlines():
        line = re.sub(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ", "", line)
        lines.append(re.sub(r" pid \d+:", " pid N:", line))
    return "\n".join(lines)

def run(program, case):
    env = {"PATH": "/usr/bin:/bin", "DNSCACHEIP": "127.0.0.1", "TCPREMOTEIP": case["Ip"]}
    if case["Rblsmtpd"] is not None:
        env["RBLSMTPD"] = case["Rblsmtpd"]
    p = subprocess.run([program] + case["Args"], input=case["Input"].encode("latin-1"), env=env,
                       capture_output=True, timeout=60)
    return {"exit": p.returncode, "out": p.stdout.decode("latin-1"), "err": normalize(p.stderr)}

def main():
    cases, ours, debian = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
    dns = nsdns.start(sys.argv[4:])
    try:
        print(json.dumps({c["Name"]: {"ours": run(ours, c), "debian": run(debian, c)} for c in cases}))
    finally:
        dns.kill()

main()
