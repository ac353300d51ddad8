#!/usr/bin/env python3
"""Tests of `tlsrpt report` over many inputs: Maildir folders and mbox files written by Python's mailbox module,
directories, standard input streams; --summary (text and JSON) checked against an independent computation here,
--ndjson / --csv rows parsed back and compared, --jobs N output identical to --jobs 1, filters, duplicates, broken
items, exit statuses.

usage: test_bulk_cli.py PATH-TO-tlsrpt DATA-DIR [TEST-NAME-PATTERN]

With a pattern, only the matching tests run (unittest -k): the 'unit' suite runs test_jobs_output_identical alone,
so that .ci/tsan runs the parallel path of the program under ThreadSanitizer (any report makes tlsrpt exit 66 and
the comparison fail).

The reports are generated here (JSON text), then rewritten by the library's own writer (`tlsrpt report --merge`,
which writes RFC 8460 JSON), and delivered as report e-mails (gzip attachments) into the mailboxes.
python3 standard library only; exit status 1 on any failure.
"""
import csv
import email.generator
import email.mime.application
import email.mime.multipart
import email.mime.text
import email.policy
import gzip
import io
import json
import mailbox
import os
import random
import subprocess
import sys
import tempfile
import unittest
from collections import defaultdict
from datetime import datetime, timezone

EXE = None
DATA = None

DOMAINS = ["example.com", "example.net", "Mail.Example.ORG"]
ORGS = ["Google Inc.", "Microsoft Corporation", "Mail.ru, \"LLC\""]
RESULT_TYPES = ["starttls-not-supported", "certificate-expired", "certificate-host-mismatch",
                "validation-failure", "sts-policy-fetch-error"]
MX = ["mx1.%s", "MX2.%s.", "backup.%s"]
COLUMNS = ["row_type", "organization_name", "contact_info", "report_id", "start_datetime", "end_datetime",
           "policy_index", "policy_type", "policy_domain", "mx_host", "successful_sessions", "failed_sessions",
           "result_type", "sending_mta_ip", "receiving_mx_hostname", "receiving_mx_helo", "receiving_ip",
           "failure_reason_code", "additional_information"]
NUMERIC = {"policy_index", "successful_sessions", "failed_sessions"}


def run(args, stdin=b"", timeout=300):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    p = subprocess.run([EXE] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "surrogateescape")


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_report(rng, k):
    """One report as a dict (RFC 8460 JSON): 1-2 policies, 0-3 failure details each."""
    day = 1719792000 + 86400 * rng.randrange(3)  # 2024-07-01 .. 2024-07-03
    org = ORGS[k % len(ORGS)]
    policies = []
    for i, d in enumerate(rng.sample(DOMAINS, rng.choice([1, 1, 2]))):
        details = []
        for j in range(rng.randrange(4)):
            det = {"result-type": rng.choice(RESULT_TYPES), "sending-mta-ip": "192.0.2.%d" % rng.randrange(1, 9),
                   "failed-session-count": rng.randrange(1, 50)}
            if rng.random() < 0.8:
                det["receiving-mx-hostname"] = rng.choice(MX) % d.lower()
            if rng.random() < 0.7:
                det["receiving-ip"] = "198.51.100.%d" % rng.randrange(1, 5)
            if rng.random() < 0.3:
                det["failure-reason-code"] = "code, \"quoted\"\nline %d" % j
            details.append(det)
        policies.append({
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce"],
                       "policy-domain": d, "mx-host": ["mx1.%s" % d.lower(), "*.%s" % d.lower()]},
            "summary": {"total-successful-session-count": rng.randrange(0, 5000),
                        "total-failure-session-count": sum(x["failed-session-count"] for x in details)},
            "failure-details": details})
    return {"organization-name": org, "date-range": {"start-datetime": iso(day), "end-datetime": iso(day + 86399)},
            "contact-info": "tlsrpt@sender%d.example" % (k % len(ORGS)), "report-id": "%s-%d" % (iso(day), k),
            "policies": policies}


