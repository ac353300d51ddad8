/* Outcome events (include/tlsrpt/event.h): the bytes of format version 1, every error with its id and offset (the
 * report unchanged after each), the encoder's checks, and the property that N workers' events applied in any
 * order give the report one process would have built.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc_hooks.h"
#include "testutil.h"

#define DAY 1719792000 /* 2024-07-01T00:00:00Z */
#define NOON (DAY + 43200)

static const char *const sts_lines[] = {"version: STSv1", "mode: enforce"};
static const char *const sts_mx[] = {"mx.example.com"};

static tlsrpt_report *new_report(void)
{
    tlsrpt_report *r = NULL;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Example Mail", "tlsrpt@mail.example", "r1", DAY, DAY + 86399),
                     TLSRPT_OK);
    return r;
}

static char *json(const tlsrpt_report *r)
{
    char *s = NULL;
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, &s, NULL), TLSRPT_OK);
    return s;
}

/* The success event of the format description in tlsrpt_event(3): 3 sessions, 2024-07-01T12:00:00Z, sts. */
static size_t sample(unsigned char *buf, size_t size)
{
    size_t n = 0;
    ck_assert_int_eq(tlsrpt_event_encode(buf, size, &n, NOON, TLSRPT_POLICY_STS, "Example.COM", sts_lines, 2, sts_mx,
                                         1, NULL, 3),
                     TLSRPT_OK);
    return n;
}

START_TEST(success_event_bytes)
{
    unsigned char buf[TLSRPT_EVENT_MAX_SIZE];
    size_t n = sample(buf, sizeof buf);
    static const unsigned char want[] = {
        0x89, 'T', 'R', 'E', 1, 0, 89, 1, 1,                 /* magic, version, size 89, successes, sts */
        0, 0, 0, 0, 0x66, 0x82, 0x9A, 0x40,                 /* 1719835200 */
        0, 0, 0, 0, 0, 0, 0, 3,                             /* sessions */
        0, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm', /* the domain in lower case */
        0, 2, 0, 14, 'v', 'e', 'r', 's', 'i', 'o', 'n', ':', ' ', 'S', 'T', 'S', 'v', '1',
        0, 13, 'm', 'o', 'd', 'e', ':', ' ', 'e', 'n', 'f', 'o', 'r', 'c', 'e',
        0, 1, 0, 14, 'm', 'x', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
    };
    ck_assert_uint_eq(n, sizeof want);
    ck_assert_mem_eq(buf, want, sizeof want);

    /* size query, and a buffer one byte short: nothing written */
    size_t need = 0;
    ck_assert_int_eq(tlsrpt_event_encode(NULL, 0, &need, NOON, TLSRPT_POLICY_STS, "example.com", sts_lines, 2,
                                         sts_mx, 1, NULL, 3),
                     TLSRPT_ELIMIT);
    ck_assert_uint_eq(need, 89);
    unsigned char small[88];
    memset(small, 0xAA, sizeof small);
    ck_assert_int_eq(tlsrpt_event_encode(small, sizeof small, &need, NOON, TLSRPT_POLICY_STS, "example.com",
                                         sts_lines, 2, sts_mx, 1, NULL, 3),
                     TLSRPT_ELIMIT);
    ck_assert_uint_eq(need, 89);
    for (size_t i = 0; i < sizeof small; i++)
        ck_assert_uint_eq(small[i], 0xAA);
    unsigned char exact[89];
    ck_assert_int_eq(tlsrpt_event_encode(exact, sizeof exact, NULL, NOON, TLSRPT_POLICY_STS, "example.com", sts_lines,
                                         2, sts_mx, 1, NULL, 3),
                     TLSRPT_OK); /* exactly the size: fits */
    ck_assert_mem_eq(exact, buf, sizeof exact);

    size_t peek_len = 0;
    int64_t t = 0;
    ck_assert_int_eq(tlsrpt_event_peek(buf, n, &peek_len, &t, NULL), TLSRPT_OK);
    ck_assert_uint_eq(peek_len, 89);
    ck_assert_int_eq(t, NOON);

    tlsrpt_report *r = new_report();
    ck_assert_int_eq(tlsrpt_report_apply_event(r, buf, n, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_apply_event(r, buf, n, NULL), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);
    const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
    ck_assert_int_eq(tlsrpt_policy_type(p), TLSRPT_POLICY_STS);
    ck_assert_str_eq(tlsrpt_policy_domain(p), "example.com");
    ck_assert_uint_eq(tlsrpt_policy_string_count(p), 2);
    ck_assert_str_eq(tlsrpt_policy_string(p, 1), "mode: enforce");
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "mx.example.com");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 6);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 0);
    tlsrpt_report_free(r);
}
END_TEST

