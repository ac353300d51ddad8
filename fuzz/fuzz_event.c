/* Fuzz target: outcome events (since 1.1): tlsrpt_event_peek and tlsrpt_report_apply_event on a report that
 * already holds a policy; an applied event re-encodes from what the report holds to an event that builds the same
 * report. SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DAY 1719792000 /* 2024-07-01T00:00:00Z, the reports' period */

static tlsrpt_report *day_report(int with_policy)
{
    tlsrpt_report *r = NULL;
    if (tlsrpt_report_new(&r, "fuzz", NULL, "fuzz", DAY, DAY + 86399) != TLSRPT_OK)
        return NULL;
    if (with_policy) {
        static const char *const lines[] = {"version: STSv1", "mode: enforce"};
        static const char *const mx[] = {"mx.example.com"};
        tlsrpt_policy *p = NULL;
        FUZZ_CHECK(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.com", lines, 2, mx, 1, &p) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_policy_add_successes(p, UINT64_MAX - 1000) == TLSRPT_OK);
    }
    return r;
}

static char *json(const tlsrpt_report *r)
{
    char *s = NULL;
    FUZZ_CHECK(tlsrpt_report_serialize(r, 0, &s, NULL) == TLSRPT_OK);
    return s;
}

/* The event for the one policy (and at most one detail) of r, encoded again from the report's getters. */
static size_t reencode(const tlsrpt_report *r, int64_t time, unsigned char *buf)
{
    FUZZ_CHECK(tlsrpt_report_policy_count(r) == 1);
    const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
    size_t ns = tlsrpt_policy_string_count(p), nm = tlsrpt_policy_mx_host_count(p);
    const char **strings = calloc(ns + 1, sizeof *strings), **mx = calloc(nm + 1, sizeof *mx);
    FUZZ_CHECK(strings && mx);
    for (size_t i = 0; i < ns; i++)
        strings[i] = tlsrpt_policy_string(p, i);
    for (size_t i = 0; i < nm; i++)
        mx[i] = tlsrpt_policy_mx_host(p, i);
    tlsrpt_failure *f = NULL;
    uint64_t sessions = tlsrpt_policy_successful_sessions(p);
    FUZZ_CHECK(tlsrpt_policy_failure_count(p) <= 1);
    if (tlsrpt_policy_failure_count(p) == 1) {
        const tlsrpt_failure *d = tlsrpt_policy_failure(p, 0);
        FUZZ_CHECK(sessions == 0);
        sessions = tlsrpt_failure_session_count(d);
        FUZZ_CHECK(tlsrpt_policy_failed_sessions(p) == sessions);
        FUZZ_CHECK(tlsrpt_failure_new(&f, tlsrpt_failure_result_type(d)) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_failure_set_sending_mta_ip(f, tlsrpt_failure_sending_mta_ip(d)) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_failure_set_receiving_mx_hostname(f, tlsrpt_failure_receiving_mx_hostname(d)) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_failure_set_receiving_mx_helo(f, tlsrpt_failure_receiving_mx_helo(d)) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_failure_set_receiving_ip(f, tlsrpt_failure_receiving_ip(d)) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_failure_set_additional_information(f, tlsrpt_failure_additional_information(d)) ==
                   TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_failure_set_reason_code(f, tlsrpt_failure_reason_code(d)) == TLSRPT_OK);
    }
    size_t n = 0;
    FUZZ_CHECK(tlsrpt_event_encode(buf, TLSRPT_EVENT_MAX_SIZE, &n, time, tlsrpt_policy_type(p), tlsrpt_policy_domain(p),
                                   strings, ns, mx, nm, f, sessions) == TLSRPT_OK);
    tlsrpt_failure_free(f);
    free(strings);
    free(mx);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlsrpt_diag *diag = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    size_t event_len = 1;
    int64_t time = 1;
    int peek = tlsrpt_event_peek(data, size, &event_len, &time, diag);
    if (peek == TLSRPT_OK) {
        FUZZ_CHECK(event_len >= 31 && event_len <= size && event_len <= TLSRPT_EVENT_MAX_SIZE);
        FUZZ_CHECK(tlsrpt_diag_count(diag) == 0);
    } else {
        FUZZ_CHECK(peek == TLSRPT_ESYNTAX || peek == TLSRPT_ELIMIT || peek == TLSRPT_EUNSUPPORTED ||
                   peek == TLSRPT_ENOMEM);
        FUZZ_CHECK(event_len == 0 && time == 0);
        FUZZ_CHECK(peek == TLSRPT_ENOMEM || fuzz_has_error(diag));
    }

    tlsrpt_report *r = day_report(1);
    FUZZ_CHECK(r != NULL);
    char *before = json(r);
    tlsrpt_diag_clear(diag);
    int rc = tlsrpt_report_apply_event(r, data, size, diag);
    if (rc != TLSRPT_OK) {
        /* every failure explains itself and leaves the report as it was */
        FUZZ_CHECK(rc == TLSRPT_ENOMEM || fuzz_has_error(diag));
        char *after = json(r);
        FUZZ_CHECK(strcmp(before, after) == 0);
        tlsrpt_free(after);
        if (rc == TLSRPT_ESEMANTIC) /* only for a valid event of another day */
            FUZZ_CHECK(peek == TLSRPT_OK && event_len == size && (time < DAY || time > DAY + 86399));
        if (peek == TLSRPT_OK && event_len == size && rc != TLSRPT_ENOMEM)
            FUZZ_CHECK(rc == TLSRPT_ESYNTAX || rc == TLSRPT_ESEMANTIC || rc == TLSRPT_ELIMIT); /* values, day, sums */
    } else {
        FUZZ_CHECK(peek == TLSRPT_OK && event_len == size && time >= DAY && time <= DAY + 86399);
        FUZZ_CHECK(tlsrpt_report_policy_count(r) <= 2);
    }

    /* an event that applies (on its own day) re-encodes from the report to an event that builds the same report */
    if (rc == TLSRPT_OK || rc == TLSRPT_ESEMANTIC || (rc == TLSRPT_ELIMIT && peek == TLSRPT_OK)) {
        tlsrpt_report *alone = day_report(0);
        FUZZ_CHECK(alone != NULL);
        int64_t t = rc == TLSRPT_ESEMANTIC ? DAY : time;
        unsigned char *copy = malloc(size ? size : 1);
        FUZZ_CHECK(copy != NULL);
        memcpy(copy, data, size);
        if (rc == TLSRPT_ESEMANTIC)
            memset(copy + 9, 0, 8), copy[13] = 0x66, copy[14] = 0x81, copy[15] = 0xf1, copy[16] = 0x80; /* DAY */
        int again = tlsrpt_report_apply_event(alone, copy, size, NULL);
        if (again == TLSRPT_OK) {
            unsigned char *buf = malloc(TLSRPT_EVENT_MAX_SIZE), *buf2 = malloc(TLSRPT_EVENT_MAX_SIZE);
            FUZZ_CHECK(buf && buf2);
            size_t n = reencode(alone, t, buf);
            size_t n2 = reencode(alone, t, buf2);
            FUZZ_CHECK(n == n2 && memcmp(buf, buf2, n) == 0); /* deterministic */
            tlsrpt_report *rebuilt = day_report(0);
            FUZZ_CHECK(rebuilt != NULL);
            FUZZ_CHECK(tlsrpt_report_apply_event(rebuilt, buf, n, NULL) == TLSRPT_OK);
            char *a = json(alone), *b = json(rebuilt);
            FUZZ_CHECK(strcmp(a, b) == 0);
            tlsrpt_free(a);
            tlsrpt_free(b);
            tlsrpt_report_free(rebuilt);
            free(buf);
            free(buf2);
        } else {
            /* on an empty report on its own day, only memory can fail an event whose values passed */
            FUZZ_CHECK(again == TLSRPT_ENOMEM);
        }
        free(copy);
        tlsrpt_report_free(alone);
    }
    tlsrpt_free(before);
    tlsrpt_report_free(r);
    tlsrpt_diag_free(diag);
    return 0;
}
