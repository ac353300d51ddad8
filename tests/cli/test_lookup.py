#!/usr/bin/env python3
"""Tests of `tlsrpt lookup` against a real NSD serving tests/cli/zones on 127.0.0.1.

usage: run_with_nsd.py NSD tests/cli/zones python3 test_lookup.py PATH-TO-tlsrpt
The port of the server is in TLSRPT_TEST_NSD_PORT (set by tests/dns/run_with_nsd.py). Exact stdout, stderr and exit
status of each case; python3 standard library only; exit status 1 on any failure.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import unittest

EXE = None
PORT = None


def run(args):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    p = subprocess.run([EXE] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "surrogateescape")


def lookup(*args):
    return run(["lookup", "--server", "127.0.0.1:%d" % PORT, "--timeout", "2000"] + list(args))


def closed_port():
    """A loopback UDP port that nothing listens on right now."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


VALID_RECORD = ("v=TLSRPTv1; rua=mailto:tlsrpt@valid.lookup.test,mailto:reports@authorized.collector.test,"
                "https://unauthorized.collector.test/v1/tlsrpt")
AUTHORIZED = "valid.lookup.test._report._tls.authorized.collector.test"
UNAUTHORIZED = "valid.lookup.test._report._tls.unauthorized.collector.test"
VALID_ANSWER = (
    'answer: _smtp._tls.valid.lookup.test.\t300\tIN\tTXT\t"v=TLSRPTv1; rua=mailto:tlsrpt@valid.lookup.test,"'
    ' "mailto:reports@authorized.collector.test,https://unauthorized.collector.test/v1/tlsrpt"\n'
    'answer: _smtp._tls.valid.lookup.test.\t300\tIN\tTXT\t"v=spf1 -all"\n'
    "server: 127.0.0.1 port %(port)d\n")
VALID_HEAD = (
    "query: _smtp._tls.valid.lookup.test.\n" + VALID_ANSWER +
    "txt: " + VALID_RECORD + "\n"
    "txt: v=spf1 -all\n"
    "dnssec: not authenticated\n"
    'info: TXT record 2 at _smtp._tls.valid.lookup.test. is not a TLSRPT record and is ignored: "v=spf1 -all".'
    " [dns-txt-not-tlsrpt]\n"
    "record: " + VALID_RECORD + "\n"
    "rua: mailto:tlsrpt@valid.lookup.test (mailto, mailbox tlsrpt@valid.lookup.test, host valid.lookup.test)\n"
    "rua: mailto:reports@authorized.collector.test (mailto, mailbox reports@authorized.collector.test,"
    " host authorized.collector.test)\n"
    "rua: https://unauthorized.collector.test/v1/tlsrpt (https, host unauthorized.collector.test)\n"
    "authorization: mailto:tlsrpt@valid.lookup.test: not required (same organization)\n")
VALID_LINT = (
    "info: The record lists 3 destinations; RFC 8460 \u00a73 lets a reporter deliver to only one of them, so the"
    " others may receive no report. [lint-rua-many]\n"
    "info: Destination 2 (mailto:reports@authorized.collector.test) is outside the organizational domain of"
    " valid.lookup.test; receivers that verify external destinations expect the TXT record " + AUTHORIZED +
    ' "v=TLSRPTv1". [lint-rua-external]\n'
    "hint: Ask the owner of authorized.collector.test to publish TXT " + AUTHORIZED + '. "v=TLSRPTv1" in its zone,'
    " or use a destination in valid.lookup.test.\n"
    "info: Destination 3 (https://unauthorized.collector.test/v1/tlsrpt) is outside the organizational domain of"
    " valid.lookup.test; receivers that verify external destinations expect the TXT record " + UNAUTHORIZED +
    ' "v=TLSRPTv1". [lint-rua-external]\n'
    "hint: Ask the owner of unauthorized.collector.test to publish TXT " + UNAUTHORIZED + '. "v=TLSRPTv1" in its'
    " zone, or use a destination in valid.lookup.test.\n")


