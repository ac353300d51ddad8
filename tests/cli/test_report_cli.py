#!/usr/bin/env python3
"""Tests of `tlsrpt report`: runs the built program on report files and asserts exact stdout, stderr and exit status.

usage: test_report_cli.py PATH-TO-tlsrpt DATA-DIR [REAL-WORLD-DIR]

DATA-DIR is tests/data. REAL-WORLD-DIR is the folder of the meson option real_world_testdata; when it is empty, the
real-world tests are skipped (and say so). python3 standard library only; exit status 1 on any failure.
"""
import email.encoders
import email.generator
import email.mime.application
import email.mime.multipart
import email.mime.text
import email.policy
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

EXE = None
DATA = None
REAL_WORLD = ""

UINT64_MAX = 18446744073709551615
MAX_REPORT_SIZE = 20 * 1024 * 1024

REPORT_HELP = """\
Usage: tlsrpt report [--strict] [--json] [--jobs N] INPUT...
       tlsrpt report --summary [--json] [FILTER]... [--strict] [--jobs N] INPUT...
       tlsrpt report --ndjson|--csv [FILTER]... [--strict] [--jobs N] INPUT...
       tlsrpt report --merge [--strict] [--gzip] FILE...
Read SMTP TLS reports (RFC 8460), JSON or gzip-compressed JSON, or report e-mails (.eml, RFC 8460 5.3),
and summarize each one: sender, period, report id, and per policy the sessions, the success rate and
every failure explained. '-' reads the report from standard input. An input that starts with neither
'{' (after white space) nor the gzip magic, and whose first line is a header field, is read as an e-mail.
An INPUT may also be a directory (read recursively), a Maildir, or an mbox file or stream (each message
is an item, NAME#N). Reports delivered more than once (same organization, report id and policy domains)
count once in --summary, --ndjson and --csv.

  --strict           deviations from RFC 8460 make a report fail (exit status 1)
  --json             print one JSON document instead of text
  --summary          one summary of all reports: per policy domain and day, result types, top MX hosts,
                     IPs and sending organizations among failures
  --ndjson, --csv    flat rows for databases: one per policy, one per failure detail (doc/receivers.md)
  --domain DOMAIN    with --summary, --ndjson, --csv: only the policies of DOMAIN
  --since DATE       with --summary, --ndjson, --csv: only reports starting at or after DATE
  --until DATE       ... and before DATE (a date YYYY-MM-DD includes that day; or YYYY-MM-DDThh:mm:ssZ)
  --jobs N           parse in N threads (default: the number of processors); the output is the same
  --merge            add up the reports into the first one (equal policies and failure details summed,
                     the period widened) and write it as RFC 8460 JSON; nothing is written if a report
                     fails to parse or a count would pass 2^64-1 (exit status 1)
  --gzip             with --merge: write the merged report gzip-compressed
  -h, --help         show this help

Exit status: 0 every report parsed (warnings allowed unless --strict), 1 a report failed to parse,
2 usage or I/O error (the worst over all inputs).
"""

NOT_TRUSTED = ("The certificate chain the receiving MX presented could not be validated up to a trusted certificate "
               "authority; check that the server sends the complete intermediate chain and uses a certificate from a "
               "publicly trusted authority.")
NO_STARTTLS = ("The receiving MX did not offer STARTTLS, so no encrypted session could be set up; check that every "
               "MX host advertises STARTTLS in its EHLO response and that nothing on the path strips it.")
FETCH_ERROR = ("The sender could not retrieve the domain's MTA-STS policy; check that https://mta-sts.<domain>/"
               ".well-known/mta-sts.txt is reachable and answers with status 200.")
UNKNOWN_TYPE = "unknown result type (not registered by RFC 8460 or with IANA)"

# tests/data/report-full.json, as `tlsrpt report` prints it (without the "file:" line).
FULL_TEXT = """\
organization: Example Sender Ltd
contact: tlsrpt-admin@sender.example
period: 2024-03-10T00:00:00Z to 2024-03-10T23:59:59Z
report id: 2024-03-10T00:00:00Z_receiver.example
policy 1 of 2: sts receiver.example
  mx-hosts: mx1.receiver.example, *.backup.receiver.example
  sessions: 18446744073709551615 successful, 12 failed, success rate 99.99%
  failure: certificate-not-trusted, 10 sessions
    receiving MX: mx1.receiver.example (192.0.2.25)
    receiving MX HELO: mx1.receiver.example ESMTP
    sending MTA: 2001:db8::25
    reason code: X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    additional information: https://sender.example/tlsrpt/info?id=42
    meaning: """ + NOT_TRUSTED + """
  failure: starttls-not-supported, 2 sessions
    receiving MX: mx2.backup.receiver.example (2001:db8:1::2)
    sending MTA: 198.51.100.7
    meaning: """ + NO_STARTTLS + """
policy 2 of 2: tlsa mx.other.example
  mx-hosts: mx.other.example
  sessions: 0 successful, 0 failed, success rate n/a (no sessions)
valid: 0 errors, 0 warnings, 0 infos
"""

# tests/data/report-deviating.json: six deviations (warnings in lenient mode, errors with --strict).
DEVIATIONS = [
    ("/date-range/start-datetime", 'The date-time "2024-02-29T00:00:00" has no time zone; it is read as UTC.',
     "report-datetime-no-zone"),
    ("/contact-info", "The member is null; it is read as absent.", "report-field-null"),
    ("/policies/0/failure-details/0/result-type",
     'The result type "quantum-decoherence" is not registered (RFC 8460 \u00a74.3); it is kept as written.',
     "report-result-type-unknown"),
    ("/policies/0/failure-details/0/failure-error-code",
     '"failure-error-code" is the pre-publication name of "failure-reason-code"; it is read as the reason code.',
     "report-failure-error-code"),
    ("/policies/0/failure-details/1/receiving-mx-hostname", 'The member "receiving-mx-hostname" is missing.',
     "report-field-missing"),
    ("/policies/0/policy/mx-host", 'The member "mx-host" is missing.', "report-field-missing"),
]


