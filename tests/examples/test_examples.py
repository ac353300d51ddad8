#!/usr/bin/env python3
"""Runs the small example programs of examples/ and asserts their exact output and exit status.

usage: test_examples.py BUILD-EXAMPLES-DIR README.md EXAMPLES-SRC-DIR DATA-DIR   (python3 standard library only)

Also checks that the README's "Using the library" C snippet is examples/check-record.c, byte for byte.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

BIN = README = SRC = DATA = None


def run(name, *args):
    p = subprocess.run([os.path.join(BIN, name)] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


DEVIATING_FINDINGS = """\
[report-datetime-no-zone] /date-range/start-datetime: The date-time "2024-02-29T00:00:00" has no time zone; it is read as UTC.
[report-field-null] /contact-info: The member is null; it is read as absent.
[report-result-type-unknown] /policies/0/failure-details/0/result-type: The result type "quantum-decoherence" is not registered (RFC 8460 §4.3); it is kept as written.
[report-failure-error-code] /policies/0/failure-details/0/failure-error-code: "failure-error-code" is the pre-publication name of "failure-reason-code"; it is read as the reason code.
[report-field-missing] /policies/0/failure-details/1/receiving-mx-hostname: The member "receiving-mx-hostname" is missing.
[report-field-missing] /policies/0/policy/mx-host: The member "mx-host" is missing.
"""

WRITTEN_REPORT = """\
{
  "organization-name": "Example Mail",
  "date-range": {
    "start-datetime": "2024-07-01T00:00:00Z",
    "end-datetime": "2024-07-01T23:59:59Z"
  },
  "contact-info": "tlsrpt@mail.example",
  "report-id": "19905.mail.example",
  "policies": [
    {
      "policy": {
        "policy-type": "sts",
        "policy-string": [
          "version: STSv1",
          "mode: enforce",
          "mx: mx.example.com",
          "max_age: 86400"
        ],
        "policy-domain": "example.com",
        "mx-host": [
          "mx.example.com"
        ]
      },
      "summary": {
        "total-successful-session-count": 3,
        "total-failure-session-count": 4
      },
      "failure-details": [
        {
          "result-type": "certificate-expired",
          "sending-mta-ip": "192.0.2.25",
          "receiving-mx-hostname": "mx.example.com",
          "receiving-ip": "203.0.113.7",
          "failed-session-count": 3
        },
        {
          "result-type": "starttls-not-supported",
          "sending-mta-ip": "192.0.2.25",
          "receiving-mx-hostname": "mx.example.com",
          "failed-session-count": 1,
          "failure-reason-code": "no STARTTLS in EHLO"
        }
      ]
    }
  ]
}
"""


class CheckRecord(unittest.TestCase):
    def test_readme_snippet_is_the_program(self):
        with open(README, encoding="utf-8") as f:
            blocks = re.findall(r"^```c\n(.*?)^```$", f.read(), re.S | re.M)
        with open(os.path.join(SRC, "check-record.c"), encoding="utf-8") as f:
            program = f.read()
        self.assertEqual(blocks, [program])

    def test_valid_record(self):
        self.assertEqual(run("check-record"), (0, "destination: mailto:tlsrpt@example.com\nSuccess.\n", ""))

    def test_invalid_record(self):
        self.assertEqual(run("check-record", "v=TLSRPTv1 ;rua=mailto:a@example.com!10m,http://example.net/r"), (
            1,
            "[record-space-before-semicolon] offset 10: Whitespace between \"v=TLSRPTv1\" and ';' is allowed by the "
            "RFC 8460 grammar, but its section 3 discards records that do not begin \"v=TLSRPTv1;\", so reporters that "
            "apply that rule will ignore this one (erratum 6285).\n"
            "[uri-unencoded-delimiter] offset 36: '!' must be percent-encoded as %21 in a TLSRPT destination: "
            "\"mailto:a@example.com!10m\".\n"
            "The input does not follow its grammar.\n", ""))


class LookupCustomResolver(unittest.TestCase):
    def test_every_outcome_from_the_table(self):
        self.assertEqual(run("lookup-custom-resolver"), (0, """\
example.com: Success.
  query _smtp._tls.example.com., 2 TXT record(s), DNSSEC-authenticated
  destination: mailto:tlsrpt@example.com
  destination: https://reports.example.net/v1
  [dns-txt-not-tlsrpt] TXT record 2 at _smtp._tls.example.com. is not a TLSRPT record and is ignored: "google-site-verification=abc".
twice.example: More than one TLSRPT record was found, so the domain has no usable TLSRPT policy.
  query _smtp._tls.twice.example., 2 TXT record(s), DNSSEC-authenticated
  [dns-multiple-records] 2 TXT records at _smtp._tls.twice.example. start with "v=TLSRPTv1;"; RFC 8460 section 3 says the domain then has no TLSRPT policy.
broken.example: The input is well-formed but not valid.
  query _smtp._tls.broken.example., 1 TXT record(s), DNSSEC-authenticated
  [rua-scheme-unsupported] The destination "ftp://broken.example/" uses a scheme reporters do not support (only mailto: and https:); it will be skipped.
  [rua-none-usable] No destination uses mailto: or https:, so no reporter can deliver reports.
servfail.example: Temporary DNS failure; try again later.
  query _smtp._tls.servfail.example., 0 TXT record(s)
  [dns-lookup-tempfail] The lookup function reported a temporary failure for _smtp._tls.servfail.example.
absent.example: No TLSRPT record was found.
  query _smtp._tls.absent.example., 0 TXT record(s)
  [dns-nxdomain] _smtp._tls.absent.example. does not exist (NXDOMAIN): the domain publishes no TLSRPT policy.
