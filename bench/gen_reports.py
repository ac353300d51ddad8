#!/usr/bin/env python3
"""Writes the benchmark reports: small (1 policy, ~1 KB), medium (20 policies, ~20 KB) and large (2000 policies,
~2 MB) RFC 8460 reports, each as NAME.json and NAME.json.gz (gzip level 6, mtime 0). Deterministic: the same bytes
on every run (no clock, a fixed-seed generator).

usage: gen_reports.py OUTPUT-DIR
SPDX-License-Identifier: MIT
"""
import gzip
import json
import os
import random
import sys

RESULT_TYPES = ["starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
                "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
                "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid"]
REASONS = ["X509_V_ERR_CERT_HAS_EXPIRED", "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
           "X509_V_ERR_HOSTNAME_MISMATCH", "TLS alert 40: handshake failure"]


def failure(rng, p, k):
    d = {
        "result-type": RESULT_TYPES[(p + k) % len(RESULT_TYPES)],
        "sending-mta-ip": "2001:db8:%x::%x" % (p % 4096, k + 1) if k % 2 else "198.51.100.%d" % (k + 10),
        "receiving-mx-hostname": "mx%d.customer%d.example" % (k % 3 + 1, p),
        "receiving-ip": "203.0.113.%d" % ((p + k) % 250 + 1),
        "failed-session-count": rng.randrange(1, 500),
    }
    if k % 2 == 0:
        d["receiving-mx-helo"] = "mx%d.customer%d.example ESMTP ready" % (k % 3 + 1, p)
        d["failure-reason-code"] = REASONS[(p + k) % len(REASONS)]
    if k % 3 == 0:
        d["additional-information"] = "https://reports.sender.example/tlsrpt/detail?p=%d&k=%d" % (p, k)
    return d


def policy(rng, p):
    domain = "customer%d.example" % p
    if p % 5 == 4:
        pol = {"policy-type": "tlsa",
               "policy-string": ["3 1 1 %064X" % rng.getrandbits(256), "3 1 1 %064X" % rng.getrandbits(256)],
               "policy-domain": domain, "mx-host": ["mx1.%s" % domain]}
    else:
        pol = {"policy-type": "sts",
               "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.%s" % domain,
                                 "mx: *.backup.%s" % domain, "max_age: 604800"],
               "policy-domain": domain, "mx-host": ["mx1.%s" % domain, "*.backup.%s" % domain]}
    details = [failure(rng, p, k) for k in range(p % 4 + 1)]
    return {"policy": pol,
            "summary": {"total-successful-session-count": rng.randrange(0, 10 ** 7),
                        "total-failure-session-count": sum(d["failed-session-count"] for d in details)},
            "failure-details": details}


def report(n_policies, seed):
    rng = random.Random(seed)
    return {"organization-name": "Benchmark Mail Provider, Inc.",
            "date-range": {"start-datetime": "2024-03-01T00:00:00Z", "end-datetime": "2024-03-01T23:59:59Z"},
            "contact-info": "smtp-tls-reporting@sender.example",
            "report-id": "2024-03-01T00:00:00Z_bench-%d" % n_policies,
            "policies": [policy(rng, p) for p in range(n_policies)]}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, n in [("small", 1), ("medium", 20), ("large", 2000)]:
        text = json.dumps(report(n, n), indent=None).encode()
        with open(os.path.join(out, name + ".json"), "wb") as f:
            f.write(text)
        with open(os.path.join(out, name + ".json.gz"), "wb") as f:
            f.write(gzip.compress(text, compresslevel=6, mtime=0))
        print("%-6s %4d policies  %8d bytes JSON  %7d bytes gzip" %
              (name, n, len(text), os.path.getsize(os.path.join(out, name + ".json.gz"))))


if __name__ == "__main__":
    main()
