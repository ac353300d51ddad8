#!/usr/bin/env python3
"""Tests of the tlsrpt program: runs the built executable and asserts exact stdout, stderr and exit status.

usage: test_cli.py PATH-TO-tlsrpt VERSION      (python3 standard library only; exit status 1 on any failure)
"""
import json
import os
import pty
import re
import select
import subprocess
import sys
import unittest

EXE = None
VERSION = None

ESC = "\033["

MAIN_HELP = """\
Usage: tlsrpt COMMAND [OPTIONS] ARGS
       tlsrpt COMMAND --help
       tlsrpt --help | --version
SMTP TLS Reporting (RFC 8460) records, from the command line.

Commands:
  generate    build a TLSRPT record from report destinations
  check       check the syntax of a TLSRPT record and lint it
  lookup      look up a domain's TLSRPT record in DNS and check it
  report      read TLS reports (JSON or gzip) and summarize them
  sts         MTA-STS (RFC 8461): generate, check and look up policies

Exit status: 0 success, 1 invalid input, 2 usage or I/O error, 3 temporary DNS failure.
Colour is used only when standard output is a terminal and NO_COLOR is not set.
"""

GENERATE_HELP = """\
Usage: tlsrpt generate --rua DEST [--rua DEST]... [--domain DOMAIN] [--zone ZONE] [--ttl SECONDS]
                       [--format record|zone|json|route53|cloudflare|nsupdate]
                       [--provider cloudflare|route53|registro.br|generic]
Build a TLSRPT record (RFC 8460) for _smtp._tls.DOMAIN from report destinations.

  --rua DEST         a mailto: or https: URI, or a bare e-mail address (taken as mailto:);
                     repeat for several destinations, kept in the order given
  --domain DOMAIN    the policy domain: also list the authorization records that external
                     destinations must publish, and the checker's findings
  --zone ZONE        the DNS zone the record goes in, when it is not DOMAIN itself (names in
                     provider forms and nsupdate are relative to it)
  --ttl SECONDS      TTL, 0 to 2147483647 (default 3600; 0 omits it from the zone line;
                     cloudflare: 1 (automatic, the default) or 30 to 86400)
  --format FORMAT    record: the record text (default); zone: a master-file line; json: name,
                     type, ttl, value, strings; route53: a ChangeResourceRecordSets change batch;
                     cloudflare: a DNS record API body; nsupdate: an RFC 2136 nsupdate script
                     (every format but record needs --domain)
  --provider NAME    the fields to type into that provider's web form (needs --domain)
  -h, --help         show this help

Exit status: 0 record generated, 1 a destination is invalid, 2 usage error.
"""

CHECK_HELP = """\
Usage: tlsrpt check [--domain DOMAIN] [--strict] [--json] RECORD|-
Check the syntax of a TLSRPT record (RFC 8460) and lint it; '-' reads the record from standard input
(one trailing newline is removed).

  --domain DOMAIN    the policy domain publishing the record (enables the external-destination check)
  --strict           warnings make the record fail (exit status 1)
  --json             print one JSON document instead of text
  -h, --help         show this help

Exit status: 0 valid (warnings allowed unless --strict), 1 invalid or unusable, 2 usage or I/O error.
"""

LOOKUP_HELP = """\
Usage: tlsrpt lookup [--server ADDR[:PORT]] [--timeout MS] [--no-authorization] [--json] DOMAIN
Look up the TLSRPT record of DOMAIN (TXT at _smtp._tls.DOMAIN, RFC 8460) and check it, with the
authorization records of destinations outside DOMAIN's organization.

  --server ADDR[:PORT]  ask this name server instead of the system's: an IPv4 address, or an IPv6
                        address in brackets ([::1]:5353); the port defaults to 53
  --timeout MS          wait at most MS milliseconds for each answer, 1 to 60000 (default 5000)
  --no-authorization    do not query the authorization records of external destinations
  --json                print one JSON document instead of text
  -h, --help            show this help

Exit status: 0 one valid record, 1 no record, several records, or an invalid or unusable one,
2 usage or I/O error, 3 temporary DNS failure (of the lookup or of an authorization check).
"""


def environment(extra=None, drop_no_color=True):
    env = dict(os.environ)
    if drop_no_color:
        env.pop("NO_COLOR", None)
    env.update(extra or {})
    return env


