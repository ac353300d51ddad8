#!/usr/bin/env python3
"""A scripted DNS server that misbehaves on purpose, for the DNS integration tests.

usage: fault_server.py PROGRAM [ARGS...]

Listens on 127.0.0.1, UDP and TCP, on one free port; runs PROGRAM with TLSRPT_TEST_FAULT_PORT set to it; stops and
exits with PROGRAM's status. What it answers depends on the first label of the query name after "_smtp._tls." (or
the first label when there is none):

  servfail refused formerr  that rcode                timeout      never answers
  tc          UDP: TC bit, no answer; TCP: one TLSRPT record
  wrongid     a reply whose id is not the query's       wrongq       a reply for another question name
  wrongid2    a wrong-id reply, then the right answer   garbage      7 random bytes
  badbody     a header that matches, then junk          notresponse  the query sent back (QR clear)
  ad          one TLSRPT record with the AD bit set     echo         TXT "ad=<AD> rd=<RD> edns=<UDP size or 0>"
  tcpwrongid  UDP: TC; TCP: a wrong-id reply            tcpclose     UDP: TC; TCP: closes without answering
  junkrr      the record plus RRs for other names and another class
  cnameonly   only a CNAME to _smtp._tls.target.fault. (which answers with a record when asked)
  manyrrs     300 TXT records (UDP: TC; TCP: all of them)
  noedns      FORMERR to a query with EDNS0 (an OPT record), the record to one without (RFC 6891 section 7)
  adnine      9 CNAMEs then the record, AD set (what a validating Unbound answers for such a chain)
  adtwelve    12 CNAMEs then the record, AD set
  anything else: NXDOMAIN
Standard library only.
"""
import os
import socket
import struct
import subprocess
import sys
import threading

RECORD = b"v=TLSRPTv1;rua=mailto:tlsrpt@fault.test"


def parse_query(data):
    """(id, flags, qname labels, qtype, qclass, question bytes, edns udp size or 0)."""
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", data[:12])
    pos = 12
    labels = []
    while data[pos] != 0:
        n = data[pos]
        labels.append(data[pos + 1:pos + 1 + n])
        pos += 1 + n
    pos += 1
    qtype, qclass = struct.unpack("!HH", data[pos:pos + 4])
    question = data[12:pos + 4]
    pos += 4
    edns = 0
    if ar >= 1 and pos + 11 <= len(data) and data[pos] == 0:
        rtype, rclass = struct.unpack("!HH", data[pos + 1:pos + 5])
        if rtype == 41:
            edns = rclass
    return qid, flags, labels, qtype, qclass, question, edns


def encode_name(labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"


def txt_rr(owner, strings, rclass=1):
    rdata = b"".join(bytes([len(s)]) + s for s in strings)
    return owner + struct.pack("!HHIH", 16, rclass, 300, len(rdata)) + rdata


def cname_rr(owner, target):
    return owner + struct.pack("!HHIH", 5, 1, 300, len(target)) + target


def message(qid, question, rcode=0, answers=(), tc=False, ad=False, qr=True):
    flags = (0x8000 if qr else 0) | 0x0400 | 0x0100 | (0x0200 if tc else 0) | (0x0020 if ad else 0) | rcode
    return struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0) + question + b"".join(answers)


def case_of(labels):
    names = [l.decode("ascii", "replace").lower() for l in labels]
    if len(names) >= 3 and names[0] == "_smtp" and names[1] == "_tls":
        return names[2]
    return names[0] if names else ""


