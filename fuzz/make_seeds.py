#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the json, dns_answer, dns_packet, sts_record, sts_policy and mbox fuzz targets (every byte is made here).

Usage: fuzz/make_seeds.py [OUTDIR]   (default: fuzz/corpus next to this script)
Seeds are named seed-NNN; inputs that libFuzzer found later are merged in under their SHA-1 names.
SPDX-License-Identifier: MIT
"""
import os
import struct
import sys

# ---- json: first byte = mode (bit 0 strict, bit 1 skip, bit 2 half max_size) ---------------------------------------

REPORT = (
    b'{"organization-name":"Example Mail","date-range":{"start-datetime":"2024-01-01T00:00:00Z",'
    b'"end-datetime":"2024-01-01T23:59:59Z"},"contact-info":"tlsrpt@example.net","report-id":"r-1",'
    b'"policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce",'
    b'"mx: mx1.example.com","max_age: 86400"],"policy-domain":"example.com","mx-host":["mx1.example.com"]},'
    b'"summary":{"total-successful-session-count":5326,"total-failure-session-count":303},'
    b'"failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"2001:db8::25",'
    b'"receiving-mx-hostname":"mx1.example.com","receiving-ip":"192.0.2.25","failed-session-count":100,'
    b'"additional-information":"https://example.net/x","failure-reason-code":"X509_V_ERR_CERT_HAS_EXPIRED"}]}]}'
)

JSON_TEXTS = [
    REPORT,
    b'{}', b'[]', b'0', b'-0', b'1.5e+10', b'18446744073709551615', b'18446744073709551616', b'-1', b'1.0',
    b'1E2', b'true', b'false', b'null', b'""', b'"a\\u0000b"', b'"\\ud83d\\ude00"', b'"\\ud800"', b'"\\udc00x"',
    b'"\\"\\\\\\/\\b\\f\\n\\r\\t"', b'"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"', b'"\xff\xfe bad utf8"',
    b'"\xed\xa0\x80"', b'"\xc0\xaf"', b'"\xf4\x90\x80\x80"', b'\xef\xbb\xbf{"bom":1}',
    b'{"a":1,"a":2}', b'{"a/b~c":[1,{"d":[[]]}]}', b'[1,2,3,[4,[5,[6]]]]', b'[' * 70 + b']' * 70,
    b'[' * 200, b'{"a":', b'{"a" 1}', b'[1,]', b'{,}', b'01', b'1.', b'-', b'1e', b'tru', b'nul',
    b'"unterminated', b'"\x01"', b'"\\x"', b'"\\u12"', b'[1] x', b'  \t\r\n [ ] \n',
    b'{' + b','.join(b'"k%d":%d' % (i, i) for i in range(40)) + b'}',
    b'{' + b','.join(b'"k%d":%d' % (i % 20, i) for i in range(40)) + b'}',
    b'{"' + b'n' * 200 + b'":{"x\\u002fy":[0.5,-2,3e-2]}}',
]

# ---- dns_answer ------------------------------------------------------------------------------------------------------


def txt_rr(*strings, repeat=False):
    out = bytes([len(strings) | (0x80 if repeat else 0)])
    for s in strings:
        out += bytes([len(s)]) + s
    return out


def long_string(units, fill):
    return bytes([0xEF + units, fill])


def answer_seed(status, auth, dest, domain_sel, rrs, domain=None):
    b0 = status | (4 if auth else 0) | (dest << 3)
    if domain is None:
        return bytes([b0, domain_sel]) + b''.join(rrs)
    return bytes([b0, 0x80, len(domain)]) + domain + b''.join(rrs)


REC = b'v=TLSRPTv1; rua=mailto:tlsrpt@example.com'
ANSWER_SEEDS = [
    answer_seed(0, False, 0, 0, [txt_rr(REC)]),
    answer_seed(0, True, 1, 1, [txt_rr(b'v=TLSRPTv1;', b'rua=https://reports.example.com/v1')]),
    answer_seed(0, False, 2, 2, [txt_rr(b'v=spf1 -all'), txt_rr(REC)]),
    answer_seed(0, False, 0, 0, [txt_rr(REC), txt_rr(b'v=TLSRPTv1 ;rua=mailto:a@b.example')]),
    answer_seed(0, False, 3, 0, []),
    answer_seed(0, False, 0, 0, [txt_rr()]),
    answer_seed(0, False, 0, 0, [txt_rr(b'v=TLSRPTv1; rua=ftp://x')]),
    answer_seed(0, False, 0, 0, [txt_rr(b'v=TLSRPTv1;')]),
    answer_seed(1, True, 0, 0, [txt_rr(REC)]),
    answer_seed(2, False, 0, 0, [txt_rr(REC)]),
    answer_seed(3, False, 0, 0, []),
    answer_seed(0, False, 0, 0, [txt_rr(REC, repeat=True)] * 5),
    answer_seed(0, False, 0, 0, [bytes([2]) + long_string(16, ord('a')) + long_string(1, ord('b'))]),
    answer_seed(0, False, 0, 0, [], domain=b'b\xc3\xbccher.example'),
    answer_seed(0, False, 0, 0, [txt_rr(REC)], domain=b'-bad-.example'),
    answer_seed(0, False, 0, 0, [txt_rr(REC)], domain=b'a' * 64 + b'.example'),
    answer_seed(0, False, 4, 0, [txt_rr(b'v=TLSRPTv1')]),
    answer_seed(0, False, 5, 3, [txt_rr(b'v=TLSRPTv1 \t')]),
    answer_seed(0, False, 7, 2, [txt_rr(b'v=TLSRPTv1x')]),
    answer_seed(0, False, 1, 0, [txt_rr(b'v=TLSRPTv1', b'; rua=mailto:x@', b'example.org'),
                                 txt_rr(b'\x00v=TLSRPTv1;')]),
]

# ---- dns_packet: byte 0 = qname index | 4 for id 0xBEEF; then 2-byte length + reply, ... -----------------------------

QNAMES = [b'_smtp._tls.example.com.', b'_smtp._tls.xn--bcher-kva.example.',
          b'example.com._report._tls.reports.example.net.', b'_smtp._tls.a.']
T_TXT, T_CNAME, T_A = 16, 5, 1


def wire_name(name):
    out = b''
    for label in name.rstrip(b'.').split(b'.'):
        out += bytes([len(label)]) + label
    return out + b'\x00'


def rr(owner, rtype, rdata, rclass=1, ttl=300):
    return owner + struct.pack('>HHIH', rtype, rclass, ttl, len(rdata)) + rdata


def txt_rdata(*strings):
    return b''.join(bytes([len(s)]) + s for s in strings)


def reply(qname, answers, rid=0x1234, rcode=0, flags=0x8180, qtype=T_TXT, qdcount=1, extra=b''):
    flags = (flags & ~0xF) | rcode
    header = struct.pack('>HHHHHH', rid, flags, qdcount, len(answers), 0, 0)
    question = wire_name(qname) + struct.pack('>HH', qtype, 1) if qdcount else b''
    return header + question + b''.join(answers) + extra


def framed(*packets):
    return b''.join(struct.pack('>H', len(p)) + p for p in packets)


def packet_seeds():
    q0 = QNAMES[0]
    n0 = wire_name(q0)
    ptr = b'\xc0\x0c'  # compression pointer to the question name
    tgt = b'_smtp._tls.target.example.net.'
    seeds = [
        bytes([0]) + framed(reply(q0, [rr(ptr, T_TXT, txt_rdata(REC))])),
        bytes([0]) + framed(reply(q0, [rr(n0, T_TXT, txt_rdata(b'v=TLSRPTv1;', b'rua=mailto:a@example.com')),
                                       rr(n0, T_TXT, txt_rdata(b'other'))], flags=0x81A0)),  # AD bit
        bytes([0]) + framed(reply(q0, [], rcode=3)),
        bytes([0]) + framed(reply(q0, [], rcode=2), reply(q0, [rr(ptr, T_TXT, txt_rdata(b'x'))])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_CNAME, wire_name(tgt)),
                                       rr(wire_name(tgt), T_TXT, txt_rdata(REC))])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_CNAME, wire_name(tgt))]),
                            reply(tgt, [rr(b'\xc0\x0c', T_TXT, txt_rdata(REC))])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_CNAME, wire_name(tgt)),
                                       rr(wire_name(tgt), T_CNAME, n0)])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_CNAME, wire_name(b'c1.example.'))] +
                                  [rr(wire_name(b'c%d.example.' % i), T_CNAME, wire_name(b'c%d.example.' % (i + 1)))
                                   for i in range(1, 11)])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_A, b'\xc0\x00\x02\x01'), rr(ptr, T_TXT, txt_rdata(b''), rclass=3)])),
        bytes([4]) + framed(reply(q0, [rr(ptr, T_TXT, txt_rdata(REC))], rid=0xBEEF)),
        bytes([4]) + framed(reply(q0, [rr(ptr, T_TXT, txt_rdata(REC))], rid=0x0001)),
        bytes([0]) + framed(reply(q0, [], flags=0x0100)),  # QR clear
        bytes([0]) + framed(reply(q0, [], flags=0xA980)),  # opcode 5
        bytes([0]) + framed(reply(q0, [], qtype=T_A)),
        bytes([0]) + framed(reply(QNAMES[3], [])),
        bytes([0]) + framed(reply(q0, [], qdcount=0)),
        bytes([0]) + framed(b'\x12\x34\x81'),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_TXT, b'\x05ab')])),  # string longer than the rdata
        bytes([0]) + framed(reply(q0, [rr(b'\xc0\x0c', T_TXT, txt_rdata(b'a' * 255, b'b' * 255))])),
        bytes([1]) + framed(reply(QNAMES[1], [rr(ptr, T_TXT, txt_rdata(b'v=TLSRPTv1;rua=mailto:x@y.example'))])),
        bytes([2]) + framed(reply(QNAMES[2], [rr(ptr, T_TXT, txt_rdata(b'v=TLSRPTv1'))])),
        bytes([3]) + framed(reply(QNAMES[3], [rr(ptr, T_TXT, txt_rdata())])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_TXT, txt_rdata(b'x'))] * 300)),
        bytes([0]) + framed(reply(q0, [rr(b'\xc0\x0c', T_TXT, txt_rdata(b'x'))], extra=b'\xc0\xff\x00')),
    ]
    # Since 1.1: chains at the bound (11 CNAMEs, then the record), one past it (12), a loop across two replies, TTLs
    # with the top bit set (RFC 2181 §8: 0) and a CNAME TTL.
    chain = [wire_name(b'c%d.example.' % i) for i in range(1, 13)]
    def hops(n):
        return [rr(ptr, T_CNAME, chain[0], ttl=120)] + [rr(chain[i], T_CNAME, chain[i + 1]) for i in range(n - 1)]
    seeds += [
        bytes([0]) + framed(reply(q0, hops(11) + [rr(chain[10], T_TXT, txt_rdata(REC), ttl=0x80000001)])),
        bytes([0]) + framed(reply(q0, hops(12) + [rr(chain[11], T_TXT, txt_rdata(REC))])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_CNAME, wire_name(tgt))]),
                            reply(tgt, [rr(b'\xc0\x0c', T_CNAME, n0)])),
        bytes([0]) + framed(reply(q0, [rr(ptr, T_TXT, txt_rdata(REC), ttl=0xFFFFFFFF),
                                       rr(ptr, T_TXT, txt_rdata(b'a', b'b'), ttl=0x7FFFFFFF)])),
    ]
    return seeds


# ---- sts_record and sts_policy: RFC 8461 §3.1 / §3.2 texts, valid and one step off ----------------------------------

STS_RECORD_SEEDS = [
    b'v=STSv1; id=20160831085700Z;', b'v=STSv1;id=1', b'v=STSv1 ; id=abc', b'v=STSv1; id=x \t',
    b'v=STSv1; id=1; id=2', b'v=STSv1; v=STSv2; id=1', b'v=STSv1; ID=a; id=b', b'v=STSv1; ext.a_-1=%x!~; id=Z',
    b'v=STSv1; id=' + b'a' * 32, b'v=STSv1; id=' + b'a' * 33, b'v=STSv1; id=', b'v=STSv1; id=2016-08-31',
    b'v=STSv1;; id=1', b'v=STSv1; id=1 x=y', b'v=STSv10; id=1', b'V=STSv1; id=1', b'v=STSv1', b'',
    b'v=STSv1; id=1; a=b=c', b'v=STSv1; id=1\x00', b'v=STSv1; id=1; ' + b'; '.join(b'e%d=v' % i for i in range(130)),
]

_POLICY = (b'version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\n'
           b'max_age: 604800\n')

STS_POLICY_SEEDS = [
    _POLICY,
    _POLICY.replace(b'\n', b'\r\n'),
    _POLICY.rstrip(b'\n'),
    b'max_age:604800\nmx:\tmail.example.com \t\nversion:  STSv1\t\nmode: testing \n',
    b'version: STSv1\nmode: none\nmax_age: 0\n',
    b'version: STSv1\n\nmode: none\n \t\r\nmax_age: 0\n\n',
    b'version: STSv1\nmode: testing\nmax_age: 86400\nmx: xn--mnchen-3ya.de\nmx: *.XN--55QX5D.cn\nmx: 192.0.2.1\n',
    b'version: STSv1\nmode: testing\nmax_age: 86400\nmx: m\xc3\xbcnchen.de\n',
    b'version: STSv1\nmode: testing\nmax_age: 86400\nmx: a.*.example\n',
    b'version: STSv1\nmode: testing\nmax_age: 86400\nmx: mx.example.com\ncontact: caf\xc3\xa9  au lait\nMode: x\n',
    b'version: STSv1\nmode: enforce\nmax_age: 31557601\nmx: a.example\n',
    b'version: STSv1\nmode: enforce\nmax_age: 0000086400\nmx: a.example\n',
    b'version: STSv1\nversion: STSv1\n', b'version : STSv1\n', b' mode: none\n', b'mode: Enforce\n',
    b'version: STSv1\rmode: enforce\n', b'version: STSv1\nmode: none\x00\n', b'',
    b'version: STSv1\nmode: enforce\nmax_age: 86400\n' + b''.join(b'mx: mx%d.example.com\n' % i for i in range(501)),
    b'version: STSv1\nmode: testing\nmax_age: 1\nmx: ' + b'.'.join([b'a' * 63] * 3) + b'.' + b'b' * 61 + b'\n',
]


# ---- mbox: first byte = bit 0 strict, bit 1 domain filter "example.com"; then the mailbox --------------------------

def report_mail(report, gz=True, crlf=False, domain=b"example.com"):
    import base64
    import gzip
    body = base64.encodebytes(gzip.compress(report, mtime=0)) if gz else report + b"\n"
    ctype = b"application/tlsrpt+gzip" if gz else b"application/tlsrpt+json"
    cte = b"base64" if gz else b"7bit"
    text = (b"From: tlsrpt@example.net\nTo: tlsrpt@" + domain + b"\nSubject: Report Domain: " + domain +
            b" Submitter: example.net Report-ID: <r-1@example.net>\nTLS-Report-Domain: " + domain +
            b"\nTLS-Report-Submitter: example.net\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b\"\n\n--b\n"
            b"Content-Type: text/plain\n\nFrom here a report.\n--b\nContent-Type: " + ctype +
            b"\nContent-Transfer-Encoding: " + cte + b"\n\n" + body + b"--b--\n")
    return text.replace(b"\n", b"\r\n") if crlf else text


def mbox(*messages):
    return b"".join(b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n" + m + b"\n" for m in messages)


OTHER = REPORT.replace(b'"r-1"', b'"r-2"').replace(b'example.com', b'Example.ORG.')
MBOX_SEEDS = [
    bytes([0]) + mbox(report_mail(REPORT), report_mail(REPORT), report_mail(OTHER, gz=False)),
    bytes([1]) + mbox(report_mail(REPORT, crlf=True)).replace(b"\n", b"\r\n"),
    bytes([2]) + mbox(report_mail(REPORT), report_mail(OTHER), b"Subject: broken\n\n{\"policies\":["),
    bytes([0]) + b"junk before the first From line\n" + mbox(report_mail(REPORT, gz=False)),
    bytes([0]) + REPORT,
    bytes([3]) + b"From \nFrom \n\nFrom x\n>From y\n",
    bytes([0]),
]


def write(outdir, name, seeds):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    for i, s in enumerate(seeds):
        with open(os.path.join(d, 'seed-%03d' % i), 'wb') as f:
            f.write(s)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    json_seeds = []
    for i, t in enumerate(JSON_TEXTS):
        json_seeds.append(bytes([i % 2]) + t)  # alternate lenient / strict
    json_seeds += [bytes([2]) + REPORT, bytes([3]) + REPORT, bytes([4]) + REPORT, bytes([1]) + b'\xef\xbb\xbf[]']
    write(outdir, 'json', json_seeds)
    write(outdir, 'dns_answer', ANSWER_SEEDS)
    write(outdir, 'dns_packet', packet_seeds())
    write(outdir, 'sts_record', STS_RECORD_SEEDS)
    write(outdir, 'sts_policy', STS_POLICY_SEEDS)
    write(outdir, 'mbox', MBOX_SEEDS)


if __name__ == '__main__':
    main()