def deviation_lines(severity):
    return "".join("%s: %s: %s [%s]\n" % (severity, path, message, ident) for path, message, ident in DEVIATIONS)


DEVIATING_TEXT = """\
organization: Deviating Sender Inc.
contact: (not given)
period: 2024-02-29T00:00:00Z to 2024-02-29T23:59:59Z
report id: deviating-2024-02-29
policy 1 of 1: sts receiver.example
  mx-hosts: none
  sessions: 0 successful, 7 failed, success rate 0.00%
  failure: quantum-decoherence, 4 sessions
    receiving MX: mx.receiver.example
    sending MTA: 192.0.2.1
    reason code: QD-42
    meaning: """ + UNKNOWN_TYPE + """
  failure: sts-policy-fetch-error, 3 sessions
    receiving IP: 203.0.113.9
    sending MTA: 192.0.2.1
    meaning: """ + FETCH_ERROR + """
"""

# A report whose count is negative: not a report in either mode (the walk goes on and reports what else it saw).
NEGATIVE_COUNT = (b'{"organization-name":"o","date-range":{"start-datetime":"2024-01-01T00:00:00Z",'
                  b'"end-datetime":"2024-01-01T23:59:59Z"},"contact-info":"c","report-id":"r",'
                  b'"policies":[{"policy":{"policy-type":"no-policy-found","policy-domain":"x.example"},'
                  b'"summary":{"total-successful-session-count":-1,"total-failure-session-count":0}}]}')
NEGATIVE_OFFSET = NEGATIVE_COUNT.index(b"-1")