static tlsrpt_failure *full_failure(void)
{
    tlsrpt_failure *f = NULL;
    ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "2001:DB8::1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "MX.example.com"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, "[192.0.2.7]"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, "192.0.2.7"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_additional_information(f, "https://mail.example/tlsrpt#1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "X509_V_ERR_CERT_HAS_EXPIRED"), TLSRPT_OK);
    return f;
}

START_TEST(failure_event_is_the_builders_detail)
{
    tlsrpt_failure *f = full_failure();
    unsigned char buf[TLSRPT_EVENT_MAX_SIZE];
    size_t n = 0;
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, DAY, TLSRPT_POLICY_TLSA, "b\xc3\xbc" "cher.example",
                                         (const char *const[]){"3 1 1 ABCDEF"}, 1, NULL, 0, f, 2),
                     TLSRPT_OK);
    tlsrpt_report *via_event = new_report(), *direct = new_report();
    ck_assert_int_eq(tlsrpt_report_apply_event(via_event, buf, n, NULL), TLSRPT_OK);
    tlsrpt_policy *p = NULL;
    ck_assert_int_eq(tlsrpt_report_add_policy(direct, TLSRPT_POLICY_TLSA, "b\xc3\xbc" "cher.example",
                                              (const char *const[]){"3 1 1 ABCDEF"}, 1, NULL, 0, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 2), TLSRPT_OK);
    char *a = json(via_event), *b = json(direct);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_nonnull(strstr(a, "\"policy-domain\":\"xn--bcher-kva.example\""));
    ck_assert_ptr_nonnull(strstr(a, "\"failure-reason-code\":\"X509_V_ERR_CERT_HAS_EXPIRED\""));
    ck_assert_ptr_nonnull(strstr(a, "\"receiving-mx-helo\":\"[192.0.2.7]\""));
    tlsrpt_free(a);
    tlsrpt_free(b);
    /* the last second of the day is in it; the time is the only difference between these events */
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, DAY + 86399, TLSRPT_POLICY_NO_POLICY_FOUND,
                                         "example.net", NULL, 0, NULL, 0, f, 0),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_apply_event(via_event, buf, n, NULL), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(via_event), 2);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(tlsrpt_report_policy(via_event, 1)), 1);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(tlsrpt_report_policy(via_event, 1), 0)), 0);
    tlsrpt_report_free(via_event);
    tlsrpt_report_free(direct);
    tlsrpt_failure_free(f);
}
END_TEST

START_TEST(encode_refuses_what_the_builder_refuses)
{
    unsigned char buf[TLSRPT_EVENT_MAX_SIZE];
    size_t n = 99;
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, 0, "example.com", NULL, 0, NULL, 0, NULL, 1),
                     TLSRPT_EINVAL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, 4, "example.com", NULL, 0, NULL, 0, NULL, 1),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, NULL, NULL, 0, NULL, 0, NULL,
                                         1),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "not a domain", NULL, 0, NULL,
                                         0, NULL, 1),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com", NULL, 1, NULL,
                                         0, NULL, 1),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com",
                                         (const char *const[]){"bad \xff"}, 1, NULL, 0, NULL, 1),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com", NULL, 0,
                                         (const char *const[]){"a.*.example.com"}, 1, NULL, 1),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_encode(NULL, 10, &n, NOON, TLSRPT_POLICY_STS, "example.com", NULL, 0, NULL, 0, NULL,
                                         1),
                     TLSRPT_EINVAL);
    /* "*." patterns and U-labels are written as the builder stores them */
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com", NULL, 0,
                                         (const char *const[]){"*.B\xc3\xbc" "cher.example"}, 1, NULL, 1),
                     TLSRPT_OK);
    ck_assert_uint_eq(n, 25 + 13 + 2 + 2 + 2 + 23);
    ck_assert_mem_eq(buf + n - 23, "*.xn--bcher-kva.example", 23);

    /* limits: strings, mx-hosts, the event size */
    const char **many = calloc(TLSRPT_MAX_POLICY_STRINGS + 1, sizeof *many);
    for (size_t i = 0; i <= TLSRPT_MAX_POLICY_STRINGS; i++)
        many[i] = "mx.example.com";
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com", many,
                                         TLSRPT_MAX_POLICY_STRINGS, NULL, 0, NULL, 1),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com", many,
                                         TLSRPT_MAX_POLICY_STRINGS + 1, NULL, 0, NULL, 1),
                     TLSRPT_ELIMIT);
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_STS, "example.com", NULL, 0, many,
                                         TLSRPT_MAX_MX_HOSTS + 1, NULL, 1),
                     TLSRPT_ELIMIT);
    free(many);
    /* the largest event: header 25 + domain 2+11 + count 2 + string 2+L + count 2 = 65507 */
    size_t big_len = TLSRPT_EVENT_MAX_SIZE - 25 - 13 - 2 - 2 - 2;
    char *big = malloc(big_len + 2);
    memset(big, 'x', big_len + 1);
    big[big_len] = '\0';
    const char *const one[] = {big};
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_TLSA, "example.com", one, 1, NULL,
                                         0, NULL, 1),
                     TLSRPT_OK);
    ck_assert_uint_eq(n, TLSRPT_EVENT_MAX_SIZE);
    tlsrpt_report *r = new_report();
    ck_assert_int_eq(tlsrpt_report_apply_event(r, buf, n, NULL), TLSRPT_OK);
    tlsrpt_report_free(r);
    big[big_len] = 'x';
    big[big_len + 1] = '\0';
    ck_assert_int_eq(tlsrpt_event_encode(buf, sizeof buf, &n, NOON, TLSRPT_POLICY_TLSA, "example.com", one, 1, NULL,
                                         0, NULL, 1),
                     TLSRPT_ELIMIT);
    ck_assert_uint_eq(n, 0);
    free(big);
}
END_TEST

