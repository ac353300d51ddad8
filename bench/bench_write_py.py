#!/usr/bin/env python3
"""The Python 3 baseline of write_bench.c: the report of LARGE.json (json.load) serialized with json.dumps (compact,
as libtlsrpt writes it) and gzipped with gzip.compress (level 9, Python's default; libtlsrpt uses libdeflate level
9). Also, for the outcome figures, the same two updates done the Python way: a counter in a dict, and a failure
detail found by its identity (a tuple of its fields) in a dict over 50 details. Output as write_bench.

usage: bench_write_py.py [--seconds S] LARGE.json
SPDX-License-Identifier: MIT
"""
import gzip
import json
import sys
import time

BATCHES = 5


def best_per_iter(job, seconds):
    iters = 1
    while job(iters) < seconds / BATCHES / 4:
        iters *= 2
    iters *= 4
    return min(job(iters) for _ in range(BATCHES)) / iters


def main():
    args = sys.argv[1:]
    seconds = 1.0
    if len(args) > 1 and args[0] == "--seconds":
        seconds = float(args[1])
        args = args[2:]
    if len(args) != 1:
        sys.exit("usage: bench_write_py.py [--seconds S] LARGE.json")

    summary = {"total-successful-session-count": 0, "total-failure-session-count": 0}

    def successes(iters):
        t0 = time.perf_counter()
        for _ in range(iters):
            summary["total-successful-session-count"] += 1
        return time.perf_counter() - t0

    result_types = ["starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
                    "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
                    "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid"]
    keys = []
    for i in range(50):
        ip = "2001:db8:%x::%x" % (i, i + 1) if i % 2 else "198.51.100.%d" % (i + 10)
        keys.append((result_types[i % 11], ip, "mx%d.customer.example" % (i % 3 + 1), "203.0.113.%d" % (i % 3 + 1)))
    details = {k: 0 for k in keys}
    x, order = 12345, []
    for _ in range(4096):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        order.append(keys[(x >> 16) % 50])

    def failures(iters):
        t0 = time.perf_counter()
        for k in range(iters):
            details[order[k % 4096]] += 1
            summary["total-failure-session-count"] += 1
        return time.perf_counter() - t0

    print("write\tpython3\tsuccesses-per-s\t%.0f" % (1 / best_per_iter(successes, seconds)))
    print("write\tpython3\tfailures-per-s\t%.0f" % (1 / best_per_iter(failures, seconds)))

    with open(args[0], "rb") as f:
        report = json.load(f)
    text = json.dumps(report, separators=(",", ":"), ensure_ascii=False)

    def serialize(iters):
        t0 = time.perf_counter()
        for _ in range(iters):
            json.dumps(report, separators=(",", ":"), ensure_ascii=False)
        return time.perf_counter() - t0

    def serialize_gzip(iters):
        t0 = time.perf_counter()
        for _ in range(iters):
            gzip.compress(json.dumps(report, separators=(",", ":"), ensure_ascii=False).encode(), compresslevel=9)
        return time.perf_counter() - t0

    print("write\tpython3\tserialize-us\t%.1f" % (best_per_iter(serialize, seconds) * 1e6))
    print("write\tpython3\tjson-bytes\t%d" % len(text.encode()))
    print("write\tpython3\tserialize-gzip-us\t%.1f" % (best_per_iter(serialize_gzip, seconds) * 1e6))
    print("write\tpython3\tgzip-bytes\t%d" % len(gzip.compress(text.encode(), compresslevel=9)))


if __name__ == "__main__":
    main()