def run(args, stdin=b""):
    """Runs tlsrpt with pipes; returns (exit status, stdout, stderr) as text."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    p = subprocess.run([EXE] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=120)
    return (p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
            p.stderr.decode("utf-8", "surrogateescape"))


def data(name):
    return os.path.join(DATA, name)


def read(name):
    with open(data(name), "rb") as f:
        return f.read()


def policy(successful, failed, details="", ptype="no-policy-found"):
    return ('{"policy":{"policy-type":"%s"},"summary":{"total-successful-session-count":%d,'
            '"total-failure-session-count":%d},"failure-details":[%s]}' % (ptype, successful, failed, details))


def report_text(policies, org="Org"):
    return ('{"organization-name":%s,"date-range":{"start-datetime":"2024-01-01T00:00:00Z",'
            '"end-datetime":"2024-01-01T23:59:59Z"},"contact-info":"c@example.org","report-id":"id-1",'
            '"policies":[%s]}' % (json.dumps(org), ",".join(policies))).encode()


class TempDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, content):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(content)
        return path


class Usage(unittest.TestCase):
    def test_help(self):
        self.assertEqual(run(["report", "--help"]), (0, REPORT_HELP, ""))
        self.assertEqual(run(["report", "-h"]), (0, REPORT_HELP, ""))
        self.assertEqual(run(["report", "no-such-file", "--help"]), (0, REPORT_HELP, ""))

    def test_main_help_lists_report(self):
        rc, out, err = run(["--help"])
        self.assertEqual(rc, 0)
        self.assertIn("  report      read TLS reports (JSON or gzip) and summarize them\n", out)

    def test_usage_errors(self):
        tail = "\nTry 'tlsrpt report --help'.\n"
        self.assertEqual(run(["report"]), (2, "", "tlsrpt report: missing FILE (or '-' for standard input)" + tail))
        self.assertEqual(run(["report", "--strict", "--json"]),
                         (2, "", "tlsrpt report: missing FILE (or '-' for standard input)" + tail))
        self.assertEqual(run(["report", "--bogus", data("report-full.json")]),
                         (2, "", "tlsrpt report: unknown option '--bogus'" + tail))
        self.assertEqual(run(["report", "-s", data("report-full.json")]),
                         (2, "", "tlsrpt report: unknown option '-s'" + tail))


class Text(TempDir):
    def test_full_report(self):
        path = data("report-full.json")
        self.assertEqual(run(["report", path]), (0, "file: %s\n" % path + FULL_TEXT, ""))
        # A conforming report passes --strict too.
        self.assertEqual(run(["report", "--strict", path]), (0, "file: %s\n" % path + FULL_TEXT, ""))

    def test_gzip_file_and_stdin(self):
        gz = gzip.compress(read("report-full.json"), mtime=0)
        path = self.write("report.json.gz", gz)
        self.assertEqual(run(["report", path]), (0, "file: %s\n" % path + FULL_TEXT, ""))
        self.assertEqual(run(["report", "-"], stdin=gz), (0, "file: -\n" + FULL_TEXT, ""))
        self.assertEqual(run(["report", "-"], stdin=read("report-full.json")), (0, "file: -\n" + FULL_TEXT, ""))
        # Two concatenated gzip members are one report (as gzip -d reads them).
        text = read("report-full.json")
        two = gzip.compress(text[:100], mtime=0) + gzip.compress(text[100:], mtime=0)
        self.assertEqual(run(["report", "-"], stdin=two), (0, "file: -\n" + FULL_TEXT, ""))

    def test_deviating_report_lenient_and_strict(self):
        path = data("report-deviating.json")
        self.assertEqual(run(["report", path]),
                         (0, "file: %s\n" % path + deviation_lines("warning") + DEVIATING_TEXT +
                          "valid: 0 errors, 6 warnings, 0 infos\n", ""))
        # --strict: the library makes every deviation an error and the parse fails, so no report is printed.
        self.assertEqual(run(["report", "--strict", path]),
                         (1, "file: %s\n" % path + deviation_lines("error") + "invalid: 6 errors, 0 warnings, 0 infos\n",
                          ""))

    def test_malformed_reports(self):
        neg = self.write("negative.json", NEGATIVE_COUNT)
        self.assertEqual(run(["report", neg]), (1, "file: %s\n" % neg +
                         "error: /policies/0/summary/total-successful-session-count: The number -1 is negative; "
                         "a non-negative integer is required. [json-number-negative]\n"
                         "invalid: 1 error, 0 warnings, 0 infos\n", ""))
        trunc = self.write("truncated.json", b'{"organization-name":"x",\n"policies":[')
        self.assertEqual(run(["report", trunc]), (1, "file: %s\n" % trunc +
                         "error: /policies/0: The JSON text ends inside a value. [json-unexpected-end]\n"
                         "invalid: 1 error, 0 warnings, 0 infos\n", ""))
        corrupt = self.write("corrupt.gz", gzip.compress(read("report-full.json"), mtime=0)[:-9] + b"\0" * 9)
        self.assertEqual(run(["report", corrupt]), (1, "file: %s\n" % corrupt +
                         "error: byte 0: The gzip member at byte 0 is truncated or corrupt (bad header, deflate data,"
                         " CRC or length). [gzip-invalid]\ninvalid: 1 error, 0 warnings, 0 infos\n", ""))
        self.assertEqual(run(["report", "-"], stdin=b"[]"), (1, "file: -\n"
                         "error: byte 0: A report is a JSON object, but this is an array. [report-not-object]\n"
                         "invalid: 1 error, 0 warnings, 0 infos\n", ""))

    def test_size_limit(self):
        # The program reads one byte past the library's limit, so the library reports the file as too large.
        at = self.write("at-limit.json", b'{"policies":[]' + b" " * (MAX_REPORT_SIZE - 15) + b"}")
        over = self.write("over-limit.json", b'{"policies":[]' + b" " * (MAX_REPORT_SIZE - 14) + b"}")
        rc, out, err = run(["report", at])
        self.assertEqual((rc, err), (0, ""))
        self.assertTrue(out.endswith("period: (not given) to (not given)\nreport id: (not given)\npolicies: none\n"
                                     "valid: 0 errors, 4 warnings, 0 infos\n"), out[-300:])
        self.assertEqual(run(["report", over]), (1, "file: %s\n" % over +
                         "error: byte %d: The report is %d bytes, more than the limit of %d bytes. [report-too-large]\n"
                         "invalid: 1 error, 0 warnings, 0 infos\n" % (MAX_REPORT_SIZE, MAX_REPORT_SIZE + 1,
                                                                      MAX_REPORT_SIZE), ""))
        big = b'{"policies":[]' + b" " * (3 * MAX_REPORT_SIZE) + b"}"
        self.assertEqual(run(["report", "-"], stdin=big)[0], 1)

    def test_missing_file(self):
        missing = os.path.join(self.tmp.name, "missing.json")
        self.assertEqual(run(["report", missing]),
                         (2, "file: %s\nunreadable: No such file or directory\n" % missing,
                          "tlsrpt report: cannot read '%s': No such file or directory\n" % missing))
        # A directory is read recursively (tests/cli/test_bulk_cli.py): an empty one has no report.
        self.assertEqual(run(["report", self.tmp.name]), (0, "", ""))

    def test_several_files_worst_status(self):
        full, deviating = data("report-full.json"), data("report-deviating.json")
        neg = self.write("negative.json", NEGATIVE_COUNT)
        missing = os.path.join(self.tmp.name, "missing.json")
        neg_block = ("file: %s\nerror: /policies/0/summary/total-successful-session-count: The number -1 is negative; "
                     "a non-negative integer is required. [json-number-negative]\n"
                     "invalid: 1 error, 0 warnings, 0 infos\n" % neg)
        full_block = "file: %s\n" % full + FULL_TEXT
        dev_block = ("file: %s\n" % deviating + deviation_lines("warning") + DEVIATING_TEXT +
                     "valid: 0 errors, 6 warnings, 0 infos\n")
        self.assertEqual(run(["report", full, deviating]), (0, full_block + "\n" + dev_block, ""))
        self.assertEqual(run(["report", full, neg, deviating]),
                         (1, full_block + "\n" + neg_block + "\n" + dev_block, ""))
        # Every file is processed even after an I/O error; the exit status is the worst one.
        self.assertEqual(run(["report", missing, full, neg]),
                         (2, "file: %s\nunreadable: No such file or directory\n\n" % missing + full_block + "\n" +
                          neg_block, "tlsrpt report: cannot read '%s': No such file or directory\n" % missing))
        self.assertEqual(run(["report", "--strict", full, deviating])[0], 1)

    def test_success_rate(self):
        cases = [
            (2, 1, "66.66%"),                   # truncated, not rounded
            (1, 0, "100.00%"),
            (0, 5, "0.00%"),
            (UINT64_MAX, 1, "99.99%"),          # never 100.00% while a session failed
            (1, UINT64_MAX, "0.00%"),
            (0, 0, "n/a (no sessions)"),
            (UINT64_MAX, 0, "100.00%"),
        ]
        for ok, failed, rate in cases:
            rc, out, err = run(["report", "-"], stdin=report_text([policy(ok, failed)]))
            self.assertEqual((rc, err), (0, ""))
            self.assertIn("  sessions: %d successful, %d failed, success rate %s\n" % (ok, failed, rate), out)

    def test_untrusted_text_is_escaped(self):
        rc, out, err = run(["report", "-"], stdin=report_text([policy(1, 0)], org="Evil\u001b[2J\\Corp\u00e9"))
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("organization: Evil\\x1B[2J\\\\Corp\\xC3\\xA9\n", out)
        self.assertNotIn("\x1b", out)


class Json(TempDir):
    def run_json(self, args, stdin=b"", expect_rc=0):
        rc, out, err = run(["report", "--json"] + args, stdin=stdin)
        self.assertEqual(rc, expect_rc, err)
        self.assertTrue(out.endswith("}\n") and out.count("\n") == 1, out)
        return json.loads(out), err

    def test_full_report_field_by_field(self):
        gz = gzip.compress(read("report-full.json"), mtime=0)
        doc, err = self.run_json(["-"], stdin=gz)
        self.assertEqual(err, "")
        self.assertEqual(list(doc), ["strict", "reports"])
        self.assertIs(doc["strict"], False)
        self.assertEqual(len(doc["reports"]), 1)
        entry = doc["reports"][0]
        self.assertEqual(list(entry), ["file", "status", "valid", "report", "stats", "findings", "errors",
                                       "warnings", "infos"])
        self.assertEqual(entry["file"], "-")
        self.assertEqual(entry["status"], "valid")
        self.assertIs(entry["valid"], True)
        self.assertEqual(entry["findings"], [])
        self.assertEqual((entry["errors"], entry["warnings"], entry["infos"]), (0, 0, 0))
        r = entry["report"]
        self.assertEqual(list(r), ["organization-name", "date-range", "contact-info", "report-id", "policies"])
        self.assertEqual(r["organization-name"], "Example Sender Ltd")
        self.assertEqual(r["date-range"], {"start-datetime": "2024-03-10T00:00:00Z",
                                           "end-datetime": "2024-03-10T23:59:59Z"})
        self.assertEqual(r["contact-info"], "tlsrpt-admin@sender.example")
        self.assertEqual(r["report-id"], "2024-03-10T00:00:00Z_receiver.example")
        self.assertEqual(len(r["policies"]), 2)
        p0, p1 = r["policies"]
        self.assertEqual(list(p0), ["policy", "summary", "failure-details"])
        self.assertEqual(p0["policy"], {
            "policy-type": "sts",
            "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.receiver.example",
                              "mx: *.backup.receiver.example", "max_age: 604800"],
            "policy-domain": "receiver.example",
            "mx-host": ["mx1.receiver.example", "*.backup.receiver.example"]})
        self.assertEqual(p0["summary"], {"total-successful-session-count": UINT64_MAX,
                                         "total-failure-session-count": 12})
        self.assertEqual(p0["failure-details"], [
            {"result-type": "certificate-not-trusted", "sending-mta-ip": "2001:db8::25",
             "receiving-mx-hostname": "mx1.receiver.example", "receiving-mx-helo": "mx1.receiver.example ESMTP",
             "receiving-ip": "192.0.2.25", "failed-session-count": 10,
             "additional-information": "https://sender.example/tlsrpt/info?id=42",
             "failure-reason-code": "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY"},
            {"result-type": "starttls-not-supported", "sending-mta-ip": "198.51.100.7",
             "receiving-mx-hostname": "mx2.backup.receiver.example", "receiving-ip": "2001:db8:1::2",
             "failed-session-count": 2}])
        # "mx-host" written as one string comes out as an array.
        self.assertEqual(p1, {"policy": {"policy-type": "tlsa",
                                         "policy-string": ["3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B"
                                                           "56664C5D3D6"],
                                         "policy-domain": "mx.other.example", "mx-host": ["mx.other.example"]},
                              "summary": {"total-successful-session-count": 0, "total-failure-session-count": 0},
                              "failure-details": []})
        s = entry["stats"]
        self.assertEqual(list(s), ["policy-count", "successful-sessions", "failed-sessions", "success-rate",
                                   "policies", "failure-types"])
        self.assertEqual(s["policy-count"], 2)
        self.assertEqual((s["successful-sessions"], s["failed-sessions"], s["success-rate"]), (UINT64_MAX, 12, 99.99))
        self.assertEqual(s["policies"], [
            {"successful-sessions": UINT64_MAX, "failed-sessions": 12, "success-rate": 99.99,
             "failure-detail-count": 2},
            {"successful-sessions": 0, "failed-sessions": 0, "success-rate": None, "failure-detail-count": 0}])
        self.assertEqual(s["failure-types"], [
            {"result-type": "certificate-not-trusted", "failed-sessions": 10, "registered": True,
             "description": NOT_TRUSTED},
            {"result-type": "starttls-not-supported", "failed-sessions": 2, "registered": True,
             "description": NO_STARTTLS}])

    def test_deviating_report_absent_fields_omitted(self):
        path = data("report-deviating.json")
        doc, err = self.run_json([path])
        entry = doc["reports"][0]
        self.assertEqual((entry["file"], entry["status"], entry["valid"]), (path, "valid", True))
        self.assertEqual((entry["errors"], entry["warnings"], entry["infos"]), (0, 6, 0))
        self.assertEqual([(f["severity"], f["id"], f["path"], f["message"]) for f in entry["findings"]],
                         [("warning", i, p, m) for p, m, i in DEVIATIONS])
        text = read("report-deviating.json")
        # Offsets are byte offsets of the member (or value) the finding is about.
        self.assertEqual(entry["findings"][1]["offset"], text.index(b"null"))
        r = entry["report"]
        self.assertNotIn("contact-info", r)  # null reads as absent
        self.assertEqual(r["date-range"], {"start-datetime": "2024-02-29T00:00:00Z",
                                           "end-datetime": "2024-02-29T23:59:59Z"})
        self.assertEqual(r["policies"][0]["policy"]["mx-host"], [])
        self.assertEqual(r["policies"][0]["failure-details"], [
            {"result-type": "quantum-decoherence", "sending-mta-ip": "192.0.2.1",
             "receiving-mx-hostname": "mx.receiver.example", "failed-session-count": 4,
             "failure-reason-code": "QD-42"},
            {"result-type": "sts-policy-fetch-error", "sending-mta-ip": "192.0.2.1", "receiving-ip": "203.0.113.9",
             "failed-session-count": 3}])
        self.assertEqual(entry["stats"]["failure-types"], [
            {"result-type": "quantum-decoherence", "failed-sessions": 4, "registered": False, "description": None},
            {"result-type": "sts-policy-fetch-error", "failed-sessions": 3, "registered": True,
             "description": FETCH_ERROR}])
        self.assertEqual(entry["stats"]["success-rate"], 0)

        doc, err = self.run_json(["--strict", path], expect_rc=1)
        self.assertIs(doc["strict"], True)
        entry = doc["reports"][0]
        self.assertEqual((entry["status"], entry["valid"], entry["report"], entry["stats"]),
                         ("unusable", False, None, None))
        self.assertEqual([(f["severity"], f["id"], f["path"]) for f in entry["findings"]],
                         [("error", i, p) for p, m, i in DEVIATIONS])

    def test_missing_members_omitted(self):
        doc, err = self.run_json(["-"], stdin=b'{"policies":[{"policy":{"policy-type":"sts"}}]}')
        r = doc["reports"][0]["report"]
        self.assertEqual(r, {"policies": [{"policy": {"policy-type": "sts", "policy-string": [], "mx-host": []},
                                           "summary": {"total-successful-session-count": 0,
                                                       "total-failure-session-count": 0},
                                           "failure-details": []}]})

    def test_exact_sums_and_types_across_policies(self):
        detail = '{"result-type":"%s","failed-session-count":%d}'
        text = report_text([
            policy(UINT64_MAX, UINT64_MAX, detail % ("dnssec-invalid", UINT64_MAX) + "," + detail % ("x-new", 1)),
            policy(UINT64_MAX, 3, detail % ("x-new", 2) + "," + detail % ("dnssec-invalid", UINT64_MAX)),
        ])
        doc, err = self.run_json(["-"], stdin=text)
        s = doc["reports"][0]["stats"]
        self.assertEqual((s["successful-sessions"], s["failed-sessions"], s["success-rate"]),
                         (2 * UINT64_MAX, UINT64_MAX + 3, 66.66))
        self.assertEqual([(t["result-type"], t["failed-sessions"], t["registered"]) for t in s["failure-types"]],
                         [("dnssec-invalid", 2 * UINT64_MAX, True), ("x-new", 3, False)])

    def test_malformed_and_missing(self):
        neg = self.write("negative.json", NEGATIVE_COUNT)
        missing = os.path.join(self.tmp.name, "missing.json")
        doc, err = self.run_json([neg, missing, data("report-full.json")], expect_rc=2)
        self.assertEqual(err, "tlsrpt report: cannot read '%s': No such file or directory\n" % missing)
        a, b, c = doc["reports"]
        self.assertEqual((a["file"], a["status"], a["valid"], a["report"], a["stats"]),
                         (neg, "unusable", False, None, None))
        self.assertEqual(a["findings"], [{"severity": "error", "id": "json-number-negative",
                                          "message": "The number -1 is negative; a non-negative integer is required.",
                                          "offset": NEGATIVE_OFFSET,
                                          "path": "/policies/0/summary/total-successful-session-count",
                                          "hint": None}])
        self.assertEqual(b, {"file": missing, "status": "unreadable", "valid": False,
                             "error": "No such file or directory", "report": None, "stats": None, "findings": [],
                             "errors": 0, "warnings": 0, "infos": 0})
        self.assertEqual((c["status"], c["valid"]), ("valid", True))
        doc, err = self.run_json(["-"], stdin=b'{"policies":', expect_rc=1)
        self.assertEqual(doc["reports"][0]["status"], "syntax-error")
        self.assertEqual([(f["id"], f["offset"], f["path"]) for f in doc["reports"][0]["findings"]],
                         [("json-unexpected-end", 12, "/policies")])

    def test_escaping(self):
        doc, err = self.run_json(["-"], stdin=report_text([policy(1, 0)], org="Evil\u001b\"\\Corp\u00e9"))
        self.assertEqual(doc["reports"][0]["report"]["organization-name"], "Evil\u001b\"\\Corp\u00e9")


# The strict verdict of every real-world JSON report, as tests/test_report.c asserts it: None when strict mode accepts
# the report, else the id and JSON path of the error that rejects it.
REAL_WORLD_STRICT = {
    "cryinc-google.json": None,
    "cryinc-microsoft.json": ("report-field-missing", "/policies/0/policy/mx-host"),
    "cryinc-no-contact.json": ("report-field-null", "/contact-info"),
    "cryinc-no-policy.json": None,
    "cryinc-no_ip_and_mx.json": ("report-field-missing", "/policies/0/failure-details/0/sending-mta-ip"),
    "cryinc-rfc-example.json": None,
    "parsedmarc-mailru.json": ("report-summary-mismatch", "/policies/0/summary/total-failure-session-count"),
    "parsedmarc-rfc8460.json": None,
    "parsedmarc-smtp_tls.json": ("report-field-missing", "/policies/0/policy/mx-host"),
    "stalwart-rpt01.json": None,
    "stalwart-rpt02.json": ("report-field-missing", "/policies/0/policy/mx-host"),
    "stalwart-rpt03.json": ("report-policy-type-unknown", "/policies/1/policy/policy-type"),
}


MERGE_A = {"organization-name": "Sender", "date-range": {"start-datetime": "2024-07-01T00:00:00Z",
                                                          "end-datetime": "2024-07-01T11:59:59Z"},
           "contact-info": "tlsrpt@sender.example", "report-id": "part-1",
           "policies": [{"policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce"],
                                    "policy-domain": "example.net", "mx-host": "mx.example.net"},
                         "summary": {"total-successful-session-count": 10, "total-failure-session-count": 3},
                         "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                                              "receiving-mx-hostname": "mx.example.net",
                                              "failed-session-count": 3}]}]}
MERGE_B = {"organization-name": "Sender (process 2)", "date-range": {"start-datetime": "2024-07-01T12:00:00Z",
                                                                      "end-datetime": "2024-07-01T23:59:59Z"},
           "contact-info": "tlsrpt@sender.example", "report-id": "part-2",
           "policies": [{"policy": {"policy-type": "no-policy-found", "policy-domain": "other.example"},
                         "summary": {"total-successful-session-count": 4, "total-failure-session-count": 0}},
                        {"policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce"],
                                    "policy-domain": "example.net", "mx-host": ["mx.example.net"]},
                         "summary": {"total-successful-session-count": 5, "total-failure-session-count": 9},
                         "failure-details": [{"result-type": "starttls-not-supported", "sending-mta-ip": "192.0.2.2",
                                              "receiving-mx-hostname": "mx.example.net", "failed-session-count": 2},
                                             {"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                                              "receiving-mx-hostname": "mx.example.net",
                                              "failed-session-count": 7}]}]}
MERGED = {"organization-name": "Sender", "date-range": {"start-datetime": "2024-07-01T00:00:00Z",
                                                         "end-datetime": "2024-07-01T23:59:59Z"},
          "contact-info": "tlsrpt@sender.example", "report-id": "part-1",
          "policies": [{"policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce"],
                                   "policy-domain": "example.net", "mx-host": ["mx.example.net"]},
                        "summary": {"total-successful-session-count": 15, "total-failure-session-count": 12},
                        "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                                             "receiving-mx-hostname": "mx.example.net", "failed-session-count": 10},
                                            {"result-type": "starttls-not-supported", "sending-mta-ip": "192.0.2.2",
                                             "receiving-mx-hostname": "mx.example.net", "failed-session-count": 2}]},
                       {"policy": {"policy-type": "no-policy-found", "policy-domain": "other.example"},
                        "summary": {"total-successful-session-count": 4, "total-failure-session-count": 0}}]}


class Merge(TempDir):
    def files(self):
        a = self.write("a.json", json.dumps(MERGE_A).encode())
        b = self.write("b.json.gz", gzip.compress(json.dumps(MERGE_B).encode()))
        return a, b

    def test_merge_pretty_json(self):
        a, b = self.files()
        rc, out, err = run(["report", "--merge", a, b])
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, json.dumps(MERGED, indent=2) + "\n")  # same layout as Python's indent=2
        # The order matters: the first file gives the metadata, the rest is appended in order.
        rc, out, err = run(["report", "--merge", b, a])
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["report-id"], "part-2")

    def test_merge_gzip_and_stdin(self):
        a, b = self.files()
        p = subprocess.run([EXE, "report", "--merge", "--gzip", a, "-"], input=read_file(b),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        self.assertEqual((p.returncode, p.stderr), (0, b""))
        self.assertEqual(p.stdout[:4], b"\x1f\x8b\x08\x00")
        self.assertEqual(p.stdout[4:8], b"\0\0\0\0")  # MTIME 0: deterministic
        self.assertEqual(json.loads(gzip.decompress(p.stdout)), MERGED)

    def test_single_file_is_rewritten(self):
        rc, out, err = run(["report", "--merge", data("report-full.json")])
        self.assertEqual((rc, err), (0, ""))
        expect = json.loads(read("report-full.json"))
        for entry in expect["policies"]:  # mx-host is always written as an array
            mx = entry["policy"].get("mx-host")
            if isinstance(mx, str):
                entry["policy"]["mx-host"] = [mx]
        self.assertEqual(json.loads(out), expect)

    def test_overflow_writes_nothing(self):
        path = data("report-full.json")  # 2^64-1 successful sessions: twice is too many
        self.assertEqual(run(["report", "--merge", path, path]),
                         (1, "", "tlsrpt report: cannot merge '%s': a session count would exceed 2^64-1\n" % path))

    def test_bad_report_writes_nothing(self):
        a, _ = self.files()
        bad = self.write("bad.json", b'{"policies": 5}')
        rc, out, err = run(["report", "--merge", a, bad])
        self.assertEqual((rc, out), (1, ""))
        self.assertTrue(err.startswith("tlsrpt report: %s:\nerror: " % bad), err)
        missing = os.path.join(self.tmp.name, "missing.json")
        rc, out, err = run(["report", "--merge", a, missing])
        self.assertEqual((rc, out), (2, ""))

    def test_usage(self):
        tail = "\nTry 'tlsrpt report --help'.\n"
        a, _ = self.files()
        self.assertEqual(run(["report", "--gzip", a]), (2, "", "tlsrpt report: --gzip needs --merge" + tail))
        self.assertEqual(run(["report", "--merge", "--json", a]),
                         (2, "", "tlsrpt report: --json and --merge cannot be combined (--merge writes JSON)" + tail))
        self.assertEqual(run(["report", "--merge"]),
                         (2, "", "tlsrpt report: missing FILE (or '-' for standard input)" + tail))

def report_email(payload, subtype="tlsrpt+gzip", domain="receiver.example", submitter="sender.example",
                 filename="sender.example!receiver.example!1710028800!1710115199.json.gz", linesep="\r\n",
                 top="report", encoder=None):
    """A report e-mail built with Python's email package (RFC 8460 §5.3 layout), as bytes."""
    msg = email.mime.multipart.MIMEMultipart(top, boundary="=_test_boundary_")
    if top == "report":
        msg.set_param("report-type", "tlsrpt")
    msg["From"] = "tlsrpt@sender.example"
    msg["To"] = "reports@receiver.example"
    msg["Subject"] = "Report Domain: %s Submitter: %s Report-ID: <r1@%s>" % (domain, submitter, submitter)
    msg["TLS-Report-Domain"] = domain
    msg["TLS-Report-Submitter"] = submitter
    msg.attach(email.mime.text.MIMEText("This is an aggregate TLS report.\n"))
    kwargs = {"_encoder": encoder} if encoder else {}
    part = email.mime.application.MIMEApplication(payload, subtype, **kwargs)
    if filename:
        part.add_header("Content-Disposition", "attachment", filename=filename)
    msg.attach(part)
    out = io.BytesIO()
    email.generator.BytesGenerator(out, policy=email.policy.SMTP.clone(linesep=linesep)).flatten(msg)
    return out.getvalue()