/* Applies data to a report holding one policy and expects status rc, the id at offset, and the report unchanged. */
static void expect_refused(const void *data, size_t len, int rc, const char *id, size_t offset)
{
    tlsrpt_report *r = new_report();
    tlsrpt_policy *p = NULL;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.com", sts_lines, 2, sts_mx, 1, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, UINT64_MAX - 5), TLSRPT_OK);
    char *before = json(r);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_report_apply_event(r, data, len, d), rc);
    ck_assert_diag(d, id, TLSRPT_SEVERITY_ERROR, offset);
    char *after = json(r);
    ck_assert_str_eq(before, after);
    tlsrpt_free(before);
    tlsrpt_free(after);
    /* peek agrees on the format errors (it does not check values, period or the report) */
    if (strcmp(id, "event-value-invalid") != 0 && strcmp(id, "event-other-period") != 0 &&
        strcmp(id, "event-report-limit") != 0 && strcmp(id, "event-length-mismatch") != 0) {
        tlsrpt_diag_clear(d);
        size_t n = 1;
        ck_assert_int_eq(tlsrpt_event_peek(data, len, &n, NULL, d), rc);
        ck_assert_uint_eq(n, 0);
        ck_assert_diag(d, id, TLSRPT_SEVERITY_ERROR, offset);
    }
    tlsrpt_diag_free(d);
    tlsrpt_report_free(r);
}

