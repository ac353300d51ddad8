#!/usr/bin/env python3
"""Tests of `tlsrpt sts generate|check|lookup`.

usage: run_with_nsd.py NSD tests/sts/zones python3 run_with_https.py python3 test_sts.py PATH-TO-tlsrpt
NSD serves tests/sts/zones (TLSRPT_TEST_NSD_PORT); run_with_https.py serves the policies with a test CA
(TLSRPT_TEST_HTTPS_PORT, TLSRPT_TEST_CA_FILE). The JSON documents are checked member by member; the text output of
the main cases exactly. Python standard library only; exit status 1 on any failure.
"""
import json
import os
import re
import subprocess
import sys
import unittest

EXE = None


def run(args, stdin=None):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    p = subprocess.run([EXE] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "surrogateescape")


def lookup(*args):
    return run(["sts", "lookup", "--server", "127.0.0.1:" + os.environ["TLSRPT_TEST_NSD_PORT"],
                "--connect-to", "::127.0.0.1:" + os.environ["TLSRPT_TEST_HTTPS_PORT"],
                "--ca-file", os.environ["TLSRPT_TEST_CA_FILE"], "--timeout", "3000"] + list(args))


def ids(doc):
    return [f["id"] for f in doc["findings"]]


class Generate(unittest.TestCase):
    ARGS = ["sts", "generate", "--domain", "Example.COM", "--mode", "testing", "--mx", "mail.example.com",
            "--mx", "*.mx.example.com", "--max-age", "604800", "--id", "20240701T000000"]

    def test_text(self):
        rc, out, err = run(self.ARGS)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines()[:8], [
            'TXT record: _mta-sts.example.com. TXT "v=STSv1; id=20240701T000000;"',
            "policy file: serve at https://mta-sts.example.com/.well-known/mta-sts.txt",
            "  (HTTPS with a certificate valid for mta-sts.example.com, Content-Type: text/plain, status 200, no"
            " redirect)",
            "  version: STSv1", "  mode: testing", "  mx: mail.example.com", "  mx: *.mx.example.com",
            "  max_age: 604800"])
        self.assertTrue(out.splitlines()[8].startswith("advice: mode testing"))

    def test_formats_and_round_trip(self):
        self.assertEqual(run(self.ARGS + ["--format", "zone", "--ttl", "300"])[1],
                         '_mta-sts.example.com. 300 IN TXT "v=STSv1; id=20240701T000000;"\n')
        self.assertEqual(run(self.ARGS + ["--format", "record"])[1], "v=STSv1; id=20240701T000000;\n")
        rc, policy, _ = run(self.ARGS + ["--format", "policy"])
        self.assertEqual(policy, "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\n"
                                 "mx: *.mx.example.com\r\nmax_age: 604800\r\n")
        # The policy file and the record it printed check as valid.
        rc, out, _ = run(["sts", "check", "--policy", "--json", "-"], stdin=policy.encode())
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["policy"]["mx"], ["mail.example.com", "*.mx.example.com"])
        self.assertEqual(run(["sts", "check", "v=STSv1; id=20240701T000000;"])[0], 0)
        rc, out, _ = run(self.ARGS + ["--json"])
        doc = json.loads(out)
        self.assertEqual(doc["txt_name"], "_mta-sts.example.com.")
        self.assertEqual(doc["txt_record"], "v=STSv1; id=20240701T000000;")
        self.assertEqual(doc["policy"], policy)
        self.assertEqual(doc["policy_url"], "https://mta-sts.example.com/.well-known/mta-sts.txt")
        self.assertEqual(doc["mode"], "testing")
        self.assertEqual(doc["max_age"], 604800)
        self.assertEqual(len(doc["advice"]), 2)

    def test_provider_formats(self):
        rc, out, _ = run(self.ARGS + ["--format", "route53"])
        change = json.loads(out)["Changes"][0]
        self.assertEqual((rc, change["Action"]), (0, "UPSERT"))
        self.assertEqual(change["ResourceRecordSet"]["Name"], "_mta-sts.example.com.")
        self.assertEqual(change["ResourceRecordSet"]["ResourceRecords"],
                         [{"Value": '"v=STSv1; id=20240701T000000;"'}])
        rc, out, _ = run(self.ARGS + ["--format", "cloudflare", "--ttl", "300"])
        body = json.loads(out)
        self.assertEqual((body["type"], body["name"], body["content"], body["ttl"]),
                         ("TXT", "_mta-sts.example.com", '"v=STSv1; id=20240701T000000;"', 300))
        rc, out, _ = run(self.ARGS + ["--format", "nsupdate"])
        self.assertIn('update add _mta-sts.example.com. 3600 IN TXT "v=STSv1; id=20240701T000000;"\n', out)
        rc, out, _ = run(self.ARGS + ["--provider", "generic"])
        self.assertEqual(rc, 0)
        self.assertIn("https://mta-sts.example.com/.well-known/mta-sts.txt", out)
        self.assertEqual(run(self.ARGS + ["--provider", "nowhere"])[0], 2)

    def test_default_id_is_the_utc_time(self):
        rc, out, _ = run(["sts", "generate", "--domain", "example.com", "--mode", "none", "--max-age", "0",
                          "--format", "record"])
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^v=STSv1; id=\d{8}T\d{6}Z;\n$")

    def test_lint_and_usage(self):
        rc, out, _ = run(["sts", "generate", "--domain", "example.com", "--mode", "enforce", "--mx", "mx.example.com",
                          "--max-age", "3600", "--json"])
        self.assertEqual(rc, 0)
        self.assertIn("lint-sts-enforce-short-max-age", ids(json.loads(out)))
        for bad, why in [(["--mode", "maybe"], "--mode"), (["--max-age", "31557601"], "--max-age"),
                         (["--id", "has-dash"], "invalid --id"), (["--format", "yaml"], "unknown format")]:
            args = ["sts", "generate", "--domain", "example.com", "--mode", "testing", "--mx", "m.example.com",
                    "--max-age", "86400"] + bad
            rc, out, err = run(args)
            self.assertEqual((rc, out), (2, ""), bad)
            self.assertIn(why, err)
        rc, _, err = run(["sts", "generate", "--domain", "example.com", "--mode", "testing", "--max-age", "1"])
        self.assertEqual(rc, 2)
        self.assertIn("missing --mx", err)
        rc, _, err = run(["sts", "generate", "--domain", "example.com", "--mode", "testing", "--max-age", "1",
                          "--mx", "*.*.example.com"])
        self.assertEqual(rc, 1)
        self.assertIn("not an MX host name", err)


