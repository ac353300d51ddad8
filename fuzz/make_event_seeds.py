#!/usr/bin/env python3
"""Writes the seed corpus of the event fuzz target, fuzz/corpus/event/seed-NNN: valid events of every kind and policy
type (format version 1, tlsrpt_event(3)) and one input for each way an event can be refused. Written independently
of lib/event.c from the format description, so the seeds also check the description.

usage: make_event_seeds.py [OUTDIR]   (default: corpus/event next to this script)
"""
import os
import struct
import sys

DAY = 1719792000
MAGIC = b"\x89TRE"


def s(text):
    b = text.encode() if isinstance(text, str) else text
    return struct.pack(">H", len(b)) + b


def event(kind=1, ptype=1, time=DAY + 43200, sessions=1, domain="example.com", strings=(), mx=(),
          result=None, fields=None, version=1, size=None, extra=b""):
    body = s(domain) + struct.pack(">H", len(strings)) + b"".join(s(x) for x in strings)
    body += struct.pack(">H", len(mx)) + b"".join(s(x) for x in mx)
    if kind == 2:
        fields = fields or {}
        body += s(result if result is not None else "certificate-expired")
        flags = 0
        for bit in range(6):
            if bit in fields:
                flags |= 1 << bit
        body += bytes([flags]) + b"".join(s(fields[bit]) for bit in sorted(fields))
    body += extra
    total = 4 + 1 + 2 + 1 + 1 + 8 + 8 + len(body)
    head = MAGIC + bytes([version]) + struct.pack(">H", size if size is not None else total)
    return head + bytes([kind, ptype]) + struct.pack(">qQ", time, sessions) + body


STS = ["version: STSv1", "mode: enforce", "mx: mx.example.com", "max_age: 86400"]
ALL_FIELDS = {0: "192.0.2.1", 1: "mx.example.com", 2: "[192.0.2.7]", 3: "2001:db8::25",
              4: "https://mail.example/info", 5: "X509_V_ERR_CERT_HAS_EXPIRED"}

seeds = [
    event(strings=STS, mx=["mx.example.com"]),
    event(strings=["version: STSv1", "mode: enforce"], mx=["mx.example.com"], sessions=1000),  # the harness's policy
    event(ptype=2, domain="mx.example.org", strings=["3 1 1 0123456789ABCDEF"]),
    event(ptype=3, domain="example.edu", sessions=0),
    event(kind=2, strings=STS, mx=["*.example.com"], fields=ALL_FIELDS),
    event(kind=2, ptype=3, domain="EXAMPLE.net", result="starttls-not-supported",
          fields={5: "starttls-refused-454"}),
    event(kind=2, ptype=2, domain="b\u00fccher.example", strings=["2 0 1 ABCD"], result="tlsa-invalid",
          fields={0: "2001:DB8:0:0::1", 3: "198.51.100.3"}),
    event(kind=2, result="quantum-decoherence", fields={1: "xn--bcher-kva.example"}),
    event(time=DAY), event(time=DAY + 86399), event(time=DAY + 86400), event(time=-1), event(time=-(2 ** 63)),
    event(sessions=2 ** 64 - 1),
    # refused
    b'{"policies":[]}',
    MAGIC, MAGIC + b"\x01\x00",
    event(version=2),
    event(size=65508), event(size=30), event(size=200),
    event() + b"\x00",
    event(kind=3), event(ptype=0),
    event(domain="exa mple.com"), event(domain="ex\x00ample.com"), event(domain=b"ex\xc3ample.com"),
    event(mx=["a.*.example.com"]),
    event(kind=2, fields={0: "192.0.2.256"}),
    event(kind=2, result=""),
    event(kind=2, fields={}, extra=b"") [:-1],
    event(extra=b"\x00\x00"),
]
# a failure event with an undefined flag bit
bad_flags = bytearray(event(kind=2))
bad_flags[-1] = 0x40
seeds.append(bytes(bad_flags))
# a count over the limit
many = bytearray(event())
many[25 + 13:25 + 15] = struct.pack(">H", 1001)
seeds.append(bytes(many))

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "event")
os.makedirs(out, exist_ok=True)
for i, data in enumerate(seeds):
    with open(os.path.join(out, "seed-%03d" % i), "wb") as f:
        f.write(data)
print(len(seeds), "seeds in", out)