static void set16(unsigned char *p, size_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

START_TEST(format_errors)
{
    unsigned char ev[256], bad[300];
    size_t n = sample(ev, sizeof ev); /* 89 bytes; layout in success_event_bytes */

    expect_refused("{\"policies\":[]}", 15, TLSRPT_ESYNTAX, "event-foreign", 0);
    memcpy(bad, ev, n);
    bad[3] = 'X';
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-foreign", 3);
    expect_refused(ev, 2, TLSRPT_ESYNTAX, "event-truncated", 2);
    expect_refused(ev, 6, TLSRPT_ESYNTAX, "event-truncated", 6);
    expect_refused(ev, 0, TLSRPT_ESYNTAX, "event-truncated", 0);
    expect_refused(ev, n - 1, TLSRPT_ESYNTAX, "event-truncated", n - 1);
    memcpy(bad, ev, n);
    bad[4] = 2;
    expect_refused(bad, n, TLSRPT_EUNSUPPORTED, "event-version-unsupported", 4);
    memcpy(bad, ev, n);
    set16(bad + 5, 65508);
    expect_refused(bad, n, TLSRPT_ELIMIT, "event-too-large", 5);
    set16(bad + 5, 30);
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-size-invalid", 5);
    memcpy(bad, ev, n);
    bad[n] = 0;
    expect_refused(bad, n + 1, TLSRPT_ESYNTAX, "event-length-mismatch", n);
    memcpy(bad, ev, n);
    bad[7] = 3;
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-kind-unknown", 7);
    bad[7] = 2; /* a failure event without its result type: the flags are missing */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-field-overrun", n);
    memcpy(bad, ev, n);
    bad[8] = 0;
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-policy-type-unknown", 8);
    memcpy(bad, ev, n);
    set16(bad + 25, 200); /* the domain's length runs past the end */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-field-overrun", 25);
    memcpy(bad, ev, n);
    bad[27 + 3] = '\0'; /* a NUL inside "example.com" */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-string-invalid", 30);
    memcpy(bad, ev, n);
    bad[58 + 5] = (char)0xC3; /* "mode: " then a lone lead byte */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-string-invalid", 63);
    memcpy(bad, ev, n);
    set16(bad + 56, 40); /* the second policy string runs past the end */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-field-overrun", 56);
    memcpy(bad, ev, n);
    set16(bad + 38, TLSRPT_MAX_POLICY_STRINGS + 1);
    expect_refused(bad, n, TLSRPT_ELIMIT, "event-too-many-strings", 38);
    memcpy(bad, ev, n);
    set16(bad + 71, TLSRPT_MAX_MX_HOSTS + 1);
    expect_refused(bad, n, TLSRPT_ELIMIT, "event-too-many-mx-hosts", 71);
    memcpy(bad, ev, n);
    bad[n] = 0;
    set16(bad + 5, n + 1); /* one byte more than the fields */
    expect_refused(bad, n + 1, TLSRPT_ESYNTAX, "event-trailing-bytes", n);
    memcpy(bad, ev, n);
    set16(bad + 73, 0); /* an empty mx-host: the two bytes of its text are left over */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-trailing-bytes", 75);

    /* failure events: the field flags */
    tlsrpt_failure *f = full_failure();
    size_t m = 0;
    ck_assert_int_eq(tlsrpt_event_encode(ev, sizeof ev, &m, NOON, TLSRPT_POLICY_NO_POLICY_FOUND, "example.com", NULL,
                                         0, NULL, 0, f, 1),
                     TLSRPT_OK);
    /* 25 header, 13 domain, 2 + 2 counts, 2+19 result type: the flags at 63 */
    ck_assert_uint_eq(ev[63], 0x3f);
    memcpy(bad, ev, m);
    bad[63] = 0x7f;
    expect_refused(bad, m, TLSRPT_ESYNTAX, "event-field-flags-unknown", 63);
    tlsrpt_failure_free(f);
}
END_TEST

/* An event with one field replaced by text the builder refuses; the offset is the text's first byte. */
START_TEST(value_errors)
{
    unsigned char ev[256];
    size_t n = sample(ev, sizeof ev);
    unsigned char bad[256];
    memcpy(bad, ev, n);
    memcpy(bad + 27, "exa_ple.com", 11); /* same length, not a host name */
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-value-invalid", 27);
    memcpy(bad, ev, n);
    memcpy(bad + 75, "mx.*.example.c", 14);
    expect_refused(bad, n, TLSRPT_ESYNTAX, "event-value-invalid", 75);

    tlsrpt_failure *f = full_failure();
    size_t m = 0;
    ck_assert_int_eq(tlsrpt_event_encode(ev, sizeof ev, &m, NOON, TLSRPT_POLICY_NO_POLICY_FOUND, "example.com", NULL,
                                         0, NULL, 0, f, 1),
                     TLSRPT_OK);
    /* flags at 63; sending-mta-ip "2001:db8::1" at 64+2 */
    ck_assert_mem_eq(ev + 66, "2001:db8::1", 11);
    memcpy(bad, ev, m);
    memcpy(bad + 66, "2001:db8::g", 11);
    expect_refused(bad, m, TLSRPT_ESYNTAX, "event-value-invalid", 66);
    memcpy(bad, ev, m);
    set16(bad + 42, 0); /* an empty result type, the rest shifted */
    memmove(bad + 44, ev + 44 + 19, m - 44 - 19);
    set16(bad + 5, m - 19);
    expect_refused(bad, m - 19, TLSRPT_ESYNTAX, "event-value-invalid", 44);
    tlsrpt_failure_free(f);
}
END_TEST

START_TEST(other_period_and_limits)
{
    unsigned char ev[256];
    size_t n = 0;
    ck_assert_int_eq(tlsrpt_event_encode(ev, sizeof ev, &n, DAY + 86400, TLSRPT_POLICY_STS, "example.com", sts_lines,
                                         2, sts_mx, 1, NULL, 1),
                     TLSRPT_OK);
    expect_refused(ev, n, TLSRPT_ESEMANTIC, "event-other-period", 9);
    ck_assert_int_eq(tlsrpt_event_encode(ev, sizeof ev, &n, DAY - 1, TLSRPT_POLICY_STS, "example.com", sts_lines, 2,
                                         sts_mx, 1, NULL, 1),
                     TLSRPT_OK);
    expect_refused(ev, n, TLSRPT_ESEMANTIC, "event-other-period", 9);
    int64_t t = 0;
    ck_assert_int_eq(tlsrpt_event_peek(ev, n, NULL, &t, NULL), TLSRPT_OK);
    ck_assert_int_eq(t, DAY - 1);
    ck_assert_int_eq(tlsrpt_event_encode(ev, sizeof ev, &n, INT64_MIN, TLSRPT_POLICY_STS, "example.com", NULL, 0,
                                         NULL, 0, NULL, 1),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_event_peek(ev, n, NULL, &t, NULL), TLSRPT_OK);
    ck_assert_int_eq(t, INT64_MIN);
    /* expect_refused's report holds UINT64_MAX - 5 successes for this policy */
    ck_assert_int_eq(tlsrpt_event_encode(ev, sizeof ev, &n, NOON, TLSRPT_POLICY_STS, "example.com", sts_lines, 2,
                                         sts_mx, 1, NULL, 6),
                     TLSRPT_OK);
    expect_refused(ev, n, TLSRPT_ELIMIT, "event-report-limit", 17);

    /* arguments */
    tlsrpt_report *r = new_report();
    ck_assert_int_eq(tlsrpt_report_apply_event(NULL, ev, n, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_apply_event(r, NULL, 5, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_event_peek(NULL, 5, NULL, NULL, NULL), TLSRPT_EINVAL);
    tlsrpt_report_free(r);
    /* a parsed report without a period cannot take events */
    tlsrpt_report *parsed = NULL;
    ck_assert_int_eq(tlsrpt_report_parse(&parsed, TEXT("{\"policies\":[]}"), 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_apply_event(parsed, ev, n, NULL), TLSRPT_EINVAL);
    tlsrpt_report_free(parsed);
}
END_TEST

/* Events back to back (a spool file): peek cuts them apart. */
START_TEST(peek_splits_a_stream)
{
    unsigned char stream[512];
    size_t a = sample(stream, sizeof stream), b = 0;
    tlsrpt_failure *f = full_failure();
    ck_assert_int_eq(tlsrpt_event_encode(stream + a, sizeof stream - a, &b, NOON, TLSRPT_POLICY_STS, "example.com",
                                         sts_lines, 2, sts_mx, 1, f, 1),
                     TLSRPT_OK);
    tlsrpt_failure_free(f);
    tlsrpt_report *r = new_report();
    size_t at = 0, count = 0;
    while (at < a + b) {
        size_t len = 0;
        ck_assert_int_eq(tlsrpt_event_peek(stream + at, a + b - at, &len, NULL, NULL), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_report_apply_event(r, stream + at, len, NULL), TLSRPT_OK);
        at += len;
        count++;
    }
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(r, 0)), 3);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(tlsrpt_report_policy(r, 0)), 1);
    tlsrpt_report_free(r);
}
END_TEST

/* Every allocation of encode and apply failing in turn: TLSRPT_ENOMEM, nothing written or changed, nothing leaked
 * (ASan, valgrind); then the call succeeds. */
START_TEST(every_allocation_failing)
{
    tlsrpt_failure *f = full_failure();
    unsigned char ev[512];
    size_t n = 0;
    const char *const mx[] = {"*.B\xc3\xbc" "cher.example", "mx.example.com"};
    long k = 0;
    for (;; k++) {
        arm(k);
        int rc = tlsrpt_event_encode(ev, sizeof ev, &n, NOON, TLSRPT_POLICY_STS, "b\xc3\xbc" "cher.example",
                                     sts_lines, 2, mx, 2, f, 1);
        long made = disarm();
        if (rc == TLSRPT_OK)
            break;
        ck_assert_int_eq(rc, TLSRPT_ENOMEM);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_lt(k, made);
    }
    ck_assert_int_gt(k, 2); /* the U-labels and the wildcard were converted */

    for (int existing = 0; existing < 2; existing++) {
        tlsrpt_report *r = new_report();
        if (existing)
            ck_assert_int_eq(tlsrpt_report_apply_event(r, ev, n, NULL), TLSRPT_OK);
        char *before = json(r);
        for (k = 0;; k++) {
            arm(k);
            int rc = tlsrpt_report_apply_event(r, ev, n, NULL);
            disarm();
            if (rc == TLSRPT_OK)
                break;
            ck_assert_int_eq(rc, TLSRPT_ENOMEM);
            char *after = json(r);
            ck_assert_str_eq(after, before);
            tlsrpt_free(after);
        }
        ck_assert_int_gt(k, 3);
        ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(tlsrpt_report_policy(r, 0), 0)),
                          (uint64_t)existing + 1);
        tlsrpt_free(before);
        tlsrpt_report_free(r);
    }
    tlsrpt_failure_free(f);
}
END_TEST

