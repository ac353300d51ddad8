#!/usr/bin/env python3
"""The same job as report_bench.c in Python 3: json.loads(gzip.decompress(data)), then every field read the way
report_bench.c reads it through libtlsrpt's getters, folded into the same checksum. Output as report_bench.

usage: bench_py.py [--seconds S] FILE...
SPDX-License-Identifier: MIT
"""
import datetime
import gzip
import json
import sys
import time

BATCHES = 5
POLICY_TYPES = {"sts": 1, "tlsa": 2, "no-policy-found": 3}
RESULT_TYPES = {name: i + 1 for i, name in enumerate([
    "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
    "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
    "sts-policy-invalid", "sts-webpki-invalid"])}
MASK = (1 << 64) - 1


def slen(o, key):
    v = o.get(key)
    return len(v) if isinstance(v, str) else 0


def unix_time(o, key):
    v = o.get(key)
    if not isinstance(v, str):
        return 0
    return int(datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp())


def walk(r):
    rng = r.get("date-range") or {}
    c = (slen(r, "organization-name") + slen(r, "contact-info") + slen(r, "report-id") +
         unix_time(rng, "start-datetime") + unix_time(rng, "end-datetime"))
    policies = r.get("policies") or []
    c += len(policies)
    for entry in policies:
        p = entry.get("policy") or {}
        ptype = p.get("policy-type")
        c += POLICY_TYPES.get(ptype, 0) + len(ptype) + slen(p, "policy-domain")
        for s in p.get("policy-string") or []:
            c += len(s)
        mx = p.get("mx-host")
        if isinstance(mx, str):
            c += len(mx)
        else:
            for s in mx or []:
                c += len(s)
        summary = entry.get("summary") or {}
        c += summary.get("total-successful-session-count", 0) + summary.get("total-failure-session-count", 0)
        details = entry.get("failure-details") or []
        c += len(details)
        for f in details:
            rt = f.get("result-type")
            c += (RESULT_TYPES.get(rt, 0) + len(rt) + slen(f, "sending-mta-ip") + slen(f, "receiving-mx-hostname") +
                  slen(f, "receiving-mx-helo") + slen(f, "receiving-ip") + slen(f, "additional-information") +
                  slen(f, "failure-reason-code") + f.get("failed-session-count", 0))
    return c & MASK


def once(data):
    text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return walk(json.loads(text))


def json_size(data):
    return int.from_bytes(data[-4:], "little") if data[:2] == b"\x1f\x8b" else len(data)


def main():
    args = sys.argv[1:]
    seconds = 1.0
    if args[:1] == ["--seconds"]:
        seconds, args = float(args[1]), args[2:]
    for name in args:
        with open(name, "rb") as f:
            data = f.read()
        checksum = once(data)
        iters = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(iters):
                once(data)
            if time.perf_counter() - t0 >= seconds / BATCHES / 4:
                break
            iters *= 2
        iters *= 4
        best = min(timed(data, iters) for _ in range(BATCHES))
        print("python3\t%s\t%d\t%.3f\t%d" % (name, json_size(data), best * 1e6, checksum))


def timed(data, iters):
    t0 = time.perf_counter()
    for _ in range(iters):
        once(data)
    return (time.perf_counter() - t0) / iters


if __name__ == "__main__":
    main()