class Check(unittest.TestCase):
    def test_record(self):
        rc, out, _ = run(["sts", "check", "v=STSv1; id=abc-1;"])
        self.assertEqual(rc, 1)
        self.assertIn("[sts-record-id-invalid]", out)
        self.assertIn("  v=STSv1; id=abc-1;\n                 ^\n", out)
        rc, out, _ = run(["sts", "check", "--json", "v=STSv1; id=abc1; ext=1"])
        doc = json.loads(out)
        self.assertEqual((rc, doc["kind"], doc["record"]["id"]), (0, "record", "abc1"))
        self.assertEqual(doc["record"]["extensions"], [{"name": "ext", "value": "1"}])

    def test_policy_lines_and_carets(self):
        policy = b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: bad_host\nmax_age: 86400\n"
        rc, out, _ = run(["sts", "check", "-"], stdin=policy)
        self.assertEqual(rc, 1)
        line = [l for l in out.splitlines() if l.startswith("error: line 4: ")]
        self.assertEqual(len(line), 1, out)
        i = out.splitlines().index(line[0])
        self.assertEqual(out.splitlines()[i + 1], "  mx: bad_host")
        self.assertEqual(out.splitlines()[i + 2].index("^"), 2 + len("mx: bad"))

    def test_policy_file_and_mx_lint(self):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "tlsrpt-sts-check-%d.txt" % os.getpid())
        with open(path, "wb") as f:
            f.write(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n")
        try:
            rc, out, _ = run(["sts", "check", "--policy", "--json", "--mx", "mail.example.com", "--mx",
                              "backup.example.net", path])
            doc = json.loads(out)
            self.assertEqual((rc, doc["kind"], doc["valid"]), (0, "policy", True))
            self.assertIn("lint-sts-mx-uncovered", ids(doc))
            rc, out, _ = run(["sts", "check", "--strict", "--policy", "--mx", "backup.example.net", path])
            self.assertEqual(rc, 1)
        finally:
            os.unlink(path)


class Lookup(unittest.TestCase):
    def test_valid_text(self):
        rc, out, err = lookup("valid.sts.test")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, (
            "query: _mta-sts.valid.sts.test.\n"
            "txt: v=STSv1; id=20240701T000000;\n"
            "id: 20240701T000000\n"
            "fetch: https://mta-sts.valid.sts.test/.well-known/mta-sts.txt\n"
            "http: status 200, text/plain, 98 bytes, certificate verified\n"
            "policy: version: STSv1\n"
            "policy: mode: enforce\n"
            "policy: mx: mail.valid.sts.test\n"
            "policy: mx: *.mx.valid.sts.test\n"
            "policy: max_age: 604800\n"
            "mx: 10 mail.valid.sts.test: covered by the policy\n"
            "mx: 20 a.mx.valid.sts.test: covered by the policy\n"
            "mx: 30 backup.elsewhere.test: NOT covered: senders that enforce the policy will not deliver to it\n"
            "tlsrpt: _smtp._tls.valid.sts.test.: valid\n"
            "record: v=TLSRPTv1; rua=mailto:tlsrpt@valid.sts.test\n"
            "rua: mailto:tlsrpt@valid.sts.test (mailto, mailbox tlsrpt@valid.sts.test, host valid.sts.test)\n"
            "authorization: mailto:tlsrpt@valid.sts.test: not required (same organization)\n"
            'warning: The MX host "backup.elsewhere.test" matches no mx pattern: senders that enforce the policy'
            " will not deliver to it. [lint-sts-mx-uncovered]\n"
            "sender: applies the policy (mode enforce)\n"
            "valid: 0 errors, 1 warning, 0 infos\n"))
        self.assertEqual(lookup("--strict", "valid.sts.test")[0], 1)

    def test_json(self):
        rc, out, _ = lookup("--json", "valid.sts.test")
        doc = json.loads(out)
        self.assertEqual((rc, doc["status"], doc["valid"], doc["result_type"]), (0, "valid", True, None))
        self.assertEqual(doc["txt"]["record"], {"id": "20240701T000000", "extensions": []})
        self.assertEqual(doc["fetch"]["outcome"], "ok")
        self.assertEqual(doc["fetch"]["certificate"], "verified")
        self.assertEqual(doc["policy"]["mode"], "enforce")
        self.assertEqual([(h["host"], h["covered"]) for h in doc["mx"]["hosts"]],
                         [("mail.valid.sts.test", True), ("a.mx.valid.sts.test", True),
                          ("backup.elsewhere.test", False)])
        self.assertTrue(doc["tlsrpt"]["valid"])
        self.assertEqual(doc["errors"], 0)
        # The discovery's members are the library's document (tlsrpt_sts_lookup_result_to_json); the checker adds
        # mx, tlsrpt, lint and the counts.
        self.assertEqual([f["id"] for f in doc["lint"]], ["lint-sts-mx-uncovered"])
        self.assertEqual(doc["fetch"]["http_status"], 200)
        self.assertIn("hint", doc["lint"][0])

    def test_failures(self):
        cases = [
            # domain, exit, status, result type, fetch outcome, finding id
            ("expired.sts.test", 1, "fetch-failed", "sts-webpki-invalid", "certificate", "sts-fetch-certificate"),
            ("wrongname.sts.test", 1, "fetch-failed", "sts-webpki-invalid", "certificate", "sts-fetch-certificate"),
            ("redirect.sts.test", 1, "unusable", "sts-policy-fetch-error", "ok", "sts-fetch-redirect"),
            ("notfound.sts.test", 1, "unusable", "sts-policy-fetch-error", "ok", "sts-fetch-status"),
            ("html.sts.test", 1, "unusable", "sts-policy-invalid", "ok", "sts-media-type"),
            ("invalid.sts.test", 1, "syntax-error", "sts-policy-invalid", "ok", "sts-policy-mode-invalid"),
            ("huge.sts.test", 1, "fetch-failed", "sts-policy-fetch-error", "too-large", "sts-fetch-too-large"),
            ("two.sts.test", 1, "multiple", None, "none", "sts-dns-multiple-records"),
            ("absent.sts.test", 1, "not-found", None, "none", "sts-dns-nxdomain"),
        ]
        for domain, code, status, rtype, outcome, fid in cases:
            with self.subTest(domain=domain):
                rc, out, _ = lookup("--json", "--no-mx", domain)
                doc = json.loads(out)
                self.assertEqual((rc, doc["status"], doc["result_type"], doc["fetch"]["outcome"]),
                                 (code, status, rtype, outcome))
                self.assertIn(fid, ids(doc))
        rc, out, _ = lookup("--timeout", "500", "--no-mx", "slow.sts.test")
        self.assertEqual(rc, 3)
        self.assertIn("sender: cannot apply a policy and reports the failure as sts-policy-fetch-error", out)
        rc, out, _ = lookup("--fetch-always", "--json", "--no-mx", "two.sts.test")
        self.assertEqual(json.loads(out)["fetch"]["outcome"], "certificate")

    def test_usage(self):
        for args, why in [(["--connect-to", "x:80:127.0.0.1:1", "a.test"], "--connect-to"),
                          (["--timeout", "0", "a.test"], "timeout"), (["not a domain"], "not a domain")]:
            rc, out, err = run(["sts", "lookup"] + args)
            self.assertEqual((rc, out), (2, ""), args)
            self.assertIn(why, err)
        rc, out, _ = run(["sts", "--help"])
        self.assertEqual(rc, 0)
        self.assertIn("generate", out)
        self.assertEqual(run(["sts", "frobnicate"])[0], 2)


if __name__ == "__main__":
    EXE = sys.argv.pop(1)
    unittest.main(verbosity=1)