/* The heap an apply holds at once, for the largest event: what tlsrpt_event(3) promises (COST). */
START_TEST(apply_memory_bound)
{
    size_t big_len = TLSRPT_EVENT_MAX_SIZE - 25 - 13 - 2 - 2 - 2;
    char *big = malloc(big_len + 1);
    memset(big, 'A', big_len);
    big[big_len] = '\0';
    const char *const one[] = {big};
    unsigned char *ev = malloc(TLSRPT_EVENT_MAX_SIZE);
    size_t n = 0;
    ck_assert_int_eq(tlsrpt_event_encode(ev, TLSRPT_EVENT_MAX_SIZE, &n, NOON, TLSRPT_POLICY_TLSA, "example.com", one,
                                         1, NULL, 0, NULL, 1),
                     TLSRPT_OK);
    tlsrpt_report *r = new_report();
    meter_start();
    ck_assert_int_eq(tlsrpt_report_apply_event(r, ev, n, NULL), TLSRPT_OK);
    size_t peak = meter_stop();
    fprintf(stderr, "# apply of a %zu-byte event: peak heap %zu bytes, %zu still held by the report\n", n, peak,
            meter_now);
    ck_assert_uint_le(peak, 3 * n + 64 * 1024);
    tlsrpt_report_free(r);
    free(ev);
    free(big);
}
END_TEST