class Lookup(unittest.TestCase):
    def test_valid_record_with_authorized_and_unauthorized_destinations(self):
        self.assertEqual(lookup("valid.lookup.test"), (0, VALID_HEAD % {"port": PORT} +
            "authorization: mailto:reports@authorized.collector.test: authorized by " + AUTHORIZED + ".\n"
            "authorization: https://unauthorized.collector.test/v1/tlsrpt: not authorized; expects " +
            UNAUTHORIZED + '. TXT "v=TLSRPTv1"\n' + VALID_LINT +
            "info: " + AUTHORIZED + ". publishes a TXT record starting with v=TLSRPTv1: reports for"
            " valid.lookup.test are authorized. [authz-authorized]\n"
            "warning: " + UNAUTHORIZED + ". does not exist (NXDOMAIN): unauthorized.collector.test has not"
            " authorized reports for valid.lookup.test. [authz-record-missing]\n"
            "valid: 0 errors, 1 warning, 5 infos\n", ""))

    def test_no_authorization(self):
        self.assertEqual(lookup("--no-authorization", "valid.lookup.test"), (0, VALID_HEAD % {"port": PORT} +
            "authorization: mailto:reports@authorized.collector.test: not checked (--no-authorization); expects " +
            AUTHORIZED + '. TXT "v=TLSRPTv1"\n'
            "authorization: https://unauthorized.collector.test/v1/tlsrpt: not checked (--no-authorization);"
            " expects " + UNAUTHORIZED + '. TXT "v=TLSRPTv1"\n' + VALID_LINT +
            "valid: 0 errors, 0 warnings, 4 infos\n", ""))

    def test_json(self):
        rc, out, err = lookup("--json", "valid.lookup.test")
        self.assertEqual((rc, err), (0, ""))
        self.assertTrue(out.endswith("}\n") and out.count("\n") == 1)
        doc = json.loads(out)
        self.assertEqual(doc, {
            "domain": "valid.lookup.test", "qname": "_smtp._tls.valid.lookup.test.", "status": "valid",
            "valid": True, "authenticated": False, "txt": [VALID_RECORD, "v=spf1 -all"],
            "answer": [
                {"name": "_smtp._tls.valid.lookup.test.", "ttl": 300, "type": "TXT",
                 "strings": ["v=TLSRPTv1; rua=mailto:tlsrpt@valid.lookup.test,",
                             "mailto:reports@authorized.collector.test,https://unauthorized.collector.test/v1/tlsrpt"]},
                {"name": "_smtp._tls.valid.lookup.test.", "ttl": 300, "type": "TXT", "strings": ["v=spf1 -all"]}],
            "server": {"address": "127.0.0.1", "port": PORT}, "record": VALID_RECORD,
            "rua": [
                {"uri": "mailto:tlsrpt@valid.lookup.test", "scheme": "mailto", "mailbox": "tlsrpt@valid.lookup.test",
                 "host": "valid.lookup.test", "external": False,
                 "authorization_name": "valid.lookup.test._report._tls.valid.lookup.test.",
                 "authorization": "not-required"},
                {"uri": "mailto:reports@authorized.collector.test", "scheme": "mailto",
                 "mailbox": "reports@authorized.collector.test", "host": "authorized.collector.test",
                 "external": True, "authorization_name": AUTHORIZED + ".", "authorization": "authorized"},
                {"uri": "https://unauthorized.collector.test/v1/tlsrpt", "scheme": "https", "mailbox": None,
                 "host": "unauthorized.collector.test", "external": True,
                 "authorization_name": UNAUTHORIZED + ".", "authorization": "not-authorized"}],
            "extensions": [], "authorization_complete": True, "findings": doc["findings"],
            "errors": 0, "warnings": 1, "infos": 5})
        self.assertEqual([(f["severity"], f["id"], f["offset"]) for f in doc["findings"]],
                         [("info", "dns-txt-not-tlsrpt", None), ("info", "lint-rua-many", None),
                          ("info", "lint-rua-external", None), ("info", "lint-rua-external", None),
                          ("info", "authz-authorized", None), ("warning", "authz-record-missing", None)])
        rc, out, err = lookup("--json", "--no-authorization", "valid.lookup.test")
        self.assertEqual((rc, err), (0, ""))
        doc = json.loads(out)
        self.assertEqual([r["authorization"] for r in doc["rua"]], ["not-required", "not-checked", "not-checked"])
        self.assertEqual((doc["warnings"], doc["infos"]), (0, 4))

    def test_no_record(self):
        self.assertEqual(lookup("absent.lookup.test"), (1,
            "query: _smtp._tls.absent.lookup.test.\n"
            "server: 127.0.0.1 port %d\n"
            "dnssec: not authenticated\n"
            "error: _smtp._tls.absent.lookup.test. does not exist (NXDOMAIN): the domain publishes no TLSRPT policy."
            " [dns-nxdomain]\n"
            'hint: Publish a TXT record such as "v=TLSRPTv1; rua=mailto:tlsrpt@example.com" at _smtp._tls. followed'
            " by the domain.\n"
            "not-found: 1 error, 0 warnings, 0 infos\n" % PORT, ""))
        rc, out, err = lookup("--json", "other.lookup.test")
        self.assertEqual((rc, err), (1, ""))
        doc = json.loads(out)
        self.assertEqual((doc["status"], doc["valid"], doc["txt"], doc["record"], doc["rua"]),
                         ("not-found", False, ["v=spf1 -all"], None, []))
        self.assertEqual([f["id"] for f in doc["findings"]], ["dns-txt-not-tlsrpt", "dns-no-tlsrpt-record"])

    def test_two_records(self):
        self.assertEqual(lookup("two.lookup.test"), (1,
            "query: _smtp._tls.two.lookup.test.\n"
            'answer: _smtp._tls.two.lookup.test.\t300\tIN\tTXT\t"v=TLSRPTv1; rua=mailto:a@two.lookup.test"\n'
            'answer: _smtp._tls.two.lookup.test.\t300\tIN\tTXT\t"v=TLSRPTv1; rua=mailto:b@two.lookup.test"\n'
            "server: 127.0.0.1 port %d\n"
            "txt: v=TLSRPTv1; rua=mailto:a@two.lookup.test\n"
            "txt: v=TLSRPTv1; rua=mailto:b@two.lookup.test\n"
            "dnssec: not authenticated\n"
            'error: 2 TXT records at _smtp._tls.two.lookup.test. start with "v=TLSRPTv1;"; RFC 8460 section 3 says'
            " the domain then has no TLSRPT policy. [dns-multiple-records]\n"
            "hint: Keep one TLSRPT record: delete the others and list every destination in its rua=, separated by"
            " ','.\n"
            "multiple: 1 error, 0 warnings, 0 infos\n" % PORT, ""))

    def test_malformed_record_has_a_caret(self):
        self.assertEqual(lookup("malformed.lookup.test"), (1,
            "query: _smtp._tls.malformed.lookup.test.\n"
            'answer: _smtp._tls.malformed.lookup.test.\t300\tIN\tTXT\t"v=TLSRPTv1;'
            ' rua=mailto:tlsrpt@malformed.lookup.test;;"\n'
            "server: 127.0.0.1 port %d\n" % PORT +
            "txt: v=TLSRPTv1; rua=mailto:tlsrpt@malformed.lookup.test;;\n"
            "dnssec: not authenticated\n"
            "error: Empty field at offset 52 (two ';' in a row). [record-field-empty]\n"
            "  v=TLSRPTv1; rua=mailto:tlsrpt@malformed.lookup.test;;\n"
            "  " + " " * 52 + "^\n"
            "hint: Remove the extra ';'.\n"
            "syntax-error: 1 error, 0 warnings, 0 infos\n", ""))
        rc, out, err = lookup("--json", "malformed.lookup.test")
        doc = json.loads(out)
        self.assertEqual((rc, err, doc["status"], doc["record"]), (1, "", "syntax-error", None))
        self.assertEqual([(f["severity"], f["id"], f["offset"]) for f in doc["findings"]],
                         [("error", "record-field-empty", 52)])

    def test_tempfail_closed_port(self):
        port = closed_port()
        rc, out, err = run(["lookup", "--server", "127.0.0.1:%d" % port, "--timeout", "200", "valid.lookup.test"])
        self.assertEqual((rc, err), (3, ""))
        self.assertEqual(out.splitlines()[:2], ["query: _smtp._tls.valid.lookup.test.", "dnssec: not authenticated"])
        self.assertEqual(out.splitlines()[-1], "temporary-failure: 1 error, 0 warnings, 0 infos")
        rc, out, err = run(["lookup", "--json", "--server", "127.0.0.1:%d" % port, "--timeout", "200",
                            "valid.lookup.test"])
        doc = json.loads(out)
        self.assertEqual((rc, err, doc["status"], doc["valid"], doc["txt"], doc["record"], doc["answer"],
                          doc["server"]), (3, "", "temporary-failure", False, [], None, [], None))
        self.assertEqual([(f["severity"], f["id"]) for f in doc["findings"]], [("error", "dns-network-error")])

    def test_authorization_tempfail_is_exit_3(self):
        # The server does not serve unserved.example: it refuses the authorization query (a temporary failure).
        name = "authfail.lookup.test._report._tls.collector.unserved.example"
        self.assertEqual(lookup("authfail.lookup.test"), (3,
            "query: _smtp._tls.authfail.lookup.test.\n"
            'answer: _smtp._tls.authfail.lookup.test.\t300\tIN\tTXT\t'
            '"v=TLSRPTv1; rua=mailto:reports@collector.unserved.example"\n'
            "server: 127.0.0.1 port %d\n" % PORT +
            "txt: v=TLSRPTv1; rua=mailto:reports@collector.unserved.example\n"
            "dnssec: not authenticated\n"
            "record: v=TLSRPTv1; rua=mailto:reports@collector.unserved.example\n"
            "rua: mailto:reports@collector.unserved.example (mailto, mailbox reports@collector.unserved.example,"
            " host collector.unserved.example)\n"
            "authorization: mailto:reports@collector.unserved.example: temporary DNS failure, check again later;"
            " expects " + name + '. TXT "v=TLSRPTv1"\n'
            "info: Destination 1 (mailto:reports@collector.unserved.example) is outside the organizational domain of"
            " authfail.lookup.test; receivers that verify external destinations expect the TXT record " + name +
            ' "v=TLSRPTv1". [lint-rua-external]\n'
            "hint: Ask the owner of collector.unserved.example to publish TXT " + name + '. "v=TLSRPTv1" in its'
            " zone, or use a destination in authfail.lookup.test.\n"
            "error: The name server 127.0.0.1 port %d refused the query for %s. [dns-refused]\n" % (PORT, name) +
            "valid (authorization incomplete: temporary DNS failure): 1 error, 0 warnings, 1 info\n", ""))
        rc, out, err = lookup("--json", "authfail.lookup.test")
        doc = json.loads(out)
        self.assertEqual((rc, err, doc["status"], doc["valid"], doc["authorization_complete"]),
                         (3, "", "valid", True, False))
        self.assertEqual(doc["rua"][0]["authorization"], "temporary-failure")
        # Without the authorization check, nothing fails.
        rc, out, err = lookup("--no-authorization", "authfail.lookup.test")
        self.assertEqual((rc, err, out.splitlines()[-1]), (0, "", "valid: 0 errors, 0 warnings, 1 info"))

    def test_dns_facts_like_drill(self):
        # The CNAME chain and the TXT RR with their TTLs, the record's strings as published, the server: the lines
        # of drill's answer section (drill -p PORT @127.0.0.1 TXT _smtp._tls.alias.lookup.test), byte for byte.
        self.assertEqual(lookup("--no-authorization", "alias.lookup.test"), (0,
            "query: _smtp._tls.alias.lookup.test.\n"
            "answer: _smtp._tls.alias.lookup.test.\t120\tIN\tCNAME\t_smtp._tls.facts.lookup.test.\n"
            'answer: _smtp._tls.facts.lookup.test.\t3600\tIN\tTXT\t"v=TLSRPTv1; " "rua=mailto:tlsrpt@facts.lookup.test"\n'
            "server: 127.0.0.1 port %d\n"
            "txt: v=TLSRPTv1; rua=mailto:tlsrpt@facts.lookup.test\n"
            "dnssec: not authenticated\n"
            "record: v=TLSRPTv1; rua=mailto:tlsrpt@facts.lookup.test\n"
            "rua: mailto:tlsrpt@facts.lookup.test (mailto, mailbox tlsrpt@facts.lookup.test, host facts.lookup.test)\n"
            "authorization: mailto:tlsrpt@facts.lookup.test: not required (same organization)\n"
            "valid: 0 errors, 0 warnings, 0 infos\n" % PORT, ""))
        rc, out, err = lookup("--json", "--no-authorization", "alias.lookup.test")
        doc = json.loads(out)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(doc["answer"], [
            {"name": "_smtp._tls.alias.lookup.test.", "ttl": 120, "type": "CNAME",
             "target": "_smtp._tls.facts.lookup.test."},
            {"name": "_smtp._tls.facts.lookup.test.", "ttl": 3600, "type": "TXT",
             "strings": ["v=TLSRPTv1; ", "rua=mailto:tlsrpt@facts.lookup.test"]}])
        self.assertEqual(doc["server"], {"address": "127.0.0.1", "port": PORT})
        self.assertEqual(doc["txt"], ["v=TLSRPTv1; rua=mailto:tlsrpt@facts.lookup.test"])

    def test_answer_section_equals_drills(self):
        # drill (ldnsutils, in .ci/deps) asked the same server: its answer section, line for line.
        drill = shutil.which("drill")
        self.assertIsNotNone(drill, "drill (Debian package ldnsutils) is needed for this test")
        for domain in ("alias.lookup.test", "valid.lookup.test", "escapes.lookup.test", "two.lookup.test"):
            p = subprocess.run([drill, "-p", str(PORT), "@127.0.0.1", "TXT", "_smtp._tls." + domain],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
            lines = p.stdout.decode("utf-8", "surrogateescape").splitlines()
            start = lines.index(";; ANSWER SECTION:") + 1
            theirs = lines[start:lines.index("", start)]
            rc, out, err = lookup("--no-authorization", domain)
            ours = [line[len("answer: "):] for line in out.splitlines() if line.startswith("answer: ")]
            self.assertEqual(ours, theirs, domain)
            self.assertGreater(len(ours), 0)

    def test_answer_strings_escaped_like_drill(self):
        rc, out, err = lookup("escapes.lookup.test")
        self.assertEqual((rc, err), (1, ""))
        self.assertEqual(out.splitlines()[1],
                         'answer: _smtp._tls.escapes.lookup.test.\t300\tIN\tTXT\t"say \\"hi\\" \\\\ \\233"')
        # JSON strings are UTF-8: the byte that is not is replaced (as everywhere in --json).
        rc, out, err = lookup("--json", "escapes.lookup.test")
        doc = json.loads(out)
        self.assertEqual((rc, err), (1, ""))
        self.assertEqual(doc["answer"][0]["strings"], ['say "hi" \\ \ufffd'])

    def test_ipv6_server(self):
        # NSD listens on 127.0.0.1 only: [::1] is refused, which proves the bracketed address and port were used.
        rc, out, err = run(["lookup", "--json", "--server", "[::1]:%d" % PORT, "--timeout", "500",
                            "valid.lookup.test"])
        doc = json.loads(out)
        self.assertEqual((rc, err, doc["status"]), (3, "", "temporary-failure"))
        self.assertIn("::1 port %d" % PORT, doc["findings"][0]["message"])

def main():
    global EXE, PORT
    if len(sys.argv) != 2 or "TLSRPT_TEST_NSD_PORT" not in os.environ:
        sys.stderr.write("usage: run_with_nsd.py NSD ZONEDIR python3 test_lookup.py PATH-TO-tlsrpt\n")
        return 2
    EXE, PORT = os.path.abspath(sys.argv[1]), int(os.environ["TLSRPT_TEST_NSD_PORT"])
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
