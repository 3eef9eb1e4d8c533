#!/usr/bin/python3
"""A client of qmail-queued's socket written from its README (netstrings: greeting, environment,
message pieces of at most 64 KiB, an empty piece, envelope; answer "CODE PID"), well-behaved or
not, for the tests.

usage: queue_client.py SOCKET send ENVELOPE-FILE [NAME=VALUE...]   message on stdin
       queue_client.py SOCKET garbage      a greeting read, then bytes that are no netstring
       queue_client.py SOCKET cut          half a message, then the connection closed
       queue_client.py SOCKET hold N       N connections held open until stdin ends
Prints one JSON line: {"greeting": ..., "verdict": ...} (hold: {"greetings": [...]}).
"""
import json, socket, sys


def netstring(data):
    return str(len(data)).encode() + b":" + data + b","


def read_netstring(f):
    length = b""
    while True:
        c = f.read(1)
        if not c:
            return None
        if c == b":":
            break
        length += c
    data = f.read(int(length))
    f.read(1)
    return data.decode("latin-1")


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    f = s.makefile("rb")
    return s, f, read_netstring(f)


def send(path, envelope_file, env):
    s, f, greeting = connect(path)
    message = sys.stdin.buffer.read()
    out = netstring(b"".join(v.encode() + b"\0" for v in env))
    for i in range(0, len(message), 65536):
        out += netstring(message[i:i + 65536])
    out += netstring(b"") + netstring(open(envelope_file, "rb").read())
    s.sendall(out)
    s.shutdown(socket.SHUT_WR)
    return {"greeting": greeting, "verdict": read_netstring(f)}


def misbehave(path, mode):
    s, f, greeting = connect(path)
    if mode == "garbage":
        s.sendall(b"0:,\x00\xffGET / HTTP/1.0\r\n\r\n" * 100)
        s.shutdown(socket.SHUT_WR)
        return {"greeting": greeting, "verdict": read_netstring(f)}
    s.sendall(netstring(b"") + netstring(b"Subject: cut short\n\n" + b"x" * 1000))
    s.close()
    return {"greeting": greeting, "verdict": None}


def hold(path, n):
    held = [connect(path) for _ in range(n)]
    print(json.dumps({"greetings": [g for _, _, g in held]}), flush=True)
    sys.stdin.read()
    return None


path, mode = sys.argv[1], sys.argv[2]
if mode == "send":
    result = send(path, sys.argv[3], sys.argv[4:])
elif mode == "hold":
    result = hold(path, int(sys.argv[3]))
else:
    result = misbehave(path, mode)
if result is not None:
    print(json.dumps(result))