/* ---- The property: N workers' events, any order, equal the in-process report ---------------------------------- */

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64*: the test's own generator, so a seed replays on every platform */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

typedef struct {
    int policy;  /* index into the policies below */
    int failure; /* -1: successes, else index into the failures */
    uint64_t sessions;
    int64_t time;
    int worker;
} outcome;

static const char *const tlsa_a[] = {"3 1 1 0123456789ABCDEF", "2 0 1 FEDCBA9876543210"};
static const char *const sts_b_lines[] = {"version: STSv1", "mode: testing", "mx: *.mail.example.net",
                                          "max_age: 86400"};
static const char *const sts_b_mx[] = {"*.mail.example.net"};

static int add_policy_n(tlsrpt_report *r, int i, tlsrpt_policy **p)
{
    switch (i) {
    case 0:
        return tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.com", sts_lines, 2, sts_mx, 1, p);
    case 1:
        return tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", sts_b_lines, 4, sts_b_mx, 1, p);
    case 2:
        return tlsrpt_report_add_policy(r, TLSRPT_POLICY_TLSA, "mx.example.org", tlsa_a, 2, NULL, 0, p);
    default:
        return tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "example.edu", NULL, 0, NULL, 0, p);
    }
}

static int encode_n(unsigned char *buf, size_t *n, int i, int64_t t, const tlsrpt_failure *f, uint64_t sessions)
{
    size_t size = TLSRPT_EVENT_MAX_SIZE;
    switch (i) {
    case 0:
        return tlsrpt_event_encode(buf, size, n, t, TLSRPT_POLICY_STS, "example.com", sts_lines, 2, sts_mx, 1, f,
                                   sessions);
    case 1:
        return tlsrpt_event_encode(buf, size, n, t, TLSRPT_POLICY_STS, "EXAMPLE.net", sts_b_lines, 4, sts_b_mx, 1, f,
                                   sessions);
    case 2:
        return tlsrpt_event_encode(buf, size, n, t, TLSRPT_POLICY_TLSA, "mx.example.org.", tlsa_a, 2, NULL, 0, f,
                                   sessions);
    default:
        return tlsrpt_event_encode(buf, size, n, t, TLSRPT_POLICY_NO_POLICY_FOUND, "example.edu", NULL, 0, NULL, 0, f,
                                   sessions);
    }
}

#define FAILURE_KINDS 4
static tlsrpt_failure *make_failure(int i)
{
    static const char *const types[FAILURE_KINDS] = {"certificate-expired", "starttls-not-supported",
                                                     "validation-failure", "certificate-expired"};
    tlsrpt_failure *f = NULL;
    ck_assert_int_eq(tlsrpt_failure_new(&f, types[i]), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, i == 3 ? "192.0.2.2" : "192.0.2.1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "mx.example.com"), TLSRPT_OK);
    if (i == 2)
        ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "tls-alert-received-handshake-failure"), TLSRPT_OK);
    return f;
}

/* A report's content in one order whatever order it was built in: policies, and each policy's details, sorted by
 * their serialized content. RFC 8460 gives their order no meaning; the builder keeps insertion order. */