class Messages(TempDir):
    """Report e-mails: detected by their first line, read with tlsrpt_report_parse_message."""

    def test_conforming_email_crlf_lf_stdin(self):
        gz = gzip.compress(read("report-full.json"), mtime=0)
        for linesep in ("\r\n", "\n"):
            eml = report_email(gz, linesep=linesep)
            path = self.write("report.eml", eml)
            self.assertEqual(run(["report", path]), (0, "file: %s\n" % path + FULL_TEXT, ""))
            self.assertEqual(run(["report", "--strict", path]), (0, "file: %s\n" % path + FULL_TEXT, ""))
            self.assertEqual(run(["report", "-"], stdin=eml), (0, "file: -\n" + FULL_TEXT, ""))
        # an mbox "From " line in front: a note
        eml = b"From tlsrpt@sender.example Sun Mar 10 00:00:00 2024\n" + report_email(gz, linesep="\n")
        self.assertEqual(run(["report", "-"], stdin=eml),
                         (0, "file: -\ninfo: byte 0: The message starts with an mbox \"From \" line; it is skipped. "
                          "[message-mbox-from-line]\n" + FULL_TEXT.replace("0 infos", "1 info"), ""))

    def test_json_part_quoted_printable(self):
        eml = report_email(read("report-full.json"), subtype="tlsrpt+json", filename=None,
                           encoder=email.encoders.encode_quopri)
        self.assertIn(b"Content-Transfer-Encoding: quoted-printable", eml)
        self.assertEqual(run(["report", "-"], stdin=eml), (0, "file: -\n" + FULL_TEXT, ""))

    def test_stalwart_type_and_mismatch_lenient_and_strict(self):
        eml = report_email(read("report-full.json"), subtype="tlsrpt", domain="other.example",
                           filename="sender.example!other.example!1710028800!1710115199.json")
        at_type = eml.index(b"Content-Type: application/tlsrpt") + len(b"Content-Type:")
        at_domain = eml.index(b"TLS-Report-Domain: ") + len(b"TLS-Report-Domain: ")
        findings = [
            ("byte %d" % at_type, "The report part is typed application/tlsrpt; RFC 8460 \u00a75.3 registers "
             "application/tlsrpt+gzip and application/tlsrpt+json.", "message-report-type-nonstandard"),
            ("byte %d" % at_domain, 'TLS-Report-Domain "other.example" is not the policy domain of any policy in '
             "the report; the report is authoritative (RFC 8460 \u00a75.6).", "message-header-mismatch"),
        ]
        lines = lambda sev: "".join("%s: %s: %s [%s]\n" % (sev, a, m, i) for a, m, i in findings)
        path = self.write("stalwart.eml", eml)
        self.assertEqual(run(["report", path]),
                         (0, "file: %s\n" % path + lines("warning") +
                          FULL_TEXT.replace("valid: 0 errors, 0 warnings", "valid: 0 errors, 2 warnings"), ""))
        self.assertEqual(run(["report", "--strict", path]),
                         (1, "file: %s\n" % path + lines("error") + "invalid: 2 errors, 0 warnings, 0 infos\n", ""))

    def test_errors(self):
        gz = gzip.compress(read("report-full.json"), mtime=0)
        # no report part: the attachment is text/plain
        eml = report_email(b"not a report", subtype="octet-stream", filename="notes.txt")
        self.assertEqual(run(["report", "-"], stdin=eml),
                         (1, "file: -\nerror: The message has no report part (application/tlsrpt+gzip or "
                          "application/tlsrpt+json, or a .json/.json.gz attachment). [message-no-report-part]\n"
                          "invalid: 1 error, 0 warnings, 0 infos\n", ""))
        # a base64 error: '=' where a data character must be
        good = report_email(gz)
        start = good.index(b"H4sI")
        bad = good[:start + 4] + b"=" + good[start + 5:]
        self.assertEqual(run(["report", "-"], stdin=bad),
                         (1, "file: -\nerror: byte %d: Base64 padding '=' where a data character must be. "
                          "[message-base64-invalid]\ninvalid: 1 error, 0 warnings, 0 infos\n" % (start + 4), ""))
        # a byte outside the base64 alphabet is skipped (RFC 2045 §6.8): a warning, an error in strict mode
        junk = good[:start + 4] + b"*" + good[start + 4:]
        finding = ("byte %d: The byte 0x2a is not a base64 character; it is skipped (RFC 2045 §6.8). "
                   "[message-base64-junk]" % (start + 4))
        rc, out, err = run(["report", "-"], stdin=junk)
        self.assertEqual((rc, err, out.splitlines()[1]), (0, "", "warning: " + finding))
        self.assertEqual(run(["report", "--strict", "-"], stdin=junk),
                         (1, "file: -\nerror: " + finding + "\ninvalid: 1 error, 0 warnings, 0 infos\n", ""))
        # truncated before the closing delimiter, the report part complete: read, with a warning (error if strict)
        cut = good[:good.rindex(b"--=_test_boundary_--")]
        finding = ('byte %d: A multipart entity ends without its closing delimiter "--=_test_boundary_--" '
                   "(truncated message?); its last part is read up to the end. [message-multipart-unterminated]"
                   % len(cut))
        rc, out, err = run(["report", "-"], stdin=cut)
        self.assertEqual((rc, err, out.splitlines()[1]), (0, "", "warning: " + finding))
        self.assertEqual(run(["report", "--strict", "-"], stdin=cut),
                         (1, "file: -\nerror: " + finding + "\ninvalid: 1 error, 0 warnings, 0 infos\n", ""))
        # JSON statuses: unusable, syntax-error, unsupported
        odd = good.replace(b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: x-uuencode")
        for stdin, status, ident in ((eml, "unusable", "message-no-report-part"),
                                     (bad, "syntax-error", "message-base64-invalid"),
                                     (odd, "unsupported", "message-encoding-unknown")):
            rc, out, err = run(["report", "--json", "-"], stdin=stdin)
            self.assertEqual((rc, err), (1, ""))
            entry = json.loads(out)["reports"][0]
            self.assertEqual((entry["status"], entry["valid"], entry["report"], entry["errors"]),
                             (status, False, None, 1))
            self.assertEqual([f["id"] for f in entry["findings"]], [ident])

    def test_detection(self):
        # JSON after white space is a report, whatever follows; a first line without a colon is a report too.
        self.assertEqual(run(["report", "-"], stdin=b" \r\n\t" + read("report-full.json")),
                         (0, "file: -\n" + FULL_TEXT, ""))
        rc, out, _ = run(["report", "-"], stdin=b"Subject no colon\r\n\r\n{}")
        self.assertEqual((rc, out.splitlines()[1][-13:]), (1, "[json-syntax]"))
        rc, out, _ = run(["report", "-"], stdin=b"Subject: x\r\n\r\n{}")
        self.assertEqual((rc, out.splitlines()[-2][-24:]), (1, "[message-no-report-part]"))

    def test_merge_email_and_json(self):
        text = report_text([policy(5, 2)])
        path = self.write("a.eml", report_email(gzip.compress(text, mtime=0)))
        rc, out, err = run(["report", "--merge", path, self.write("b.json", text)])
        self.assertEqual(rc, 0)
        self.assertIn("[message-header-mismatch]", err)  # the e-mail's findings, on standard error
        merged = json.loads(out)
        self.assertEqual(merged["policies"][0]["summary"],
                         {"total-successful-session-count": 10, "total-failure-session-count": 4})


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


class RealWorld(unittest.TestCase):
    def setUp(self):
        if not REAL_WORLD:
            self.skipTest("real-world reports not configured (meson option real_world_testdata is empty)")
        self.files = sorted(f for f in os.listdir(REAL_WORLD) if f.endswith(".json"))

    def test_same_files_as_the_library_test(self):
        self.assertEqual(self.files, sorted(REAL_WORLD_STRICT))

    def test_lenient_every_report_parses(self):
        paths = [os.path.join(REAL_WORLD, f) for f in self.files]
        for path in paths:
            rc, out, err = run(["report", path])
            self.assertEqual((rc, err), (0, ""), path)
            self.assertRegex(out, r"\nvalid: 0 errors, \d+ warnings?, \d+ infos?\n$")
            self.assertNotIn("\nerror: ", out)
        # All at once, as JSON: every one valid.
        rc, out, err = run(["report", "--json"] + paths)
        self.assertEqual((rc, err), (0, ""))
        doc = json.loads(out)
        self.assertEqual([(e["file"], e["status"], e["valid"], e["errors"]) for e in doc["reports"]],
                         [(p, "valid", True, 0) for p in paths])
        for e in doc["reports"]:
            self.assertIsInstance(e["report"]["policies"], list, e["file"])
            for p in e["report"]["policies"]:
                self.assertIsInstance(p["policy"]["mx-host"], list, e["file"])

    def test_emails_lenient(self):
        emails = {"mox-google-2022.eml": ("Google Inc.", 0), "mox-microsoft-2023.eml": ("Microsoft Corporation", 4),
                  "parsedmarc-google.eml": ("Google Inc.", 0), "stalwart-rpt01.eml": ("Company-X", 2),
                  "stalwart-rpt02.eml": ("Google Inc.", 4)}
        self.assertEqual(sorted(f for f in os.listdir(REAL_WORLD) if f.endswith(".eml")), sorted(emails))
        for f, (org, warnings) in emails.items():
            rc, out, err = run(["report", "--json", os.path.join(REAL_WORLD, f)])
            self.assertEqual((rc, err), (0, ""), f)
            entry = json.loads(out)["reports"][0]
            self.assertEqual((entry["status"], entry["report"]["organization-name"], entry["errors"],
                              entry["warnings"], len(entry["report"]["policies"])), ("valid", org, 0, warnings, 1), f)

    def test_strict_verdicts(self):
        verdicts = {}
        for f in self.files:
            rc, out, err = run(["report", "--strict", "--json", os.path.join(REAL_WORLD, f)])
            entry = json.loads(out)["reports"][0]
            self.assertEqual(rc, 0 if entry["valid"] else 1, f)
            expected = REAL_WORLD_STRICT.get(f)
            if entry["valid"]:
                self.assertEqual([x for x in entry["findings"] if x["severity"] != "info"], [], f)
                verdicts[f] = None
            else:
                self.assertEqual(entry["status"], "unusable", f)
                errors = [(x["id"], x["path"]) for x in entry["findings"] if x["severity"] == "error"]
                verdicts[f] = expected if expected in errors else errors[0] if errors else "rejected without error"
        self.assertEqual(verdicts, REAL_WORLD_STRICT)


def main():
    global EXE, DATA, REAL_WORLD
    if len(sys.argv) not in (3, 4):
        sys.stderr.write("usage: test_report_cli.py PATH-TO-tlsrpt DATA-DIR [REAL-WORLD-DIR]\n")
        return 2
    EXE, DATA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    REAL_WORLD = sys.argv[3] if len(sys.argv) == 4 else ""
    if not REAL_WORLD:
        print("NOTE: real-world report tests skipped: the meson option real_world_testdata is empty")
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
