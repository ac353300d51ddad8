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

Exit status: 0 success, 1 invalid input, 2 usage or I/O error.
Colour is used only when standard output is a terminal and NO_COLOR is not set.
"""

GENERATE_HELP = """\
Usage: tlsrpt generate --rua DEST [--rua DEST]... [--domain DOMAIN] [--ttl SECONDS]
                       [--format record|zone|json]
Build a TLSRPT record (RFC 8460) for _smtp._tls.DOMAIN from report destinations.

  --rua DEST         a mailto: or https: URI, or a bare e-mail address (taken as mailto:);
                     repeat for several destinations, kept in the order given
  --domain DOMAIN    the policy domain: also list the authorization records that external
                     destinations must publish, and the checker's findings
  --ttl SECONDS      TTL of the zone line, 0 to 2147483647 (default 3600; 0 omits it)
  --format FORMAT    record: the record text (default); zone: a master-file line for
                     _smtp._tls.DOMAIN (needs --domain); json: name, type, ttl, value, strings
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

    def test_lookup_and_report_are_not_commands_yet(self):
        self.check_usage(["lookup", "example.com"], "tlsrpt: unknown command 'lookup'\nTry 'tlsrpt --help'.\n")
        self.check_usage(["report", "-"], "tlsrpt: unknown command 'report'\nTry 'tlsrpt --help'.\n")

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
                         "tlsrpt generate: unknown format (record, zone or json): 'yaml'" + tail)
        self.check_usage(["generate", "--rua", "a@example.com", "--format", "zone"],
                         "tlsrpt generate: --format zone needs --domain" + tail)
        for ttl in ["", "-1", "+5", " 5", "5s", "2147483648", "99999999999999999999999"]:
            self.check_usage(["generate", "--rua", "a@example.com", "--ttl", ttl],
                             "tlsrpt generate: invalid TTL (0 to 2147483647 seconds): '%s'" % ttl + tail)

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