typedef struct {
    char *key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static char *policy_key(const tlsrpt_policy *p)
{
    size_t cap = 4096;
    char *k = calloc(1, cap);
    snprintf(k, cap, "%s|%s", tlsrpt_policy_type_name(p), tlsrpt_policy_domain(p));
    for (size_t i = 0; i < tlsrpt_policy_string_count(p); i++)
        snprintf(k + strlen(k), cap - strlen(k), "|s:%s", tlsrpt_policy_string(p, i));
    for (size_t i = 0; i < tlsrpt_policy_mx_host_count(p); i++)
        snprintf(k + strlen(k), cap - strlen(k), "|m:%s", tlsrpt_policy_mx_host(p, i));
    return k;
}

static char *failure_key(const tlsrpt_failure *f)
{
    const char *v[] = {tlsrpt_failure_result_type(f),        tlsrpt_failure_sending_mta_ip(f),
                       tlsrpt_failure_receiving_mx_hostname(f), tlsrpt_failure_receiving_mx_helo(f),
                       tlsrpt_failure_receiving_ip(f),         tlsrpt_failure_additional_information(f),
                       tlsrpt_failure_reason_code(f)};
    char *k = calloc(1, 2048);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        snprintf(k + strlen(k), 2048 - strlen(k), "|%s", v[i] ? v[i] : "\x01");
    return k;
}

static char *canonical_json(const tlsrpt_report *r)
{
    tlsrpt_report *c = NULL;
    ck_assert_int_eq(tlsrpt_report_new(&c, tlsrpt_report_organization_name(r), tlsrpt_report_contact_info(r),
                                       tlsrpt_report_id(r), tlsrpt_report_start_time(r), tlsrpt_report_end_time(r)),
                     TLSRPT_OK);
    size_t np = tlsrpt_report_policy_count(r);
    keyed *ps = calloc(np + 1, sizeof *ps);
    for (size_t i = 0; i < np; i++)
        ps[i] = (keyed){policy_key(tlsrpt_report_policy(r, i)), i};
    qsort(ps, np, sizeof *ps, by_key);
    for (size_t i = 0; i < np; i++) {
        const tlsrpt_policy *src = tlsrpt_report_policy(r, ps[i].index);
        const char *strings[16], *mx[16];
        for (size_t j = 0; j < tlsrpt_policy_string_count(src); j++)
            strings[j] = tlsrpt_policy_string(src, j);
        for (size_t j = 0; j < tlsrpt_policy_mx_host_count(src); j++)
            mx[j] = tlsrpt_policy_mx_host(src, j);
        tlsrpt_policy *dst = NULL;
        ck_assert_int_eq(tlsrpt_report_add_policy(c, tlsrpt_policy_type(src), tlsrpt_policy_domain(src), strings,
                                                  tlsrpt_policy_string_count(src), mx,
                                                  tlsrpt_policy_mx_host_count(src), &dst),
                         TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_policy_add_successes(dst, tlsrpt_policy_successful_sessions(src)), TLSRPT_OK);
        size_t nf = tlsrpt_policy_failure_count(src);
        keyed *fs = calloc(nf + 1, sizeof *fs);
        for (size_t j = 0; j < nf; j++)
            fs[j] = (keyed){failure_key(tlsrpt_policy_failure(src, j)), j};
        qsort(fs, nf, sizeof *fs, by_key);
        for (size_t j = 0; j < nf; j++) {
            const tlsrpt_failure *sf = tlsrpt_policy_failure(src, fs[j].index);
            tlsrpt_failure *f = NULL;
            ck_assert_int_eq(tlsrpt_failure_new(&f, tlsrpt_failure_result_type(sf)), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, tlsrpt_failure_sending_mta_ip(sf)), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, tlsrpt_failure_receiving_mx_hostname(sf)),
                             TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, tlsrpt_failure_receiving_mx_helo(sf)), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, tlsrpt_failure_receiving_ip(sf)), TLSRPT_OK);
            ck_assert_int_eq(
                tlsrpt_failure_set_additional_information(f, tlsrpt_failure_additional_information(sf)), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, tlsrpt_failure_reason_code(sf)), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_policy_add_failures(dst, f, tlsrpt_failure_session_count(sf)), TLSRPT_OK);
            tlsrpt_failure_free(f);
            free(fs[j].key);
        }
        free(fs);
        free(ps[i].key);
    }
    free(ps);
    char *out = json(c);
    tlsrpt_report_free(c);
    return out;
}

