/* Writes one TLS report e-mail (RFC 8460 §5.3) to stdout, built through the public API only, for
 * tests/mime/test_message.py to parse with Python's email package.
 * usage: make_message FROM TO POLICY_DOMAIN SUBMITTER REPORT_ID
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include <tlsrpt/tlsrpt.h>

static int check(int rc, const char *what)
{
    if (rc != TLSRPT_OK) {
        fprintf(stderr, "make_message: %s: %s\n", what, tlsrpt_status_string(rc));
        exit(1);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: make_message FROM TO POLICY_DOMAIN SUBMITTER REPORT_ID\n");
        return 2;
    }
    tlsrpt_report *r;
    /* 2024-07-01T00:00:00Z .. 23:59:59Z */
    check(tlsrpt_report_new(&r, "Example Sender \xc3\x9c", "tlsrpt@mail.sender.example", argv[5], 1719792000,
                            1719878399),
          "tlsrpt_report_new");
    static const char *const sts[] = {"version: STSv1", "mode: enforce", "mx: *.mx.example.net", "max_age: 604800"};
    static const char *const mx[] = {"*.mx.example.net"};
    tlsrpt_policy *p;
    check(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, argv[3], sts, 4, mx, 1, &p), "add_policy");
    check(tlsrpt_policy_add_successes(p, 1234), "add_successes");
    tlsrpt_failure *f;
    check(tlsrpt_failure_new(&f, "certificate-expired"), "failure_new");
    check(tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.10"), "sending_mta_ip");
    check(tlsrpt_failure_set_receiving_mx_hostname(f, "a.mx.example.net"), "mx_hostname");
    check(tlsrpt_failure_set_receiving_ip(f, "2001:db8::25"), "receiving_ip");
    check(tlsrpt_policy_add_failures(p, f, 5), "add_failures");
    check(tlsrpt_policy_add_failures(p, f, 2), "add_failures");
    tlsrpt_failure_free(f);
    char *msg;
    size_t len;
    check(tlsrpt_report_to_message(r, argv[1], argv[2], argv[3], argv[4], &msg, &len), "to_message");
    int ok = fwrite(msg, 1, len, stdout) == len;
    tlsrpt_free(msg);
    tlsrpt_report_free(r);
    return ok ? 0 : 1;
}