def run(args, stdin=b"", env=None):
    """Runs tlsrpt with pipes (not a terminal); returns (exit status, stdout, stderr) as text."""
    if isinstance(stdin, str):
        stdin = stdin.encode()
    p = subprocess.run([EXE] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=environment(env), timeout=60)
    return (p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
            p.stderr.decode("utf-8", "surrogateescape"))


def run_on_terminal(args, env):
    """Runs tlsrpt with stdout on a pseudo-terminal; returns (exit status, what the terminal received)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([EXE] + args, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    p.stderr.read()
    p.stderr.close()
    return p.wait(timeout=60), out.decode("utf-8", "surrogateescape").replace("\r\n", "\n")


def zone_strings(line):
    """The character-strings of a master-file TXT line, unescaped (RFC 1035 \\X and \\DDD)."""
    strings = []
    for quoted in re.findall(r'"((?:[^"\\]|\\.)*)"', line):
        strings.append(re.sub(r"\\(\d{3}|.)",
                              lambda m: chr(int(m.group(1))) if m.group(1).isdigit() else m.group(1), quoted))
    return strings


class Usage(unittest.TestCase):
    def check_usage(self, args, stderr):
        self.assertEqual(run(args), (2, "", stderr))

    def test_main_help(self):
        self.assertEqual(run(["--help"]), (0, MAIN_HELP, ""))
        self.assertEqual(run(["-h"]), (0, MAIN_HELP, ""))

    def test_version(self):
        self.assertEqual(run(["--version"]), (0, "tlsrpt (libtlsrpt) %s\n" % VERSION, ""))

    def test_command_help(self):
        self.assertEqual(run(["generate", "--help"]), (0, GENERATE_HELP, ""))
        self.assertEqual(run(["generate", "-h"]), (0, GENERATE_HELP, ""))
        self.assertEqual(run(["check", "--help"]), (0, CHECK_HELP, ""))
        self.assertEqual(run(["check", "-h"]), (0, CHECK_HELP, ""))
        # --help wins over the other arguments, even invalid ones given before it.
        self.assertEqual(run(["generate", "--rua", "http:x", "--help"]), (0, GENERATE_HELP, ""))
        self.assertEqual(run(["check", "v=TLSRPTv1", "--help"]), (0, CHECK_HELP, ""))
        self.assertEqual(run(["lookup", "--help"]), (0, LOOKUP_HELP, ""))
        self.assertEqual(run(["lookup", "-h"]), (0, LOOKUP_HELP, ""))
        self.assertEqual(run(["lookup", "--server", "[::1", "--timeout", "0", "--help"]), (0, LOOKUP_HELP, ""))
        self.assertEqual(run(["lookup", "example.com", "--help"]), (0, LOOKUP_HELP, ""))


    def test_main_usage_errors(self):
        self.check_usage([], "tlsrpt: missing COMMAND\nTry 'tlsrpt --help'.\n")
        self.check_usage(["frobnicate"], "tlsrpt: unknown command 'frobnicate'\nTry 'tlsrpt --help'.\n")
        self.check_usage(["--frobnicate"], "tlsrpt: unknown option '--frobnicate'\nTry 'tlsrpt --help'.\n")
        self.check_usage(["-x"], "tlsrpt: unknown option '-x'\nTry 'tlsrpt --help'.\n")

    def test_generate_usage_errors(self):
        tail = "\nTry 'tlsrpt generate --help'.\n"
        self.check_usage(["generate"], "tlsrpt generate: at least one --rua DEST is required" + tail)
        self.check_usage(["generate", "--rua"], "tlsrpt generate: option requires an argument: '--rua'" + tail)
        self.check_usage(["generate", "--rua", "a@example.com", "--bogus"],
                         "tlsrpt generate: unknown option '--bogus'" + tail)
        self.check_usage(["generate", "-q", "--rua", "a@example.com"], "tlsrpt generate: unknown option '-q'" + tail)
        self.check_usage(["generate", "--rua", "a@example.com", "extra"],
                         "tlsrpt generate: unexpected argument 'extra'" + tail)
        self.check_usage(["generate", "--rua", "a@example.com", "--format", "yaml"],
                         "tlsrpt generate: unknown format (record, zone, json, route53, cloudflare or nsupdate): 'yaml'"
                         + tail)
        self.check_usage(["generate", "--rua", "a@example.com", "--format", "zone"],
                         "tlsrpt generate: --format zone needs --domain" + tail)
        for ttl in ["", "-1", "+5", " 5", "5s", "2147483648", "99999999999999999999999"]:
            self.check_usage(["generate", "--rua", "a@example.com", "--ttl", ttl],
                             "tlsrpt generate: invalid TTL (0 to 2147483647 seconds): '%s'" % ttl + tail)

    def test_lookup_usage_errors(self):
        # None of these reaches the network: they fail before any query.
        tail = "\nTry 'tlsrpt lookup --help'.\n"
        self.check_usage(["lookup"], "tlsrpt lookup: missing DOMAIN" + tail)
        self.check_usage(["lookup", "--json"], "tlsrpt lookup: missing DOMAIN" + tail)
        self.check_usage(["lookup", "a.example", "b.example"], "tlsrpt lookup: unexpected argument 'b.example'" + tail)
        self.check_usage(["lookup", "--server"], "tlsrpt lookup: option requires an argument: '--server'" + tail)
        self.check_usage(["lookup", "--strict", "example.com"], "tlsrpt lookup: unknown option '--strict'" + tail)
        for server in ["", "ns.example.com", "ns.example.com:53", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                       "127.0.0.1:5x", "127.0.0.1:123456", "[::1", "[::1]53", "[::1]:", "[]:53", "::1:53:x",
                       "[127.0.0.1:53", "1.2.3.4.5", "[fe80::1%eth0]:53"]:
            self.check_usage(["lookup", "--server", server, "example.com"],
                             "tlsrpt lookup: invalid server (ADDR, ADDR:PORT or [IPv6]:PORT): '%s'" % server + tail)
        for timeout in ["", "0", "-1", "60001", "5s", " 5", "99999999999999999999999"]:
            self.check_usage(["lookup", "--timeout", timeout, "example.com"],
                             "tlsrpt lookup: invalid timeout (1 to 60000 milliseconds): '%s'" % timeout + tail)
        self.check_usage(["lookup", "--server", "127.0.0.1:9", "not a domain"],
                         "tlsrpt lookup: not a domain name: 'not a domain'\n"
                         'error: "not a domain" is not a domain name: it contains whitespace. [domain-bad-character]'
                         + tail)
        self.check_usage(["lookup", "--server", "127.0.0.1:9", "a..example"],
                         "tlsrpt lookup: not a domain name: 'a..example'\n"
                         'error: "a..example" is not a domain name: it has an empty label (two dots in a row, or a'
                         ' dot at the start). [domain-empty-label]' + tail)
        self.check_usage(["lookup", "--server", "127.0.0.1:9", "_smtp._tls.example.com"],
                         "tlsrpt lookup: not a domain name: '_smtp._tls.example.com'\n"
                         'error: "_smtp._tls.example.com" is not a domain name: it is the name of a DNS record; give'
                         ' the domain after the service labels. [domain-record-name]\n'
                         "hint: did you mean 'example.com'?" + tail)

    def test_check_usage_errors(self):
        tail = "\nTry 'tlsrpt check --help'.\n"
        self.check_usage(["check"], "tlsrpt check: missing RECORD (or '-' for standard input)" + tail)
        self.check_usage(["check", "--strict"], "tlsrpt check: missing RECORD (or '-' for standard input)" + tail)
        self.check_usage(["check", "a", "b"], "tlsrpt check: unexpected argument 'b'" + tail)
        self.check_usage(["check", "--domain"], "tlsrpt check: option requires an argument: '--domain'" + tail)
        self.check_usage(["check", "--jsn", "x"], "tlsrpt check: unknown option '--jsn'" + tail)
        self.check_usage(["check", "-j", "x"], "tlsrpt check: unknown option '-j'" + tail)
        # An argument with control bytes is echoed escaped, never raw.
        self.check_usage(["check", "a", "b\x1b[2J"], "tlsrpt check: unexpected argument 'b\\x1B[2J'" + tail)


# Eight https destinations: a record of 567 bytes, three character-strings in DNS (255 + 255 + 57).
LONG_DESTS = ["https://tlsrpt-collector-%d.reports.example.net/v1/submit/example.com" % i for i in range(8)]
LONG_VALUE = "v=TLSRPTv1; rua=" + ",".join(LONG_DESTS)


class Generate(unittest.TestCase):
    def test_one_destination(self):
        self.assertEqual(run(["generate", "--rua", "mailto:tlsrpt@example.com"]),
                         (0, "v=TLSRPTv1; rua=mailto:tlsrpt@example.com\n", ""))

    def test_several_destinations_keep_their_order(self):
        self.assertEqual(run(["generate", "--rua", "https://reports.example.com/tlsrpt",
                              "--rua", "mailto:tlsrpt@example.com"]),
                         (0, "v=TLSRPTv1; rua=https://reports.example.com/tlsrpt,mailto:tlsrpt@example.com\n", ""))

    def test_bare_address_is_mailto(self):
        self.assertEqual(run(["generate", "--rua", "tlsrpt@example.com", "--rua", "ops@example.com"]),
                         (0, "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,mailto:ops@example.com\n", ""))

    def test_record_format_is_the_default(self):
        self.assertEqual(run(["generate", "--format", "record", "--rua", "tlsrpt@example.com"]),
                         run(["generate", "--rua", "tlsrpt@example.com"]))

    def test_zone_format(self):
        self.assertEqual(run(["generate", "--rua", "mailto:tlsrpt@example.com", "--domain", "example.com",
                              "--format", "zone"]),
                         (0, '_smtp._tls.example.com. 3600 IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"\n', ""))

    def test_domain_with_internal_destination_prints_no_authorization(self):
        self.assertEqual(run(["generate", "--rua", "tlsrpt@mail.example.com", "--domain", "example.com"]),
                         (0, "v=TLSRPTv1; rua=mailto:tlsrpt@mail.example.com\n", ""))

    def test_external_destination_authorization(self):
        external = ("info: Destination 1 (mailto:reports@thirdparty.example.net) is outside the organizational domain"
                    " of example.com; receivers that verify external destinations expect the TXT record"
                    ' example.com._report._tls.thirdparty.example.net "v=TLSRPTv1". [lint-rua-external]\n')
        hint = ('hint: Ask the owner of thirdparty.example.net to publish TXT'
                ' example.com._report._tls.thirdparty.example.net. "v=TLSRPTv1" in its zone, or use a destination in'
                ' example.com.')
        authorization = 'example.com._report._tls.thirdparty.example.net. TXT "v=TLSRPTv1"\n'
        args = ["generate", "--domain", "example.com", "--rua", "mailto:reports@thirdparty.example.net"]
        self.assertEqual(run(args), (0, "v=TLSRPTv1; rua=mailto:reports@thirdparty.example.net\n"
                                        "\nEach external destination's owner must publish:\n" + authorization +
                                        "\n" + external + hint + "\n", ""))
        self.assertEqual(run(args + ["--format", "zone"]),
                         (0, '_smtp._tls.example.com. 3600 IN TXT "v=TLSRPTv1; rua=mailto:reports@thirdparty.example.net"\n'
                             "\nEach external destination's owner must publish:\n" + authorization + "\n" + external +
                             hint + "\n", ""))
        rc, out, err = run(args + ["--format", "json"])
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(json.loads(out), {
            "name": "_smtp._tls.example.com.", "type": "TXT", "ttl": 3600,
            "value": "v=TLSRPTv1; rua=mailto:reports@thirdparty.example.net",
            "strings": ["v=TLSRPTv1; rua=mailto:reports@thirdparty.example.net"],
            "rua": [{"uri": "mailto:reports@thirdparty.example.net", "scheme": "mailto",
                     "mailbox": "reports@thirdparty.example.net", "host": "thirdparty.example.net", "external": True,
                     "authorization_name": "example.com._report._tls.thirdparty.example.net."}],
            "extensions": [],
            "authorizations": [{"name": "example.com._report._tls.thirdparty.example.net.", "type": "TXT",
                                "value": "v=TLSRPTv1"}],
            "findings": [{"severity": "info", "id": "lint-rua-external", "offset": None, "path": "",
                          "message": external[len("info: "):-len(" [lint-rua-external]\n")],
                          "hint": hint[len("hint: "):]}]})

    def test_one_authorization_per_destination_host(self):
        rc, out, err = run(["generate", "--domain", "example.com", "--format", "json",
                            "--rua", "a@collector.example.org", "--rua", "https://collector.example.org/tlsrpt"])
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(json.loads(out)["authorizations"],
                         [{"name": "example.com._report._tls.collector.example.org.", "type": "TXT",
                           "value": "v=TLSRPTv1"}])

    def test_invalid_destination(self):
        self.assertEqual(run(["generate", "--rua", "tlsrpt@example.com", "--rua", "a b@example.com"]),
                         (1, "", "tlsrpt generate: invalid destination 'a b@example.com'\n"
                                 'error: Invalid character in the local part in the address "a b@example.com"'
                                 " (byte 0x20). [mailto-bad-address]\n"
                                 "  a b@example.com\n"
                                 "   ^\n"))

    def test_too_many_destinations(self):
        args = ["generate"]
        for i in range(129):
            args += ["--rua", "r%d@example.com" % i]
        self.assertEqual(run(args), (1, "", "tlsrpt generate: too many destinations or destination too long:"
                                            " 'r128@example.com'\n"
                                            "error: The record already has 128 destinations, the most it may hold."
                                            " [rua-too-many]\n"))
        rc, out, err = run(args[:-2])
        self.assertEqual((rc, err, out.count(",")), (0, "", 127))

    def test_unsupported_scheme(self):
        self.assertEqual(run(["generate", "--rua", "http://reports.example.com/tlsrpt"]),
                         (1, "", "tlsrpt generate: unsupported scheme (only mailto: and https:) in destination"
                                 " 'http://reports.example.com/tlsrpt'\n"
                                 'error: The destination "http://reports.example.com/tlsrpt" uses a scheme reporters'
                                 " do not support (only mailto: and https:). [rua-scheme-unsupported]\n"
                                 "  http://reports.example.com/tlsrpt\n"
                                 "  ^\n"
                                 'hint: Did you mean "https://reports.example.com/tlsrpt"? Reporters deliver only to'
                                 " mailto: and https:.\n"))

    def test_zone_ttl(self):
        base = ["generate", "--rua", "mailto:tlsrpt@example.com", "--domain", "example.com", "--format", "zone"]
        for ttl, field in [("60", " 60"), ("0", ""), ("2147483647", " 2147483647"), ("3600", " 3600")]:
            rc, out, err = run(base + ["--ttl", ttl])
            self.assertEqual((rc, err), (0, ""))
            self.assertEqual(out.splitlines()[0],
                             '_smtp._tls.example.com.%s IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"' % field)

    def test_json_format_without_domain(self):
        rc, out, err = run(["generate", "--rua", "tlsrpt@example.com", "--format", "json"])
        self.assertEqual((rc, err), (0, ""))
        self.assertTrue(out.endswith("}\n") and out.count("\n") == 1)
        self.assertEqual(json.loads(out), {
            "name": None, "type": "TXT", "ttl": 3600, "value": "v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
            "strings": ["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"],
            "rua": [{"uri": "mailto:tlsrpt@example.com", "scheme": "mailto", "mailbox": "tlsrpt@example.com",
                     "host": "example.com", "external": None, "authorization_name": None}],
            "extensions": [], "authorizations": [], "findings": []})

    def test_long_record_is_split_into_255_byte_strings(self):
        self.assertEqual(len(LONG_VALUE), 567)
        pieces = [LONG_VALUE[:255], LONG_VALUE[255:510], LONG_VALUE[510:]]
        args = ["generate", "--domain", "example.com"]
        for d in LONG_DESTS:
            args += ["--rua", d]
        rc, out, err = run(args + ["--format", "record"])
        self.assertEqual((rc, out.splitlines()[0], err), (0, LONG_VALUE, ""))
        rc, out, err = run(args + ["--format", "zone", "--ttl", "300"])
        self.assertEqual((rc, err), (0, ""))
        zone_line = out.splitlines()[0]
        self.assertEqual(zone_line, '_smtp._tls.example.com. 300 IN TXT "%s" "%s" "%s"' % tuple(pieces))
        rc, out, err = run(args + ["--format", "json", "--ttl", "300"])
        self.assertEqual((rc, err), (0, ""))
        doc = json.loads(out)
        self.assertEqual((doc["name"], doc["ttl"], doc["value"]), ("_smtp._tls.example.com.", 300, LONG_VALUE))
        self.assertEqual(doc["strings"], pieces)
        self.assertEqual(doc["strings"], zone_strings(zone_line))

    def test_idn_domain_is_converted_to_a_labels(self):
        rc, out, err = run(["generate", "--rua", "tlsrpt@example.com", "--domain", "b\u00fccher.example",
                            "--format", "json"])
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(json.loads(out)["name"], "_smtp._tls.xn--bcher-kva.example.")

    def test_bad_domain_is_a_usage_error(self):
        self.assertEqual(run(["generate", "--rua", "tlsrpt@example.com", "--domain", "exa mple.com"]),
                         (2, "", "tlsrpt generate: not a domain name: 'exa mple.com'\n"
                                 'error: "exa mple.com" is not a domain name: it contains whitespace.'
                                 " [domain-bad-character]\n"
                                 "Try 'tlsrpt generate --help'.\n"))


VALID = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"
VALID_SUMMARY = ("record: v=TLSRPTv1; rua=mailto:tlsrpt@example.com\n"
                 "rua: mailto:tlsrpt@example.com (mailto, mailbox tlsrpt@example.com, host example.com)\n")
SPACE_WARNING = ('warning: Whitespace between "v=TLSRPTv1" and \';\' is allowed by the RFC 8460 grammar, but its'
                 ' section 3 discards records that do not begin "v=TLSRPTv1;", so reporters that apply that rule'
                 ' will ignore this one (erratum 6285).'
                 " [record-space-before-semicolon]\n"
                 "  v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com\n"
                 "            ^\n")
SPACE_HINT = "hint: Remove the whitespace: begin the record with v=TLSRPTv1; exactly.\n"


class Check(unittest.TestCase):
    def test_valid(self):
        self.assertEqual(run(["check", VALID]), (0, VALID_SUMMARY + "valid: 0 errors, 0 warnings, 0 infos\n", ""))
        self.assertEqual(run(["check", "--strict", VALID]),
                         (0, VALID_SUMMARY + "valid: 0 errors, 0 warnings, 0 infos\n", ""))

    def test_parsed_record_is_printed_in_canonical_form(self):
        self.assertEqual(run(["check", "v=TLSRPTv1;rua=https://r.example.com/x,mailto:a@example.com;ext=1"]),
                         (0, 'info: The unknown field "ext" is kept but has no meaning in TLSRPT version 1.'
                             " [record-extension-unknown]\n"
                             "  v=TLSRPTv1;rua=https://r.example.com/x,mailto:a@example.com;ext=1\n"
                             "                                                              ^\n"
                             "record: v=TLSRPTv1; rua=https://r.example.com/x,mailto:a@example.com; ext=1\n"
                             "rua: https://r.example.com/x (https, host r.example.com)\n"
                             "rua: mailto:a@example.com (mailto, mailbox a@example.com, host example.com)\n"
                             "extension: ext=1\n"
                             "valid: 0 errors, 0 warnings, 1 info\n", ""))

    def test_warning_passes_unless_strict(self):
        record = "v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com"
        self.assertEqual(run(["check", record]),
                         (0, SPACE_WARNING + SPACE_HINT + VALID_SUMMARY + "valid: 0 errors, 1 warning, 0 infos\n", ""))
        self.assertEqual(run(["check", "--strict", record]),
                         (1, SPACE_WARNING + SPACE_HINT + VALID_SUMMARY +
                          "invalid (--strict): 0 errors, 1 warning, 0 infos\n", ""))

    def test_info_with_domain(self):
        self.assertEqual(run(["check", "--domain", "example.org", "--strict", VALID]),
                         (0, "info: Destination 1 (mailto:tlsrpt@example.com) is outside the organizational domain of"
                             " example.org; receivers that verify external destinations expect the TXT record"
                              ' example.org._report._tls.example.com "v=TLSRPTv1". [lint-rua-external]\n'
                             'hint: Ask the owner of example.com to publish TXT example.org._report._tls.example.com.'
                             ' "v=TLSRPTv1" in its zone, or use a destination in example.org.\n'
                             + VALID_SUMMARY + "valid: 0 errors, 0 warnings, 1 info\n", ""))

    def test_bad_domain_is_a_usage_error(self):
        self.assertEqual(run(["check", "--domain", "exa mple", VALID]),
                         (2, "", "tlsrpt check: not a domain name: 'exa mple'\n"
                                 'error: "exa mple" is not a domain name: it contains whitespace.'
                                 " [domain-bad-character]\nTry 'tlsrpt check --help'.\n"))

    def test_syntax_error_caret(self):
        self.assertEqual(run(["check", "v=TLSRPTv1;rua=mailto:a@exa mple.com"]),
                         (1, "error: Expected ';' before the next field, found 'm' at offset 28."
                             " [record-delimiter-expected]\n"
                             "  v=TLSRPTv1;rua=mailto:a@exa mple.com\n"
                             "                              ^\n"
                             "invalid: 1 error, 0 warnings, 0 infos\n", ""))

    def test_caret_stays_aligned_after_escaped_bytes(self):
        # A backslash takes two columns, each byte of "é" and the control byte four: the caret moves by 2+8+4.
        self.assertEqual(run(["check", "v=TLSRPTv1;rua=\\\u00e9\x01"]),
                         (1, 'error: "\\\\\\xC3\\xA9\\x01" is not a URI (no scheme such as mailto: or https:).'
                             " [uri-no-scheme]\n"
                             "  v=TLSRPTv1;rua=\\\\\\xC3\\xA9\\x01\n"
                             "                 ^\n"
                             "hint: Write the scheme: mailto: before an e-mail address, https:// before a web"
                             " address.\n"
                             "invalid: 1 error, 0 warnings, 0 infos\n", ""))

    def test_unusable_record(self):
        self.assertEqual(run(["check", "v=TLSRPTv1; rua=http://example.com/r"]),
                         (1, 'warning: The destination "http://example.com/r" uses a scheme reporters do not support'
                             " (only mailto: and https:); it will be skipped. [rua-scheme-unsupported]\n"
                             "  v=TLSRPTv1; rua=http://example.com/r\n"
                             "                  ^\n"
                             'hint: Did you mean "https://example.com/r"? Reporters deliver only to mailto: and'
                             " https:.\n"
                             "error: No destination uses mailto: or https:, so no reporter can deliver reports."
                             " [rua-none-usable]\n"
                             "  v=TLSRPTv1; rua=http://example.com/r\n"
                             "              ^\n"
                             "hint: Use a mailto: address or an https: URL as the destination.\n"
                             "invalid: 1 error, 1 warning, 0 infos\n", ""))

    def test_stdin(self):
        expected = (0, VALID_SUMMARY + "valid: 0 errors, 0 warnings, 0 infos\n", "")
        self.assertEqual(run(["check", "-"], stdin=VALID + "\n"), expected)
        self.assertEqual(run(["check", "-"], stdin=VALID), expected)
        # Only one newline is removed: the second is part of the record, and not allowed in a URI.
        rc, out, err = run(["check", "--json", "-"], stdin=VALID + "\n\n")
        self.assertEqual((rc, err), (1, ""))
        doc = json.loads(out)
        self.assertEqual((doc["input"], doc["status"]), (VALID + "\n", "syntax-error"))
        self.assertEqual([(f["id"], f["offset"]) for f in doc["findings"]], [("uri-invalid-char", len(VALID))])

    def test_stdin_over_the_record_limit(self):
        rc, out, err = run(["check", "--json", "-"], stdin=b"v=TLSRPTv1;rua=mailto:a@example.com" + b"a" * 200000)
        self.assertEqual((rc, err), (1, ""))
        doc = json.loads(out)
        self.assertEqual((doc["valid"], doc["status"], doc["record"]), (False, "over-limit", None))
        self.assertEqual(len(doc["input"]), 65537)

    def test_json(self):
        record = "v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com,https://reports.example.net/tlsrpt; ext=x"
        rc, out, err = run(["check", "--json", "--domain", "example.com", record])
        self.assertEqual((rc, err), (0, ""))
        self.assertTrue(out.endswith("}\n") and out.count("\n") == 1)
        doc = json.loads(out)
        self.assertEqual(doc, {
            "valid": True, "status": "valid", "strict": False, "domain": "example.com", "input": record,
            "record": "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.net/tlsrpt; ext=x",
            "value": "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.net/tlsrpt; ext=x",
            "strings": ["v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.net/tlsrpt; ext=x"],
            "rua": [{"uri": "mailto:tlsrpt@example.com", "scheme": "mailto", "mailbox": "tlsrpt@example.com",
                     "host": "example.com", "external": False, "authorization_name": None},
                    {"uri": "https://reports.example.net/tlsrpt", "scheme": "https", "mailbox": None,
                     "host": "reports.example.net", "external": True,
                     "authorization_name": "example.com._report._tls.reports.example.net."}],
            "extensions": [{"name": "ext", "value": "x"}],
            "findings": doc["findings"], "errors": 0, "warnings": 1, "infos": 2})
        self.assertEqual([(f["severity"], f["id"], f["offset"], f["path"]) for f in doc["findings"]],
                         [("warning", "record-space-before-semicolon", 10, ""),
                          ("info", "record-extension-unknown", 78, ""),
                          ("info", "lint-rua-external", None, "")])
        self.assertEqual([f["hint"] for f in doc["findings"]],
                         ["Remove the whitespace: begin the record with v=TLSRPTv1; exactly.", None,
                          "Ask the owner of reports.example.net to publish TXT"
                          ' example.com._report._tls.reports.example.net. "v=TLSRPTv1" in its zone, or use a'
                          " destination in example.com."])
        self.assertEqual(doc["findings"][2]["message"],
                         "Destination 2 (https://reports.example.net/tlsrpt) is outside the organizational domain of"
                         " example.com; receivers that verify external destinations expect the TXT record"
                         ' example.com._report._tls.reports.example.net "v=TLSRPTv1".')
        rc, out, err = run(["check", "--json", "--strict", "--domain", "example.com", record])
        self.assertEqual((rc, err), (1, ""))
        self.assertEqual((json.loads(out)["valid"], json.loads(out)["strict"]), (False, True))

    def test_json_invalid_record_and_hostile_bytes(self):
        record = b'v=TLSRPTv1;rua=\xff\xc3\x28"\\\x01\x7f\xe2\x82\xac'
        rc, out, err = run(["check", "--json", "-"], stdin=record)
        self.assertEqual((rc, err), (1, ""))
        # Strict UTF-8 decoding: an invalid input byte copied to the output would raise here.
        doc = json.loads(out.encode("utf-8", "surrogateescape").decode("utf-8"))
        self.assertEqual(doc["input"], 'v=TLSRPTv1;rua=\ufffd\ufffd("\\\x01\x7f\u20ac')
        self.assertIn('\\u0001', out)
        self.assertIn('\\u007f', out)
        self.assertEqual((doc["valid"], doc["status"], doc["record"], doc["rua"], doc["extensions"]),
                         (False, "syntax-error", None, [], []))
        self.assertEqual((doc["value"], doc["strings"]), (None, []))
        self.assertEqual([(f["severity"], f["id"], f["offset"]) for f in doc["findings"]],
                         [("error", "uri-no-scheme", 15)])
        self.assertEqual((doc["errors"], doc["warnings"], doc["infos"]), (1, 0, 0))

    def test_no_colour_on_pipes(self):
        rc, out, err = run(["check", "v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com"])
        self.assertNotIn(ESC, out + err)

    def test_colour_only_on_a_terminal_without_no_color(self):
        args = ["check", "v=TLSRPTv1 ;rua=mailto:tlsrpt@example.com"]
        rc, out = run_on_terminal(args, environment())
        self.assertEqual(rc, 0)
        self.assertEqual(out, ESC + "1;35mwarning:" + ESC + "0m" + SPACE_WARNING[len("warning:"):-2] +
                         ESC + "1;32m^" + ESC + "0m\n" + SPACE_HINT + VALID_SUMMARY + "valid: 0 errors, 1 warning, 0 infos\n")
        for value in ["1", ""]:
            rc, out = run_on_terminal(args, environment({"NO_COLOR": value}))
            self.assertEqual((rc, out), (0, SPACE_WARNING + SPACE_HINT + VALID_SUMMARY +
                                          "valid: 0 errors, 1 warning, 0 infos\n"))


def main():
    global EXE, VERSION
    if len(sys.argv) != 3:
        sys.stderr.write("usage: test_cli.py PATH-TO-tlsrpt VERSION\n")
        return 2
    EXE, VERSION = os.path.abspath(sys.argv[1]), sys.argv[2]
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
