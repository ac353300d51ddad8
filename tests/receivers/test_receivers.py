#!/usr/bin/env python3
"""Runs the pipelines of doc/receivers.md that are marked `tested: TOOL` (jq and sqlite3: the engines present here;
the ClickHouse and DuckDB blocks are documentation only, their engines are not test dependencies) with the tlsrpt
program just built, over a Maildir written by Python's mailbox module, and compares their output with this test's
own computation from the generated reports.

usage: test_receivers.py PATH-TO-tlsrpt DOC-RECEIVERS-MD
python3 standard library, jq and sqlite3 (.ci/deps); exit status 1 on any failure.
"""
import gzip
import mailbox
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import test_bulk_cli as corpus  # noqa: E402  (the report generator and e-mail writer of the CLI test)

DOC = None


def tested_blocks(text):
    """{tool: shell text} for every ```sh block that follows a paragraph marked (`tested: TOOL`)."""
    blocks = {}
    for m in re.finditer(r"\(`tested: (\w+)`\):\n\n```sh\n(.*?)```", text, re.S):
        blocks[m.group(1)] = m.group(2)
    return blocks


class Pipelines(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        rng = random.Random(4180)
        cls.reports = [corpus.make_report(rng, k) for k in range(30)]
        md = mailbox.Maildir(os.path.join(cls.tmp.name, "Maildir"), create=True)
        for r in cls.reports + cls.reports[:4]:  # four delivered twice: counted once
            md.add(corpus.report_email(gzip.compress(corpus.library_json(r, cls.tmp.name), mtime=0), r))
        with open(DOC) as f:
            cls.blocks = tested_blocks(f.read())
        bindir = os.path.join(cls.tmp.name, "bin")
        os.mkdir(bindir)
        os.symlink(corpus.EXE, os.path.join(bindir, "tlsrpt"))
        cls.env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_block(self, tool):
        self.assertIn(tool, self.blocks, "doc/receivers.md has no block marked tested: " + tool)
        self.assertIsNotNone(shutil.which(tool), tool + " is not installed (.ci/deps installs it)")
        p = subprocess.run(["bash", "-eo", "pipefail", "-c", self.blocks[tool]], cwd=self.tmp.name, env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout.decode()

    def test_jq_failed_sessions_per_result_type(self):
        want = defaultdict(int)
        for r in self.reports:
            for p in r["policies"]:
                for x in p["failure-details"]:
                    want[x["result-type"]] += x["failed-session-count"]
        self.assertEqual(self.run_block("jq"), "".join("%d %s\n" % (want[t], t) for t in sorted(want)))

    def test_sqlite_daily_sessions_per_domain(self):
        want = defaultdict(lambda: [0, 0])
        for r in self.reports:
            for p in r["policies"]:
                key = (p["policy"]["policy-domain"].lower(), r["date-range"]["start-datetime"][:10])
                want[key][0] += p["summary"]["total-successful-session-count"]
                want[key][1] += p["summary"]["total-failure-session-count"]
        self.assertEqual(self.run_block("sqlite3").replace("\r\n", "\n"),
                         "".join("%s,%s,%d,%d\n" % (d, day, *want[(d, day)]) for d, day in sorted(want)))


def main():
    global DOC
    if len(sys.argv) != 3:
        sys.stderr.write("usage: test_receivers.py PATH-TO-tlsrpt DOC-RECEIVERS-MD\n")
        return 2
    corpus.EXE, DOC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