5 queries answered by the table
""", ""))

    def test_the_callback_gets_the_absolute_lower_case_name(self):
        rc, out, err = run("lookup-custom-resolver", "EXAMPLE.com.")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines()[:2], ["EXAMPLE.com.: Success.",
                                                "  query _smtp._tls.example.com., 2 TXT record(s), DNSSEC-authenticated"])
        self.assertEqual(out.splitlines()[-1], "1 queries answered by the table")


class MtaStsEvaluate(unittest.TestCase):
    def test_default_hosts(self):
        self.assertEqual(run("mta-sts-evaluate"), (0, """\
query TXT _mta-sts.example.com., fetch https://mta-sts.example.com/.well-known/mta-sts.txt
policy id 20240701T000000Z, mode 2 (2 = enforce), max_age 604800
mail.example.com: matches
a.mx.example.com: matches
backup.example.net: does not match: do not deliver there
report entry: 5 policy strings, 2 mx-host patterns
""", ""))

    def test_matching_rules(self):
        # RFC 8461 §4.1: case and a trailing dot do not matter; a wildcard covers exactly one more label.
        rc, out, err = run("mta-sts-evaluate", "MAIL.example.com.", "x.y.mx.example.com", "bad host")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out.splitlines()[2:5], ["MAIL.example.com.: matches",
                                                 "x.y.mx.example.com: does not match: do not deliver there",
                                                 "bad host: bad name"])


class ReadReport(unittest.TestCase):
    def test_built_in_sample(self):
        self.assertEqual(run("read-report"), (0, """\
from Example Mail, report 2024-07-01-42
period 1719792000 to 1719878399
policy sts for example.com: 1000 successful, 3 failed sessions
  3 x certificate-expired: The certificate the receiving MX presented has expired; renew it and check that the server was reloaded to use the new certificate.
""", ""))

    def test_deviating_report_warnings_first(self):
        self.assertEqual(run("read-report", os.path.join(DATA, "report-deviating.json")), (0, DEVIATING_FINDINGS + """\
from Deviating Sender Inc., report deviating-2024-02-29
period 1709164800 to 1709251199
policy sts for receiver.example: 0 successful, 7 failed sessions
  4 x quantum-decoherence: (not a registered result type)
  3 x sts-policy-fetch-error: The sender could not retrieve the domain's MTA-STS policy; check that https://mta-sts.<domain>/.well-known/mta-sts.txt is reachable and answers with status 200.
""", ""))

    def test_not_a_report_and_missing_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.json")
            with open(bad, "w") as f:
                f.write('{"x":')
            self.assertEqual(run("read-report", bad), (1, """\
[report-member-unknown] /x: The member "x" is not part of RFC 8460 and is ignored.
[json-unexpected-end] /x: The JSON text ends inside a value.
not a report: The input does not follow its grammar.
""", ""))
            missing = os.path.join(tmp, "missing.json")
            self.assertEqual(run("read-report", missing), (2, "", missing + ": No such file or directory\n"))


class WriteReport(unittest.TestCase):
    def test_default_day(self):
        self.assertEqual(run("write-report"),
                         (0, "mail.example!example.com!1719792000!1719878399.json\n" + WRITTEN_REPORT, ""))

    def test_any_moment_of_a_day_gives_that_day(self):
        for moment in ("1719792000", "1719878399"):
            self.assertEqual(run("write-report", moment), run("write-report"))
        rc, out, err = run("write-report", "1720000000")
        name, text = out.split("\n", 1)
        self.assertEqual((rc, err, name), (0, "", "mail.example!example.com!1719964800!1720051199.json"))
        self.assertEqual(json.loads(text)["date-range"],
                         {"start-datetime": "2024-07-03T00:00:00Z", "end-datetime": "2024-07-03T23:59:59Z"})

    def test_read_report_reads_what_write_report_wrote(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "report.json")
            with open(path, "w") as f:
                f.write(WRITTEN_REPORT)
            self.assertEqual(run("read-report", path), (0, """\
from Example Mail, report 19905.mail.example
period 1719792000 to 1719878399
policy sts for example.com: 3 successful, 4 failed sessions
  3 x certificate-expired: The certificate the receiving MX presented has expired; renew it and check that the server was reloaded to use the new certificate.
  1 x starttls-not-supported: The receiving MX did not offer STARTTLS, so no encrypted session could be set up; check that every MX host advertises STARTTLS in its EHLO response and that nothing on the path strips it.
""", ""))


class EventCollector(unittest.TestCase):
    """Three delivery processes send outcome events over a unix datagram socket; the collector builds the day."""

    def test_the_collected_day(self):
        rc, out, err = run("event-collector")
        self.assertEqual((rc, err), (0, ""))
        first, text = out.split("\n", 1)
        self.assertEqual(first, "12 events applied, 3 for the next day")
        report = json.loads(text)
        self.assertEqual(report["date-range"], {"start-datetime": "2024-07-01T00:00:00Z",
                                                "end-datetime": "2024-07-01T23:59:59Z"})
        self.assertEqual(len(report["policies"]), 1)
        policy = report["policies"][0]
        self.assertEqual(policy["policy"], json.loads(WRITTEN_REPORT)["policies"][0]["policy"])
        self.assertEqual(policy["summary"], {"total-successful-session-count": 9, "total-failure-session-count": 3})
        self.assertEqual(policy["failure-details"], [{"result-type": "certificate-expired",
                                                      "sending-mta-ip": "192.0.2.25",
                                                      "receiving-mx-hostname": "mx.example.com",
                                                      "failed-session-count": 3}])


if __name__ == "__main__":
    BIN, README, SRC, DATA = sys.argv[1:5]
    del sys.argv[1:5]
    unittest.main(verbosity=2)
