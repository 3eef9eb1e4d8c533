#!/usr/bin/python3
# A DNS server as many broken ones behave: A queries get an answer, AAAA queries get the rcode
# given on the command line (2 SERVFAIL, 5 REFUSED), every other type an empty answer (so no MX:
# the host's own address is used). Usage: broken_dns.py ADDRESS IPV4 RCODE. For tests only.
import socket
import struct
import sys

address, ipv4, aaaa_rcode = sys.argv[1], socket.inet_aton(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((address, 53))
print("ready", flush=True)
while True:
    query, client = s.recvfrom(512)
    ident, flags = struct.unpack(">HH", query[:4])
    end = 12
    while query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    qtype = struct.unpack(">H", query[end + 1:end + 3])[0]
    rcode, answers = 0, b""
    if qtype == 1:
        answers = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + ipv4
    elif qtype == 28:
        rcode = aaaa_rcode
    header = struct.pack(">HHHHHH", ident, 0x8180 | (flags & 0x0100) | rcode, 1, 1 if answers else 0, 0, 0)
    s.sendto(header + question + answers, client)
