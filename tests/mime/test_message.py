#!/usr/bin/env python3
"""A message from tlsrpt_report_to_message(), read by Python's email package (an independent MIME parser): the
headers of RFC 8460 §5.3, the multipart/report structure, and the attachment base64-decoded, gunzipped with Python's
gzip module and read with json.loads.

usage: test_message.py MAKE_MESSAGE_PROGRAM
"""
import email
import email.policy
import gzip
import json
import subprocess
import sys

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"not ok - {what}")
    else:
        print(f"ok - {what}")


def make(report_id, policy_domain="example.net", submitter="mail.sender.example"):
    out = subprocess.run([sys.argv[1], "TLS Reports <tlsrpt-noreply@mail.sender.example>", "tlsrpt@example.net",
                          policy_domain, submitter, report_id], check=True, capture_output=True)
    return out.stdout


def main():
    raw = make("2024-07-01_example.net")
    lines = raw.split(b"\r\n")
    check(raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line ends only")
    check(max(len(line) for line in lines) <= 998, "no line over 998 octets")
    check(all(b < 0x80 for b in raw), "7-bit message")

    msg = email.message_from_bytes(raw, policy=email.policy.default)
    check(not msg.defects, f"no defects at top level: {msg.defects}")
    check(str(msg["From"]) == "TLS Reports <tlsrpt-noreply@mail.sender.example>", "From")
    check(str(msg["To"]) == "tlsrpt@example.net", "To")
    check(str(msg["Subject"]) == "Report Domain: example.net Submitter: mail.sender.example "
          "Report-ID: <2024-07-01_example.net@mail.sender.example>", f"Subject: {msg['Subject']}")
    check(str(msg["Date"]) == "Mon, 01 Jul 2024 23:59:59 +0000", f"Date: {msg['Date']}")
    check(msg["Date"].datetime.timestamp() == 1719878399, "Date is the report's end time")
    mid = str(msg["Message-ID"])
    check(mid.startswith("<tlsrpt.") and mid.endswith("@mail.sender.example>"), f"Message-ID {mid}")
    check(str(msg["MIME-Version"]) == "1.0", "MIME-Version")
    check(str(msg["TLS-Report-Domain"]) == "example.net", "TLS-Report-Domain")
    check(str(msg["TLS-Report-Submitter"]) == "mail.sender.example", "TLS-Report-Submitter")
    check(str(msg["TLS-Required"]) == "No", "TLS-Required")
    check(msg.get_content_type() == "multipart/report", "multipart/report")
    check(msg.get_param("report-type") == "tlsrpt", "report-type=tlsrpt")

    parts = list(msg.iter_parts())
    check(len(parts) == 2, f"two parts, got {len(parts)}")
    text, report = parts[0], parts[1]
    check(text.get_content_type() == "text/plain", "first part text/plain")
    check("Policy domain: example.net" in text.get_content(), "text part names the policy domain")
    check(report.get_content_type() == "application/tlsrpt+gzip", "second part application/tlsrpt+gzip")
    check(report["Content-Transfer-Encoding"] == "base64", "base64")
    check(report.get_content_disposition() == "attachment", "attachment")
    check(report.get_filename() == "mail.sender.example!example.net!1719792000!1719878399.json.gz",
          f"filename {report.get_filename()}")
    check(not text.defects and not report.defects, "no defects in the parts")
    body = report.get_payload()
    b64_lines = body.splitlines()
    check(all(len(line) == 76 for line in b64_lines[:-1]) and 0 < len(b64_lines[-1]) <= 76,
          "base64 lines of 76 characters, the last one shorter")

    gz = report.get_content()  # base64-decoded bytes
    check(gz[:4] == b"\x1f\x8b\x08\x00" and gz[4:8] == b"\0\0\0\0", "gzip header, MTIME 0")
    doc = json.loads(gzip.decompress(gz))
    check(list(doc) == ["organization-name", "date-range", "contact-info", "report-id", "policies"],
          f"member order {list(doc)}")
    check(doc["organization-name"] == "Example Sender \u00dc", "organization-name")
    check(doc["date-range"] == {"start-datetime": "2024-07-01T00:00:00Z", "end-datetime": "2024-07-01T23:59:59Z"},
          "date-range")
    check(doc["contact-info"] == "tlsrpt@mail.sender.example", "contact-info")
    check(doc["report-id"] == "2024-07-01_example.net", "report-id")
    pol = doc["policies"]
    check(len(pol) == 1, "one policy")
    check(pol[0]["policy"] == {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce",
                                                                       "mx: *.mx.example.net", "max_age: 604800"],
                               "policy-domain": "example.net", "mx-host": ["*.mx.example.net"]}, "policy")
    check(pol[0]["summary"] == {"total-successful-session-count": 1234, "total-failure-session-count": 7}, "summary")
    check(pol[0]["failure-details"] == [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.10",
                                         "receiving-mx-hostname": "a.mx.example.net", "receiving-ip": "2001:db8::25",
                                         "failed-session-count": 7}], "failure-details")

    # A report id that is not a dot-atom becomes a valid msg-id; Python reads the Subject unfolded.
    raw = make("id with spaces:1", submitter="Mail.Sender.Example")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    check(str(msg["Subject"]).endswith("Report-ID: <id%20with%20spaces%3A1@mail.sender.example>"),
          f"encoded Report-ID: {msg['Subject']}")
    doc = json.loads(gzip.decompress(list(msg.iter_parts())[1].get_content()))
    check(doc["report-id"] == "id with spaces:1", "the report itself keeps the id as given")

    # Header injection is refused: the helper fails.
    res = subprocess.run([sys.argv[1], "a@b.example\r\nBcc: victim@example.org", "tlsrpt@example.net",
                          "example.net", "mail.sender.example", "x"], capture_output=True)
    check(res.returncode == 1 and b"to_message" in res.stderr, "CRLF in From is refused")

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