def library_json(report, tmp):
    """The report written by the library's writer (tlsrpt report --merge of one file)."""
    path = os.path.join(tmp, "w.json")
    with open(path, "w") as f:
        json.dump(report, f)
    rc, out, err = run(["report", "--merge", path])
    assert rc == 0, err
    return out.encode()


def report_email(payload, report):
    msg = email.mime.multipart.MIMEMultipart("report", boundary="=_bulk_")
    msg.set_param("report-type", "tlsrpt")
    submitter = report["contact-info"].split("@")[1]
    domain = report["policies"][0]["policy"]["policy-domain"]
    msg["From"] = "tlsrpt@" + submitter
    msg["To"] = "reports@" + domain
    msg["Subject"] = "Report Domain: %s Submitter: %s Report-ID: <%s@%s>" % (domain, submitter, "r", submitter)
    msg["TLS-Report-Domain"] = domain
    msg["TLS-Report-Submitter"] = submitter
    msg.attach(email.mime.text.MIMEText("This is an aggregate TLS report.\nFrom here on, a line starting with From.\n"))
    part = email.mime.application.MIMEApplication(payload, "tlsrpt+gzip")
    part.add_header("Content-Disposition", "attachment", filename="report.json.gz")
    msg.attach(part)
    out = io.BytesIO()
    email.generator.BytesGenerator(out, policy=email.policy.SMTP.clone(linesep="\n")).flatten(msg)
    return out.getvalue()


def norm(d):
    d = (d or "").lower()
    return d[:-1] if d.endswith(".") else d


def expected_summary(reports, domain=None, since=None, until=None):
    """The summary computed independently from the report dicts (what --summary --json must say)."""
    days = defaultdict(lambda: [0, 0])
    doms = defaultdict(lambda: [0, 0])
    rtypes, mxs, ips, orgs = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(lambda: [0, 0])
    added, filtered, start, end = 0, 0, None, None
    for r in reports:
        t0 = int(datetime.strptime(r["date-range"]["start-datetime"], "%Y-%m-%dT%H:%M:%SZ")
                 .replace(tzinfo=timezone.utc).timestamp())
        t1 = int(datetime.strptime(r["date-range"]["end-datetime"], "%Y-%m-%dT%H:%M:%SZ")
                 .replace(tzinfo=timezone.utc).timestamp())
        pols = [p for p in r["policies"] if domain is None or norm(p["policy"]["policy-domain"]) == norm(domain)]
        if (since is not None and t0 < since) or (until is not None and t0 >= until) or not pols:
            filtered += 1
            continue
        added += 1
        start = t0 if start is None else min(start, t0)
        end = t1 if end is None else max(end, t1)
        date = iso(t0 - t0 % 86400)[:10]
        for p in pols:
            d = norm(p["policy"]["policy-domain"])
            ok, bad = p["summary"]["total-successful-session-count"], p["summary"]["total-failure-session-count"]
            for row in (days[(d, date)], doms[d], orgs[r["organization-name"]]):
                row[0] += ok
                row[1] += bad
            for x in p["failure-details"]:
                rtypes[x["result-type"]] += x["failed-session-count"]
                if "receiving-mx-hostname" in x:
                    mxs[norm(x["receiving-mx-hostname"])] += x["failed-session-count"]
                if "receiving-ip" in x:
                    ips[x["receiving-ip"]] += x["failed-session-count"]

    def rate(ok, bad):
        if ok + bad == 0:
            return None
        r = ok * 10000 // (ok + bad)
        return float("%d.%02d" % (r // 100, r % 100))

    def sessions(ok, bad):
        return {"sessions": ok + bad, "successful-sessions": ok, "failed-sessions": bad, "success-rate": rate(ok, bad)}

    def ranking(table, key):
        return [{key: k, "failed-sessions": v} for k, v in sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))
                if v > 0]

    return {
        "reports": added, "filtered": filtered,
        "period": {"start-datetime": iso(start), "end-datetime": iso(end)} if added else None,
        "domains": [dict({"policy-domain": d}, **sessions(*doms[d]),
                         days=[dict({"date": day}, **sessions(*days[(dd, day)]))
                               for (dd, day) in sorted(days) if dd == d])
                    for d in sorted(doms)],
        "result-types": ranking(rtypes, "result-type"),
        "receiving-mx-hosts": ranking(mxs, "receiving-mx-hostname"),
        "receiving-ips": ranking(ips, "receiving-ip"),
        "organizations": [{"organization-name": k, "successful-sessions": v[0], "failed-sessions": v[1]}
                          for k, v in sorted(orgs.items(), key=lambda kv: (-kv[1][1], kv[0])) if v[1] > 0],
    }