static size_t first_difference(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

#define WORKERS 5
#define OUTCOMES 400
#define PERMUTATIONS 6

START_TEST(workers_in_any_order_equal_one_process)
{
    const char *env = getenv("TLSRPT_EVENT_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    if (seed == 0)
        seed = 1;
    fprintf(stderr, "# event property test: seed %llu (TLSRPT_EVENT_SEED=%llu replays it)\n",
            (unsigned long long)seed, (unsigned long long)seed);
    rng_state = seed;

    tlsrpt_failure *failures[FAILURE_KINDS];
    for (int i = 0; i < FAILURE_KINDS; i++)
        failures[i] = make_failure(i);
    outcome *o = calloc(OUTCOMES, sizeof *o);
    size_t other_day = 0;
    for (size_t i = 0; i < OUTCOMES; i++) {
        o[i].policy = (int)(rng() % 4);
        o[i].failure = (int)(rng() % (FAILURE_KINDS + 2)) - 2; /* a third of them successes */
        if (o[i].failure < 0)
            o[i].failure = -1;
        o[i].sessions = rng() % 4; /* 0 too: the builder records the policy or detail */
        o[i].worker = (int)(rng() % WORKERS);
        o[i].time = DAY + (int64_t)(rng() % 86400);
        if (rng() % 20 == 0) { /* a delivery that finished after midnight, or a clock behind */
            o[i].time = rng() % 2 ? DAY + 86400 + (int64_t)(rng() % 600) : DAY - 1;
            other_day++;
        }
    }

    /* One process: the calls an MTA makes. */
    tlsrpt_report *direct = new_report();
    for (size_t i = 0; i < OUTCOMES; i++) {
        if (o[i].time < DAY || o[i].time > DAY + 86399)
            continue;
        tlsrpt_policy *p = NULL;
        ck_assert_int_eq(add_policy_n(direct, o[i].policy, &p), TLSRPT_OK);
        if (o[i].failure < 0)
            ck_assert_int_eq(tlsrpt_policy_add_successes(p, o[i].sessions), TLSRPT_OK);
        else
            ck_assert_int_eq(tlsrpt_policy_add_failures(p, failures[o[i].failure], o[i].sessions), TLSRPT_OK);
    }
    char *want_plain = json(direct), *want = canonical_json(direct);

    /* N workers: each encodes its own outcomes, in its own order; the collector sees them interleaved. */
    unsigned char **events = calloc(OUTCOMES, sizeof *events);
    size_t *lens = calloc(OUTCOMES, sizeof *lens);
    size_t order[OUTCOMES], k = 0;
    for (int w = 0; w < WORKERS; w++)
        for (size_t i = 0; i < OUTCOMES; i++)
            if (o[i].worker == w) {
                events[i] = malloc(TLSRPT_EVENT_MAX_SIZE);
                ck_assert_int_eq(encode_n(events[i], &lens[i], o[i].policy, o[i].time,
                                          o[i].failure < 0 ? NULL : failures[o[i].failure], o[i].sessions),
                                 TLSRPT_OK);
                ck_assert_uint_le(lens[i], 512);
            }
    for (size_t i = 0; i < OUTCOMES; i++)
        order[k++] = i;

    for (int perm = 0; perm <= PERMUTATIONS; perm++) {
        if (perm > 0) /* perm 0: the order of the outcomes themselves */
            for (size_t i = OUTCOMES - 1; i > 0; i--) {
                size_t j = (size_t)(rng() % (i + 1)), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        tlsrpt_report *collected = new_report();
        size_t refused = 0;
        for (size_t i = 0; i < OUTCOMES; i++) {
            size_t e = order[i];
            int rc = tlsrpt_report_apply_event(collected, events[e], lens[e], NULL);
            if (rc == TLSRPT_ESEMANTIC)
                refused++;
            else
                ck_assert_int_eq(rc, TLSRPT_OK);
        }
        ck_assert_uint_eq(refused, other_day);
        /* whole reports are longer than Check's messages: say where they part */
        char *got = canonical_json(collected);
        ck_assert_msg(strcmp(got, want) == 0, "order %d (seed %llu): the reports differ from byte %zu: %.120s",
                      perm, (unsigned long long)seed, first_difference(got, want), got + first_difference(got, want));
        if (perm == 0) { /* the same first-seen order: the very same bytes, no sorting needed */
            char *plain = json(collected);
            ck_assert_msg(strcmp(plain, want_plain) == 0, "arrival order (seed %llu): the reports differ from byte %zu",
                          (unsigned long long)seed, first_difference(plain, want_plain));
            tlsrpt_free(plain);
        }
        tlsrpt_free(got);
        tlsrpt_report_free(collected);
    }

    for (size_t i = 0; i < OUTCOMES; i++)
        free(events[i]);
    free(events);
    free(lens);
    free(o);
    tlsrpt_free(want);
    tlsrpt_free(want_plain);
    tlsrpt_report_free(direct);
    for (int i = 0; i < FAILURE_KINDS; i++)
        tlsrpt_failure_free(failures[i]);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("event");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, success_event_bytes);
    tcase_add_test(tc, failure_event_is_the_builders_detail);
    tcase_add_test(tc, encode_refuses_what_the_builder_refuses);
    tcase_add_test(tc, format_errors);
    tcase_add_test(tc, value_errors);
    tcase_add_test(tc, other_period_and_limits);
    tcase_add_test(tc, peek_splits_a_stream);
    tcase_add_test(tc, every_allocation_failing);
    tcase_add_test(tc, apply_memory_bound);
    tcase_add_test(tc, workers_in_any_order_equal_one_process);
    suite_add_tcase(s, tc);
    return s;
}
