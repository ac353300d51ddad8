#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_report_paths (fuzz/corpus/report_paths/seed-*): plain reports that the fast path
(lib/report_fast.c) takes, and one variant per reason for it to give up, each lenient (first byte 0x00) and strict
(0x01); a few also without a diag list (0x02) or with a nearly full one (bit 2, fuzz_report_paths.c).

usage: fuzz/make_report_paths_seeds.py [OUTPUT-DIR]   (default fuzz/corpus/report_paths)
Deterministic; the small report is bench/gen_reports.py's "small" (imported, not copied).
SPDX-License-Identifier: MIT
"""
import gzip
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# After RFC 8460 Appendix B (the additional-information URL on one line, "failure-reason-code" for the
# pre-publication "failure-error-code").
RFC = """{
  "organization-name": "Company-X",
  "date-range": {
    "start-datetime": "2016-04-01T00:00:00Z",
    "end-datetime": "2016-04-01T23:59:59Z"
  },
  "contact-info": "sts-reporting@company-x.example",
  "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
  "policies": [{
    "policy": {
      "policy-type": "sts",
      "policy-string": ["version: STSv1","mode: testing",
            "mx: *.mail.company-y.example","max_age: 86400"],
      "policy-domain": "company-y.example",
      "mx-host": "*.mail.company-y.example"
    },
    "summary": {
      "total-successful-session-count": 5326,
      "total-failure-session-count": 303
    },
    "failure-details": [{
      "result-type": "certificate-expired",
      "sending-mta-ip": "2001:db8:abcd:0012::1",
      "receiving-mx-hostname": "mx1.mail.company-y.example",
      "failed-session-count": 100
    }, {
      "result-type": "starttls-not-supported",
      "sending-mta-ip": "2001:db8:abcd:0013::1",
      "receiving-mx-hostname": "mx2.mail.company-y.example",
      "receiving-ip": "203.0.113.56",
      "failed-session-count": 200,
      "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
    }, {
      "result-type": "validation-failure",
      "sending-mta-ip": "198.51.100.62",
      "receiving-ip": "203.0.113.58",
      "receiving-mx-hostname": "mx-backup.mail.company-y.example",
      "failed-session-count": 3,
      "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"
    }]
  }]
}
"""


def bench_small():
    spec = importlib.util.spec_from_file_location("gen_reports", os.path.join(HERE, "..", "bench", "gen_reports.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return json.dumps(mod.report(1, 1), indent=None)


def sub(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)


def variants():
    small = bench_small()
    obj = json.loads(RFC)
    compact = json.dumps(obj, separators=(",", ":"))
    v = {}
    # Plain: the fast path takes these.
    v["plain-rfc8460"] = RFC
    v["plain-bench-small"] = small
    v["plain-compact"] = compact
    v["plain-tabs-crlf"] = json.dumps(obj, indent="\t").replace("\n", "\r\n") + "\r\n"
    v["plain-indent4-lf"] = "\n\n" + json.dumps(obj, indent=4) + "\n\t \r\n"
    v["plain-empty-arrays"] = sub(sub(sub(compact, '"policy-string":["version: STSv1","mode: testing",'
                                          '"mx: *.mail.company-y.example","max_age: 86400"]', '"policy-string":[]'),
                                      '"mx-host":"*.mail.company-y.example"', '"mx-host":[]'),
                                  compact[compact.index('"failure-details"'):-3], '"failure-details":[]')
    v["plain-mx-host-array"] = sub(compact, '"mx-host":"*.mail.company-y.example"',
                                   '"mx-host":["*.mail.company-y.example","mx.company-y.example"]')
    v["plain-no-policy-found"] = ('{"organization-name":"O","date-range":{"start-datetime":"2024-01-01T00:00:00Z",'
                                  '"end-datetime":"2024-01-01T23:59:59+01:00"},"contact-info":"c","report-id":"r",'
                                  '"policies":[{"policy":{"policy-type":"no-policy-found","policy-domain":"d.example"},'
                                  '"summary":{"total-successful-session-count":0,"total-failure-session-count":0}}]}')
    v["plain-tlsa"] = sub(sub(v["plain-no-policy-found"], '"no-policy-found"', '"tlsa","policy-string":["3 1 1 AB"]'),
                          '"total-failure-session-count":0}', '"total-failure-session-count":1},"failure-details":'
                          '[{"result-type":"dane-required","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx",'
                          '"failed-session-count":1,"receiving-mx-helo":"mx ESMTP","receiving-ip":"192.0.2.2"}]')
    v["plain-19-digits"] = sub(compact, "5326", "9999999999999999999")
    v["plain-zero-counts"] = sub(sub(sub(compact, "5326", "0"), '"failed-session-count":3', '"failed-session-count":0'),
                                 '"total-failure-session-count":303', '"total-failure-session-count":300')
    v["plain-empty-strings"] = sub(sub(compact, '"Company-X"', '""'), '"report-id":"5065427c-23d3-47ca-b6e0-946ea0e8c4be"',
                                   '"report-id":""')
    v["plain-two-policies"] = sub(compact, "}]}]}", "}]},"
                                  + compact[compact.index('{"policy":'):-2] + "]}")
    v["plain-gzip"] = gzip.compress(small.encode(), mtime=0)
    # Deviations the fast path lists (lenient) and gives up on (strict): missing members, summary mismatch.
    v["missing-everything-top"] = '{"policies":[]}'
    v["missing-organization-name"] = sub(compact, '"organization-name":"Company-X",', "")
    v["missing-date-range"] = sub(compact, compact[compact.index('"date-range"'):compact.index('"contact-info"')], "")
    v["missing-contact-info"] = sub(compact, '"contact-info":"sts-reporting@company-x.example",', "")
    v["missing-report-id"] = sub(compact, '"report-id":"5065427c-23d3-47ca-b6e0-946ea0e8c4be",', "")
    v["missing-start-datetime"] = sub(compact, '"start-datetime":"2016-04-01T00:00:00Z",', "")
    v["missing-end-datetime"] = sub(compact, ',"end-datetime":"2016-04-01T23:59:59Z"', "")
    v["missing-date-range-members"] = sub(compact, compact[compact.index('"date-range"'):compact.index('"contact-info"')],
                                          '"date-range":{},')
    v["missing-policy-domain"] = sub(compact, '"policy-domain":"company-y.example",', "")
    v["missing-policy-string"] = sub(compact, compact[compact.index('"policy-string"'):compact.index('"policy-domain"')], "")
    v["missing-mx-host"] = sub(compact, ',"mx-host":"*.mail.company-y.example"', "")
    v["missing-summary"] = sub(compact, '"summary":{"total-successful-session-count":5326,'
                               '"total-failure-session-count":303},', "")
    v["missing-successful"] = sub(compact, '"total-successful-session-count":5326,', "")
    v["missing-failed"] = sub(compact, ',"total-failure-session-count":303', "")
    v["missing-summary-members"] = sub(compact, '{"total-successful-session-count":5326,'
                                       '"total-failure-session-count":303}', "{}")
    v["missing-failed-session-count"] = sub(compact, ',"failed-session-count":100', "")
    v["missing-sending-mta-ip"] = sub(compact, '"sending-mta-ip":"2001:db8:abcd:0012::1",', "")
    v["missing-receiving-mx-hostname"] = sub(compact, ',"receiving-mx-hostname":"mx1.mail.company-y.example"', "")
    v["missing-detail-members"] = sub(compact, '{"result-type":"certificate-expired","sending-mta-ip":'
                                      '"2001:db8:abcd:0012::1","receiving-mx-hostname":"mx1.mail.company-y.example",'
                                      '"failed-session-count":100}', '{"result-type":"certificate-expired"}')
    v["summary-mismatch"] = sub(compact, '"total-failure-session-count":303', '"total-failure-session-count":304')
    v["summary-overflow"] = sub(sub(compact, '"failed-session-count":100', '"failed-session-count":9999999999999999999'),
                                '"failed-session-count":200', '"failed-session-count":9999999999999999999')
    # Errors in both modes that the fast path leaves to the general path.
    v["missing-result-type"] = sub(compact, '"result-type":"certificate-expired",', "")
    v["missing-policy-type"] = sub(compact, '"policy-type":"sts",', "")
    v["missing-policy"] = '{"policies":[{"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}]}'
    v["missing-policies"] = sub(compact, compact[compact.index(',"policies"'):-1], "")
    # Everything else the fast path gives up on.
    v["escape-slash"] = sub(compact, "https://", "https:\\/\\/")
    v["escape-unicode"] = sub(compact, '"Company-X"', '"Company-\\u00e9"')
    v["escape-nul"] = sub(compact, '"Company-X"', '"Company\\u0000X"')
    v["escape-surrogate-lone"] = sub(compact, '"Company-X"', '"Company\\ud800X"')
    v["utf8-valid-2byte"] = sub(compact, '"Company-X"', '"Company-\u00e9"')
    v["utf8-valid-4byte"] = sub(compact, '"Company-X"', '"Company-\U0001F600"')
    v["utf8-invalid"] = sub(compact, '"Company-X"', '"Company-\udcc3("')
    v["utf8-overlong"] = sub(compact, '"Company-X"', '"Company-\udcc0\udcaf"')
    v["utf8-surrogate"] = sub(compact, '"Company-X"', '"Company-\udced\udca0\udc80"')
    v["utf8-truncated-at-end"] = sub(compact, '"Company-X"', '"Company-\udce2\udc82"')
    v["control-in-string"] = sub(compact, '"Company-X"', '"Company\x01X"')
    v["tab-in-string"] = sub(compact, '"Company-X"', '"Company\tX"')
    v["unknown-member-top"] = sub(compact, "{", '{"x-extension":{"a":[1,true,null]},')
    v["unknown-member-policy"] = sub(compact, '"policy-type":"sts",', '"policy-type":"sts","x":1,')
    v["unknown-member-detail"] = sub(compact, '"failed-session-count":100', '"failed-session-count":100,"x":"y"')
    v["unknown-member-summary"] = sub(compact, '"total-failure-session-count":303', '"total-failure-session-count":303,"x":0')
    v["unknown-member-date-range"] = sub(compact, '"start-datetime"', '"x":[],"start-datetime"')
    v["unknown-member-policy-entry"] = sub(compact, '{"policy":', '{"x":null,"policy":')
    v["duplicate-top"] = sub(compact, '"contact-info":', '"report-id":"dup","contact-info":')
    v["duplicate-policy"] = sub(compact, '"policy-domain":"company-y.example",', '"policy-domain":"company-y.example",'
                                '"policy-domain":"other.example",')
    v["duplicate-detail"] = sub(compact, '"failed-session-count":100', '"failed-session-count":100,"failed-session-count":7')
    v["duplicate-summary"] = sub(compact, '"total-failure-session-count":303', '"total-failure-session-count":303,'
                                 '"total-failure-session-count":303')
    v["duplicate-date-range"] = sub(compact, '"date-range":', '"date-range":{},"date-range":')
    v["null-contact-info"] = sub(compact, '"sts-reporting@company-x.example"', "null")
    v["null-summary"] = sub(compact, '{"total-successful-session-count":5326,"total-failure-session-count":303}', "null")
    v["null-count"] = sub(compact, "5326", "null")
    v["null-failure-details"] = sub(compact, compact[compact.index('"failure-details"'):-3], '"failure-details":null')
    v["null-mx-host"] = sub(compact, '"*.mail.company-y.example"}', "null}")
    v["leading-zero"] = sub(compact, "5326", "05326")
    v["zero-zero"] = sub(compact, "5326", "00")
    v["negative"] = sub(compact, "5326", "-5326")
    v["negative-zero"] = sub(compact, "5326", "-0")
    v["fraction"] = sub(compact, "5326", "5326.0")
    v["exponent"] = sub(compact, "5326", "5326e0")
    v["exponent-upper"] = sub(compact, "5326", "5E3")
    v["20-digits-max"] = sub(compact, "5326", "18446744073709551615")
    v["20-digits-over"] = sub(compact, "5326", "18446744073709551616")
    v["count-as-string"] = sub(compact, "5326", '"5326"')
    v["count-true"] = sub(compact, "5326", "true")
    v["datetime-no-zone"] = sub(compact, "2016-04-01T00:00:00Z", "2016-04-01T00:00:00")
    v["datetime-invalid"] = sub(compact, "2016-04-01T00:00:00Z", "2016-04-31T00:00:00Z")
    v["datetime-offset"] = sub(compact, "2016-04-01T00:00:00Z", "2016-04-01T00:00:00.5-07:30")
    v["datetime-number"] = sub(compact, '"2016-04-01T00:00:00Z"', "1459468800")
    v["policy-type-unknown"] = sub(compact, '"policy-type":"sts"', '"policy-type":"invalid-policy-type"')
    v["policy-type-case"] = sub(compact, '"policy-type":"sts"', '"policy-type":"STS"')
    v["result-type-unknown"] = sub(compact, '"certificate-expired"', '"certificate-expired-x"')
    v["failure-error-code"] = sub(compact, '"failure-reason-code"', '"failure-error-code"')
    v["failure-error-code-and-reason"] = sub(compact, '"failure-reason-code"', '"failure-error-code":"old","failure-reason-code"')
    v["trailing-data"] = compact + "x"
    v["trailing-object"] = compact + " {}"
    v["trailing-nul"] = compact + "\x00"
    v["bom"] = "\ufeff" + compact
    v["leading-nul"] = "\x00" + compact
    v["formfeed-whitespace"] = sub(compact, ',"policies"', ',\x0c"policies"')
    v["policies-object"] = sub(compact, compact[compact.index('"policies":') + 11:-1], "{}")
    v["policies-empty"] = '{"organization-name":"O","date-range":{"start-datetime":"2024-01-01T00:00:00Z",' \
                          '"end-datetime":"2024-01-01T23:59:59Z"},"contact-info":"c","report-id":"r","policies":[]}'
    v["policy-string-as-string"] = sub(compact, compact[compact.index('"policy-string":') + 16:
                                                        compact.index(',"policy-domain"')], '"version: STSv1"')
    v["mx-host-number"] = sub(compact, '"*.mail.company-y.example"}', "7}")
    v["not-object"] = "[" + compact + "]"
    v["empty"] = ""
    v["whitespace-only"] = " \t\r\n"
    v["truncated"] = compact[: len(compact) // 2]
    v["trailing-comma"] = sub(compact, '"failed-session-count":100}', '"failed-session-count":100,}')
    v["missing-colon"] = sub(compact, '"report-id":', '"report-id" ')
    v["deep"] = sub(compact, "{", '{"x":' + "[" * 70 + "]" * 70 + ",")
    return v


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus", "report_paths")
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, text in sorted(variants().items()):
        body = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
        modes = [(0x00, "lenient"), (0x01, "strict")]
        if name in ("missing-everything-top", "missing-detail-members", "summary-mismatch", "plain-rfc8460",
                    "unknown-member-top", "duplicate-top"):
            modes += [(0x02, "nodiag"), (0x04 | (31 << 3), "full999"), (0x04 | (26 << 3), "full994"),
                      (0x05 | (28 << 3), "strict-full996")]
        for byte, mode in modes:
            data = bytes([byte]) + body
            assert len(data) < 4096, name
            with open(os.path.join(out, "seed-%s-%s" % (name, mode)), "wb") as f:
                f.write(data)
            n += 1
    print("%d seeds in %s" % (n, out))


if __name__ == "__main__":
    main()