def expected_rows(reports):
    rows = []
    for r in reports:
        base = {"organization_name": r["organization-name"], "contact_info": r["contact-info"],
                "report_id": r["report-id"], "start_datetime": r["date-range"]["start-datetime"],
                "end_datetime": r["date-range"]["end-datetime"]}
        for i, p in enumerate(r["policies"]):
            pol = dict(base, policy_index=i, policy_type=p["policy"]["policy-type"],
                       policy_domain=p["policy"]["policy-domain"], mx_host=" ".join(p["policy"]["mx-host"]))
            empty = {c: None for c in COLUMNS[12:]}
            rows.append(dict(pol, row_type="policy", successful_sessions=p["summary"]["total-successful-session-count"],
                             failed_sessions=p["summary"]["total-failure-session-count"], **empty))
            for x in p["failure-details"]:
                rows.append(dict(pol, row_type="failure", successful_sessions=None,
                                 failed_sessions=x["failed-session-count"], result_type=x["result-type"],
                                 sending_mta_ip=x.get("sending-mta-ip"),
                                 receiving_mx_hostname=x.get("receiving-mx-hostname"),
                                 receiving_mx_helo=x.get("receiving-mx-helo"), receiving_ip=x.get("receiving-ip"),
                                 failure_reason_code=x.get("failure-reason-code"),
                                 additional_information=x.get("additional-information")))
    return rows


def row_key(row):
    return json.dumps([row[c] for c in COLUMNS], sort_keys=True)