def respond(data, tcp):
    """List of reply messages for one query (empty: stay silent)."""
    qid, flags, labels, qtype, qclass, question, edns = parse_query(data)
    case = case_of(labels)
    owner = question[:-4]
    record = [txt_rr(owner, [RECORD])]
    if case == "servfail":
        return [message(qid, question, rcode=2)]
    if case == "refused":
        return [message(qid, question, rcode=5)]
    if case == "formerr":
        return [message(qid, question, rcode=1)]
    if case == "timeout":
        return []
    if case == "tc":
        return [message(qid, question, answers=record)] if tcp else [message(qid, question, tc=True)]
    if case == "wrongid":
        return [message(qid ^ 0x5A5A, question, answers=record)]
    if case == "wrongid2":
        return [message(qid ^ 0x5A5A, question, answers=record), message(qid, question, answers=record)]
    if case == "wrongq":
        other = encode_name([b"_smtp", b"_tls", b"elsewhere", b"fault"]) + question[-4:]
        return [message(qid, other, answers=[txt_rr(other[:-4], [RECORD])])]
    if case == "garbage":
        return [os.urandom(7)]
    if case == "badbody":
        return [struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + b"\x07garbage\xff\xff"]
    if case == "notresponse":
        return [data]
    if case == "ad":
        return [message(qid, question, answers=record, ad=True)]
    if case == "echo":
        text = b"ad=%d rd=%d edns=%d" % ((flags >> 5) & 1, (flags >> 8) & 1, edns)
        return [message(qid, question, answers=[txt_rr(owner, [text])])]
    if case == "tcpwrongid":
        return [message(qid ^ 1, question, answers=record)] if tcp else [message(qid, question, tc=True)]
    if case == "tcpclose":
        return [None] if tcp else [message(qid, question, tc=True)]
    if case == "junkrr":
        stranger = encode_name([b"stranger", b"fault"])
        return [message(qid, question, answers=[txt_rr(stranger, [b"v=TLSRPTv1;rua=mailto:evil@evil.test"]),
                                                 txt_rr(owner, [b"v=TLSRPTv1;rua=mailto:chaos@fault.test"], 3),
                                                 record[0]])]
    if case == "cnameonly":
        target = encode_name([b"_smtp", b"_tls", b"target", b"fault"])
        return [message(qid, question, answers=[cname_rr(owner, target)])]
    if case == "target":
        return [message(qid, question, answers=record)]
    if case == "noedns":
        return [message(qid, question, rcode=1)] if edns else [message(qid, question, answers=record)]
    if case in ("adnine", "adtwelve"):
        hops = 9 if case == "adnine" else 12
        names = [owner] + [encode_name([b"hop%d" % i, b"chain", b"fault"]) for i in range(1, hops + 1)]
        answers = [cname_rr(names[i], names[i + 1]) for i in range(hops)] + [txt_rr(names[-1], [RECORD])]
        return [message(qid, question, answers=answers, ad=True)]
    if case == "manyrrs":
        if not tcp:
            return [message(qid, question, tc=True)]
        return [message(qid, question, answers=[txt_rr(owner, [b"other %d" % i]) for i in range(300)])]
    return [message(qid, question, rcode=3)]


def serve_udp(sock):
    while True:
        try:
            data, peer = sock.recvfrom(65535)
        except OSError:
            return
        try:
            for reply in respond(data, False):
                sock.sendto(reply, peer)
        except Exception as e:  # a broken query must not stop the server
            sys.stderr.write(f"fault server (UDP): {e!r}\n")


def read_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_tcp_conn(conn):
    with conn:
        conn.settimeout(10)
        try:
            prefix = read_exact(conn, 2)
            if prefix is None:
                return
            data = read_exact(conn, struct.unpack("!H", prefix)[0])
            if data is None:
                return
            for reply in respond(data, True):
                if reply is None:
                    return
                conn.sendall(struct.pack("!H", len(reply)) + reply)
        except Exception as e:
            sys.stderr.write(f"fault server (TCP): {e!r}\n")


def serve_tcp(sock):
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=serve_tcp_conn, args=(conn,), daemon=True).start()


def bind_pair():
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
        except OSError:
            t.close()
            continue
        t.listen(16)
        return u, t, port
    raise RuntimeError("no free port")


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    udp, tcp, port = bind_pair()
    threading.Thread(target=serve_udp, args=(udp,), daemon=True).start()
    threading.Thread(target=serve_tcp, args=(tcp,), daemon=True).start()
    env = dict(os.environ, TLSRPT_TEST_FAULT_PORT=str(port))
    try:
        return subprocess.call(sys.argv[1:], env=env)
    finally:
        udp.close()
        tcp.close()


if __name__ == "__main__":
    sys.exit(main())