class Corpus(unittest.TestCase):
    """One corpus for every test: a Maildir (with a Maildir++ folder), an mbox, a plain directory."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        tmp = cls.tmp.name
        rng = random.Random(8460)
        cls.reports = [make_report(rng, k) for k in range(45)]
        mails = [report_email(gzip.compress(library_json(r, tmp), mtime=0), r) for r in cls.reports]
        cls.maildir = os.path.join(tmp, "Maildir")
        md = mailbox.Maildir(cls.maildir, create=True)
        for m in mails[:25]:
            md.add(m)
        for m in mails[:3]:                       # delivered twice
            md.add(m)
        md.add(b"From: x@example.com\nSubject: not a report\n\nhello\n")                 # no report part
        md.add(report_email(gzip.compress(b'{"organization-name":"x"', mtime=0), cls.reports[0]))  # broken JSON
        sub = md.add_folder("Archive")
        for m in mails[25:30]:
            sub.add(m)
        # Dovecot's files next to cur/new/tmp are not items.
        with open(os.path.join(cls.maildir, "dovecot-uidlist"), "w") as f:
            f.write("3 V1 N4\n")
        cls.mbox = os.path.join(tmp, "reports.mbox")
        mb = mailbox.mbox(cls.mbox, create=True)
        for m in mails[30:40]:
            mb.add(m)
        mb.add(mails[5])                          # a duplicate of a Maildir message
        mb.add(b"From: y@example.com\nSubject: broken\nContent-Type: application/tlsrpt+gzip\n"
               b"Content-Transfer-Encoding: base64\n\n!!!!\n")
        mb.flush()
        mb.close()
        cls.plain = os.path.join(tmp, "plain")
        os.makedirs(os.path.join(cls.plain, "sub"))
        for k in range(40, 45):
            name = os.path.join(cls.plain, "sub" if k % 2 else "", "r%d.json%s" % (k, ".gz" if k % 2 else ""))
            body = library_json(cls.reports[k], tmp)
            with open(name, "wb") as f:
                f.write(gzip.compress(body, mtime=0) if k % 2 else body)
        with open(os.path.join(cls.plain, ".hidden.json"), "w") as f:
            f.write("not read")
        cls.inputs = [cls.maildir, cls.mbox, cls.plain]
        cls.items = 25 + 3 + 2 + 5 + 10 + 1 + 1 + 5
        cls.invalid = 3

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def summary(self, extra=(), jobs="3"):
        rc, out, err = run(["report", "--summary", "--json", "--jobs", jobs] + list(extra) + self.inputs)
        return rc, json.loads(out), err

    def test_summary_json_matches_independent_computation(self):
        rc, doc, err = self.summary()
        self.assertEqual(rc, 1)  # three items are broken
        want = expected_summary(self.reports)
        self.assertEqual((doc["items"], doc["duplicates"], doc["invalid"], doc["unreadable"]),
                         (self.items, 4, self.invalid, 0))
        for key, value in want.items():
            self.assertEqual(doc[key], value, key)
        failed = [(x["item"], x["status"]) for x in doc["failed-items"]]
        self.assertEqual(len(failed), 3)
        self.assertTrue(failed[-1][0].endswith("reports.mbox#12"), failed)
        self.assertEqual(failed[-1][1], "syntax-error")
        self.assertIn("[message-no-report-part]", err)
        self.assertIn("reports.mbox#12: syntax-error\n", err)

    def test_summary_text(self):
        rc, out, err = run(["report", "--summary", "--jobs", "2"] + self.inputs)
        self.assertEqual(rc, 1)
        want = expected_summary(self.reports)
        lines = out.splitlines()
        self.assertEqual(lines[0], "items: %d read, 45 reports, 4 duplicates, 0 filtered out, 3 invalid, "
                                   "0 unreadable" % self.items)
        self.assertEqual(lines[1], "period: %s to %s" % (want["period"]["start-datetime"],
                                                         want["period"]["end-datetime"]))
        for d in want["domains"]:
            rate = "n/a (no sessions)" if d["success-rate"] is None else "%.2f%%" % d["success-rate"]
            self.assertIn("policy domain %s: %d sessions, %d failed, success rate %s" %
                          (d["policy-domain"], d["sessions"], d["failed-sessions"], rate), lines)
            for day in d["days"]:
                rate = "n/a (no sessions)" if day["success-rate"] is None else "%.2f%%" % day["success-rate"]
                self.assertIn("  %s: %d sessions, %d failed, success rate %s" %
                              (day["date"], day["sessions"], day["failed-sessions"], rate), lines)
        at = lines.index("failed sessions by result type:")
        self.assertEqual(lines[at + 1:at + 1 + len(want["result-types"])],
                         ["  %d %s" % (x["failed-sessions"], x["result-type"]) for x in want["result-types"]])
        at = lines.index("top receiving MX hosts (failed sessions):")
        self.assertEqual(lines[at + 1], "  %d %s" % (want["receiving-mx-hosts"][0]["failed-sessions"],
                                                     want["receiving-mx-hosts"][0]["receiving-mx-hostname"]))

    def test_jobs_output_identical(self):
        one = run(["report", "--jobs", "1", "--summary"] + self.inputs)
        self.assertEqual(one[0], 1)  # not 66: ThreadSanitizer found nothing (it is exit status 66 under .ci/tsan)
        for mode in (["--summary"], ["--summary", "--json"], ["--ndjson"], ["--csv"], [], ["--json"]):
            one = run(["report", "--jobs", "1"] + mode + self.inputs)
            for jobs in ("2", "7"):
                self.assertEqual(run(["report", "--jobs", jobs] + mode + self.inputs), one, (mode, jobs))

    def test_ndjson_rows(self):
        rc, out, err = run(["report", "--ndjson"] + self.inputs)
        self.assertEqual(rc, 1)
        rows = [json.loads(line) for line in out.splitlines()]
        for row in rows:
            self.assertEqual(list(row), COLUMNS)
        self.assertEqual(sorted(map(row_key, rows)), sorted(map(row_key, expected_rows(self.reports))))

    def test_csv_rows_equal_ndjson(self):
        rc, out, err = run(["report", "--csv"] + self.inputs)
        self.assertEqual(rc, 1)
        self.assertTrue(out.startswith(",".join(COLUMNS) + "\r\n"))
        records = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(records[0], COLUMNS)
        rows = []
        for rec in records[1:]:
            self.assertEqual(len(rec), len(COLUMNS))
            rows.append({c: (None if v == "" else int(v) if c in NUMERIC else v) for c, v in zip(COLUMNS, rec)})
        _, nd, _ = run(["report", "--ndjson"] + self.inputs)
        self.assertEqual([row_key(r) for r in rows], [row_key(json.loads(x)) for x in nd.splitlines()])
        self.assertTrue(any('"quoted"' in (r["failure_reason_code"] or "") for r in rows))

    def test_filters(self):
        since, until = 1719792000 + 86400, 1719792000 + 2 * 86400
        rc, doc, _ = self.summary(["--domain", "MAIL.example.org.", "--since", "2024-07-02", "--until", "2024-07-02"])
        want = expected_summary(self.reports, domain="mail.example.org", since=since, until=until)
        for key, value in want.items():
            self.assertEqual(doc[key], value, key)
        rc, doc, _ = self.summary(["--since", "2024-07-02T00:00:00Z"])
        self.assertEqual(doc["reports"], expected_summary(self.reports, since=since)["reports"])
        # Rows follow the same filters: only policies of the domain, only reports of the period.
        rc, out, _ = run(["report", "--ndjson", "--domain", "example.net", "--until", "2024-07-01"] + self.inputs)
        rows = [json.loads(line) for line in out.splitlines()]
        chosen = [r for r in self.reports if r["date-range"]["start-datetime"].startswith("2024-07-01")]
        want = [x for x in expected_rows(chosen) if x["policy_domain"] == "example.net"]  # policy_index as in the report
        self.assertEqual(sorted(map(row_key, rows)), sorted(map(row_key, want)))
        self.assertTrue(rows)

    def test_stdin_mbox_stream_equals_file(self):
        with open(self.mbox, "rb") as f:
            stream = f.read()
        a = run(["report", "--summary", "--json", self.mbox])
        b = run(["report", "--summary", "--json", "-"], stdin=stream)
        self.assertEqual(a[0], b[0])
        da, db = json.loads(a[1]), json.loads(b[1])
        self.assertEqual([x["item"][-3:] for x in da["failed-items"]], [x["item"][-3:] for x in db["failed-items"]])
        da.pop("failed-items"), db.pop("failed-items")
        self.assertEqual(da, db)
        self.assertEqual(db["items"], 12)

    def test_default_mode_lists_each_item(self):
        rc, out, err = run(["report", self.mbox])
        self.assertEqual(rc, 1)
        files = [line[6:] for line in out.splitlines() if line.startswith("file: ")]
        self.assertEqual(files, ["%s#%d" % (self.mbox, k) for k in range(1, 13)])

    def test_strict_counts_deviations_as_invalid(self):
        dev = os.path.join(DATA, "report-deviating.json")
        rc, out, err = run(["report", "--summary", "--json", dev])
        self.assertEqual((rc, json.loads(out)["invalid"], json.loads(out)["reports"]), (0, 0, 1))
        rc, out, err = run(["report", "--summary", "--json", "--strict", dev])
        self.assertEqual((rc, json.loads(out)["invalid"], json.loads(out)["reports"]), (1, 1, 0))
        self.assertIn("unusable", err)

    def test_unreadable_items_are_counted(self):
        missing = os.path.join(self.tmp.name, "missing.json")
        rc, out, err = run(["report", "--summary", "--json", missing, os.path.join(DATA, "report-full.json")])
        doc = json.loads(out)
        self.assertEqual((rc, doc["unreadable"], doc["reports"], doc["failed-items"][0]["error"]),
                         (2, 1, 1, "No such file or directory"))
        self.assertEqual(err, "tlsrpt report: cannot read '%s': No such file or directory\n" % missing)

    def test_walk_entry_types(self):
        """The walk takes the file type from readdir() where it can: regular files and symbolic links to regular files
        are items; links to directories are not followed, FIFOs and sub-directories of a Maildir's cur/ are not
        items."""
        root = tempfile.mkdtemp(dir=self.tmp.name)
        tree = os.path.join(root, "tree")
        os.makedirs(os.path.join(tree, "real"))
        with open(os.path.join(DATA, "report-full.json"), "rb") as f:
            body = f.read()
        for name in ("real/a.json", "b.json"):
            with open(os.path.join(tree, name), "wb") as f:
                f.write(body)
        os.symlink(os.path.join(tree, "b.json"), os.path.join(tree, "link-to-file.json"))
        os.symlink(os.path.join(tree, "real"), os.path.join(tree, "link-to-dir"))
        os.mkfifo(os.path.join(tree, "fifo.json"))
        rc, out, err = run(["report", tree], timeout=60)  # opening the FIFO would block
        self.assertEqual(rc, 0, err)
        files = [line[6:] for line in out.splitlines() if line.startswith("file: ")]
        self.assertEqual(files, [os.path.join(tree, x) for x in ("b.json", "link-to-file.json", "real/a.json")])
        md = mailbox.Maildir(os.path.join(root, "md"), create=True)
        key = md.add(report_email(gzip.compress(library_json(self.reports[0], root), mtime=0), self.reports[0]))
        cur = os.path.join(root, "md", "cur")
        new = os.path.join(root, "md", "new")
        os.rename(os.path.join(new, key), os.path.join(cur, key))
        os.symlink(os.path.join(cur, key), os.path.join(cur, "linked"))
        os.makedirs(os.path.join(cur, "not-a-message"))
        os.mkfifo(os.path.join(new, "fifo"))
        rc, out, err = run(["report", "--summary", "--json", os.path.join(root, "md")], timeout=60)
        doc = json.loads(out)
        self.assertEqual((rc, doc["items"], doc["reports"], doc["duplicates"]), (0, 2, 1, 1), err)

    def test_no_progress_line_in_pipes(self):
        rc, out, err = run(["report", "--summary"] + self.inputs)
        self.assertNotIn("\r", err)

    def test_usage_errors(self):
        tail = "\nTry 'tlsrpt report --help'.\n"
        full = os.path.join(DATA, "report-full.json")
        self.assertEqual(run(["report", "--ndjson", "--json", full]),
                         (2, "", "tlsrpt report: --json cannot be combined with --ndjson or --csv" + tail))
        self.assertEqual(run(["report", "--ndjson", "--csv", full]),
                         (2, "", "tlsrpt report: --summary, --ndjson and --csv cannot be combined" + tail))
        self.assertEqual(run(["report", "--domain", "x.example", full]),
                         (2, "", "tlsrpt report: --domain, --since and --until need --summary, --ndjson or --csv"
                          + tail))
        self.assertEqual(run(["report", "--jobs", "0", full]),
                         (2, "", "tlsrpt report: --jobs needs a number from 1 to 1024, not '0'" + tail))
        self.assertEqual(run(["report", "--summary", "--since", "2024-02-30", full]),
                         (2, "", "tlsrpt report: --since needs YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not '2024-02-30'"
                          + tail))
        self.assertEqual(run(["report", "--summary", "--since", "2024-03-02", "--until", "2024-03-01", full]),
                         (2, "", "tlsrpt report: --since must be before --until" + tail))
        self.assertEqual(run(["report", "--merge", "--summary", full]),
                         (2, "", "tlsrpt report: --merge cannot be combined with --summary, --ndjson or --csv" + tail))


def main():
    global EXE, DATA
    if len(sys.argv) not in (3, 4):
        sys.stderr.write("usage: test_bulk_cli.py PATH-TO-tlsrpt DATA-DIR [TEST-NAME-PATTERN]\n")
        return 2
    EXE, DATA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pattern = ["-k", sys.argv[3]] if len(sys.argv) == 4 else []
    result = unittest.main(argv=[sys.argv[0], "-v"] + pattern, exit=False).result
    return 0 if result.wasSuccessful() and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
