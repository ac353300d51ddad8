/* Reports, 1.1 (issue 13): report-owned failure details refuse changes, reusable details, canonical TLSA policies,
 * per-domain extraction, copying one policy, UTC days and the period-keeping merge.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "report_testutil.h"

/* Allocation failure injection (tests/alloc_hooks.h; this suite is linked with --wrap=malloc,...). */
#include "alloc_hooks.h"

#define DAY 1719792000 /* 2024-07-01T00:00:00Z */

static tlsrpt_report *new_report(const char *id, int64_t start, int64_t end)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Example Org", "tlsrpt@example.org", id, start, end), TLSRPT_OK);
    return r;
}

static tlsrpt_policy *nopolicy(tlsrpt_report *r, const char *domain)
{
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, domain, NULL, 0, NULL, 0, &p),
                     TLSRPT_OK);
    return p;
}

static char *json_of(const tlsrpt_report *r)
{
    char *json;
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, &json, NULL), TLSRPT_OK);
    return json;
}

/* ---- Seen (a): a setter on a report-owned detail ------------------------------------------------------------------ */

START_TEST(owned_detail_setters_refuse)
{
    tlsrpt_report *r = new_report("rid", DAY, DAY + 86399);
    tlsrpt_policy *p = nopolicy(r, "example.net");
    tlsrpt_failure *f;
    ck_assert_int_eq(tlsrpt_failure_new(&f, "starttls-not-supported"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.2"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 1), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 2);
    char *before = json_of(r);

    /* A binding that lost the const: the second detail would become equal to the first. */
    tlsrpt_failure *owned = (tlsrpt_failure *)tlsrpt_policy_failure(p, 1);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(owned, "192.0.2.1"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(owned, "192.0.2.9"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(owned, "mx.example.net"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(owned, "mx.example.net"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_additional_information(owned, "https://example.net/x"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(owned, "x"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(owned, NULL), TLSRPT_EINVAL); /* removing is a change too */
    ck_assert_int_eq(tlsrpt_failure_set_result_type(owned, "certificate-expired"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_reset(owned, "certificate-expired"), TLSRPT_EINVAL);
    tlsrpt_failure_free(owned); /* a no-op for a report's detail */

    char *after = json_of(r);
    ck_assert_str_eq(after, before);
    /* The index still finds both details: adding them again grows their counts, no third detail appears. */
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 5), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 2);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 1)), 6);
    tlsrpt_free(before);
    tlsrpt_free(after);
    tlsrpt_failure_free(f);

    /* A parsed report's details likewise. */
    static const char json[] =
        "{\"organization-name\":\"o\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
        "\"end-datetime\":\"2024-07-01T23:59:59Z\"},\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[{"
        "\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.net\"},\"summary\":{"
        "\"total-successful-session-count\":0,\"total-failure-session-count\":1},\"failure-details\":[{"
        "\"result-type\":\"validation-failure\",\"failed-session-count\":1}]}]}";
    tlsrpt_report *parsed;
    ck_assert_int_eq(tlsrpt_report_parse(&parsed, json, sizeof json - 1, 0, NULL), TLSRPT_OK);
    owned = (tlsrpt_failure *)tlsrpt_policy_failure(tlsrpt_report_policy(parsed, 0), 0);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(owned, "x"), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_failure_reason_code(owned));
    tlsrpt_report_free(parsed);
    tlsrpt_report_free(r);
}
END_TEST


/* ---- Reusing one detail per worker --------------------------------------------------------------------------------- */

START_TEST(reuse_one_detail)
{
    tlsrpt_report *r = new_report("rid", DAY, DAY + 86399);
    tlsrpt_policy *p = nopolicy(r, "example.net");
    tlsrpt_failure *f;
    ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "mx.example.net"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "X509_V_ERR_CERT_HAS_EXPIRED"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 2), TLSRPT_OK);

    /* set_result_type keeps the optional fields. */
    ck_assert_int_eq(tlsrpt_failure_set_result_type(f, "certificate-not-trusted"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "certificate-not-trusted");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), "192.0.2.1");
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 3), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_result_type(f, "x-private"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_OTHER);
    ck_assert_int_eq(tlsrpt_failure_set_result_type(f, ""), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_result_type(f, "bad\xff"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_result_type(f, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_result_type(NULL, "x"), TLSRPT_EINVAL);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "x-private"); /* unchanged by the refusals */

    /* reset: what tlsrpt_failure_new makes. */
    ck_assert_int_eq(tlsrpt_failure_reset(f, "\xc3\xa9"), TLSRPT_OK); /* any non-empty UTF-8 */
    ck_assert_int_eq(tlsrpt_failure_reset(f, "starttls-not-supported"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "starttls-not-supported");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED);
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_hostname(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_helo(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_ip(f));
    ck_assert_ptr_null(tlsrpt_failure_additional_information(f));
    ck_assert_ptr_null(tlsrpt_failure_reason_code(f));
    ck_assert_uint_eq(tlsrpt_failure_session_count(f), 0);
    ck_assert_int_eq(tlsrpt_failure_reset(f, ""), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_reset(f, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_reset(NULL, "x"), TLSRPT_EINVAL);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "starttls-not-supported");
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 1), TLSRPT_OK);

    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 3);
    ck_assert_str_eq(tlsrpt_failure_result_type(tlsrpt_policy_failure(p, 0)), "certificate-expired");
    ck_assert_str_eq(tlsrpt_failure_result_type(tlsrpt_policy_failure(p, 1)), "certificate-not-trusted");
    ck_assert_str_eq(tlsrpt_failure_reason_code(tlsrpt_policy_failure(p, 1)), "X509_V_ERR_CERT_HAS_EXPIRED");
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(tlsrpt_policy_failure(p, 2)));
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 6);
    tlsrpt_failure_free(f);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Canonical TLSA policies --------------------------------------------------------------------------------------- */

static const uint8_t sha_b[32] = {0xff, 0x00, 0x01, 0xab};
static const uint8_t short_c[2] = {0xab, 0xcd};

/* Hex text (any case) to bytes, as a resolver's presentation output would give them. */
static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned int v;
        char two[3] = {hex[0], hex[1], 0};
        ck_assert_int_eq(sscanf(two, "%x", &v), 1);
        out[n++] = (uint8_t)v;
    }
    return n;
}

START_TEST(tlsa_any_order_one_policy)
{
    tlsrpt_report *r = new_report("rid", DAY, DAY + 86399);
    /* The same RRset of three records, as three resolvers returned it: rotated, and once with the data written in
     * lower case, once in upper case, once mixed (decoded to the same bytes). */
    static const char *const hexes[3][3] = {
        {"0c72ac70b745ac19998ab6aa3b075e4e0e81d38e4d7c48bf1e13b04a1f69b13a", "ff0001ab", "abcd"},
        {"ABCD", "0C72AC70B745AC19998AB6AA3B075E4E0E81D38E4D7C48BF1E13B04A1F69B13A", "FF0001AB"},
        {"Ff0001aB", "aBcD", "0C72ac70B745AC19998ab6aa3b075E4E0E81D38E4D7C48BF1E13B04A1F69B13a"},
    };
    static const uint8_t fields[3][3][3] = {
        {{3, 1, 1}, {2, 0, 1}, {3, 1, 2}},
        {{3, 1, 2}, {3, 1, 1}, {2, 0, 1}},
        {{2, 0, 1}, {3, 1, 2}, {3, 1, 1}},
    };
    tlsrpt_policy *first = NULL;
    for (int order = 0; order < 3; order++) {
        uint8_t u[3], s[3], m[3], bytes[3][64];
        const uint8_t *data[3];
        size_t len[3];
        for (int i = 0; i < 3; i++) {
            u[i] = fields[order][i][0];
            s[i] = fields[order][i][1];
            m[i] = fields[order][i][2];
            len[i] = unhex(hexes[order][i], bytes[i]);
            data[i] = bytes[i];
        }
        tlsrpt_policy *p;
        ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "Mx.Example.NET.", u, s, m, data, len, 3, &p), TLSRPT_OK);
        if (!first)
            first = p;
        ck_assert_ptr_eq(p, first);
        ck_assert_int_eq(tlsrpt_policy_add_successes(p, 10), TLSRPT_OK);
    }
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(first), 30); /* the counts add up */
    ck_assert_int_eq(tlsrpt_policy_type(first), TLSRPT_POLICY_TLSA);
    ck_assert_str_eq(tlsrpt_policy_domain(first), "mx.example.net");
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(first), 0);
    ck_assert_uint_eq(tlsrpt_policy_string_count(first), 3);
    ck_assert_str_eq(tlsrpt_policy_string(first, 0), "2 0 1 FF0001AB");
    ck_assert_str_eq(tlsrpt_policy_string(first, 1),
                     "3 1 1 0C72AC70B745AC19998AB6AA3B075E4E0E81D38E4D7C48BF1E13B04A1F69B13A");
    ck_assert_str_eq(tlsrpt_policy_string(first, 2), "3 1 2 ABCD");

    /* The MTA's per-delivery call: once the policy exists, a small RRset is found without any allocation. */
    {
        uint8_t u[3] = {3, 2, 3}, s[3] = {1, 0, 1}, m[3] = {2, 1, 1}, b[3][64];
        const uint8_t *data[3] = {b[0], b[1], b[2]};
        size_t len[3] = {unhex("abcd", b[0]), unhex("ff0001ab", b[1]),
                         unhex("0C72AC70B745AC19998AB6AA3B075E4E0E81D38E4D7C48BF1E13B04A1F69B13A", b[2])};
        tlsrpt_policy *again;
        meter_start(); /* around the call only: Check's assertions allocate */
        int rc = tlsrpt_report_add_tlsa_policy(r, "mx.example.net", u, s, m, data, len, 3, &again);
        meter_stop();
        ck_assert_int_eq(rc, TLSRPT_OK);
        ck_assert_ptr_eq(again, first);
        ck_assert_uint_eq(meter_allocs, 0);
    }

    /* A policy added by hand with these canonical strings is the same one. */
    const char *canon[3] = {tlsrpt_policy_string(first, 0), tlsrpt_policy_string(first, 1),
                            tlsrpt_policy_string(first, 2)};
    tlsrpt_policy *q;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_TLSA, "mx.example.net", canon, 3, NULL, 0, &q),
                     TLSRPT_OK);
    ck_assert_ptr_eq(q, first);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(tlsa_sorting_duplicates_and_rejects)
{
    tlsrpt_report *r = new_report("rid", DAY, DAY + 86399);
    /* Numeric order of the fields (10 after 2), bytewise data order (a prefix first), duplicates once. */
    uint8_t u[5] = {10, 2, 2, 2, 255}, s[5] = {0, 1, 1, 1, 255}, m[5] = {0, 1, 1, 1, 255};
    const uint8_t *data[5] = {short_c, sha_b, sha_b, sha_b, short_c};
    size_t len[5] = {2, 4, 4, 2, 1};
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "b\xc3\xbc" "cher.example", u, s, m, data, len, 5, &p),
                     TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_policy_domain(p), "xn--bcher-kva.example");
    ck_assert_uint_eq(tlsrpt_policy_string_count(p), 4);
    ck_assert_str_eq(tlsrpt_policy_string(p, 0), "2 1 1 FF00");
    ck_assert_str_eq(tlsrpt_policy_string(p, 1), "2 1 1 FF0001AB");
    ck_assert_str_eq(tlsrpt_policy_string(p, 2), "10 0 0 ABCD");
    ck_assert_str_eq(tlsrpt_policy_string(p, 3), "255 255 255 AB");

    tlsrpt_policy *none = (tlsrpt_policy *)1;
    size_t zero[1] = {0}, big[1] = {TLSRPT_MAX_TLSA_DATA + 1};
    const uint8_t *null_data[1] = {NULL};
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, data, len, 0, &none), TLSRPT_EINVAL);
    ck_assert_ptr_null(none);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, data, zero, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, data, big, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, null_data, len, 1, &none),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "_25._tcp.mx.example.net", u, s, m, data, len, 1, &none),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, NULL, u, s, m, data, len, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", NULL, s, m, data, len, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, NULL, m, data, len, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, NULL, data, len, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, NULL, len, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, data, NULL, 1, &none), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(NULL, "example.net", u, s, m, data, len, 1, &none),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, data, len, 1, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", u, s, m, data, len,
                                                   TLSRPT_MAX_POLICY_STRINGS + 1, &none),
                     TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);

    /* The limits themselves are accepted: TLSRPT_MAX_POLICY_STRINGS records, TLSRPT_MAX_TLSA_DATA octets. */
    size_t n = TLSRPT_MAX_POLICY_STRINGS;
    uint8_t *uu = calloc(n, 1), *ss = calloc(n, 1), *mm = calloc(n, 1);
    uint8_t *blob = calloc(TLSRPT_MAX_TLSA_DATA, 1), *ids = malloc(2 * n);
    const uint8_t **dd = malloc(n * sizeof *dd);
    size_t *ll = malloc(n * sizeof *ll);
    for (size_t i = 0; i < n; i++) {
        ids[2 * i] = (uint8_t)(i >> 8);
        ids[2 * i + 1] = (uint8_t)i;
        dd[i] = ids + 2 * i;
        ll[i] = 2;
    }
    ll[0] = TLSRPT_MAX_TLSA_DATA;
    dd[0] = blob;
    ck_assert_int_eq(tlsrpt_report_add_tlsa_policy(r, "example.net", uu, ss, mm, dd, ll, n, &p), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_string_count(p), n);
    ck_assert_uint_eq(strlen(tlsrpt_policy_string(p, 0)), 6 + 2 * (size_t)TLSRPT_MAX_TLSA_DATA);
    /* and the report reads back */
    void *gz;
    size_t gz_len;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz, &gz_len), TLSRPT_OK);
    tlsrpt_report *back;
    ck_assert_int_eq(tlsrpt_report_parse(&back, gz, gz_len, TLSRPT_PARSE_STRICT, NULL), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_string_count(tlsrpt_report_policy(back, 1)), n);
    tlsrpt_report_free(back);
    tlsrpt_free(gz);
    free(uu);
    free(ss);
    free(mm);
    free(blob);
    free(ids);
    free(dd);
    free(ll);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Per-domain reports ----------------------------------------------------------------------------------------- */

/* A parsed report with two policy domains, an unknown policy type, absent members and a summary failure count above
 * the sum of its details. */
static const char multi_json[] =
    "{\"organization-name\":\"Sender\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
    "\"end-datetime\":\"2024-07-01T23:59:59Z\"},\"contact-info\":\"tlsrpt@sender.example\",\"report-id\":\"day-1\","
    "\"policies\":["
    "{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: testing\"],"
    "\"policy-domain\":\"example.net\",\"mx-host\":[\"mx.example.net\"]},\"summary\":{"
    "\"total-successful-session-count\":5,\"total-failure-session-count\":9},\"failure-details\":[{"
    "\"result-type\":\"certificate-expired\",\"receiving-ip\":\"192.0.2.5\",\"failed-session-count\":2}]},"
    "{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"other.example\"},\"summary\":{"
    "\"total-successful-session-count\":7,\"total-failure-session-count\":0}},"
    "{\"policy\":{\"policy-type\":\"x-future\",\"policy-domain\":\"EXAMPLE.net.\"},\"summary\":{"
    "\"total-successful-session-count\":1,\"total-failure-session-count\":0}},"
    "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"xn--bcher-kva.example\"},\"summary\":{"
    "\"total-successful-session-count\":3,\"total-failure-session-count\":0}},"
    "{\"policy\":{\"policy-type\":\"tlsa\"},\"summary\":{"
    "\"total-successful-session-count\":4,\"total-failure-session-count\":0}}"
    "]}";

static tlsrpt_report *parse_multi(void)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_parse(&r, multi_json, sizeof multi_json - 1, 0, NULL), TLSRPT_OK);
    return r;
}

/* Seen (b): rebuilding one domain's report from a parsed one with the 1.0 builder fails on the unknown policy type,
 * and its summary failure count can only be the sum of the details it adds. */
START_TEST(rebuilding_with_the_builder_loses_data)
{
    tlsrpt_report *src = parse_multi();
    tlsrpt_report *r = new_report("rebuilt", DAY, DAY + 86399);
    tlsrpt_policy *p = (tlsrpt_policy *)1;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_OTHER, "example.net", NULL, 0, NULL, 0, &p),
                     TLSRPT_EINVAL);
    const tlsrpt_policy *sp = tlsrpt_report_policy(src, 0);
    const char *strings[2] = {tlsrpt_policy_string(sp, 0), tlsrpt_policy_string(sp, 1)};
    const char *mx[1] = {tlsrpt_policy_mx_host(sp, 0)};
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", strings, 2, mx, 1, &p), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, tlsrpt_policy_failure(sp, 0), 2), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 2); /* src says 9 */
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(sp), 9);
    tlsrpt_report_free(r);
    tlsrpt_report_free(src);
}
END_TEST

START_TEST(extract_one_domain)
{
    tlsrpt_report *src = parse_multi();
    char *src_before = json_of(src);
    tlsrpt_report *one = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_extract(src, "Example.NET", "day-1.example.net", &one), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_organization_name(one), "Sender");
    ck_assert_str_eq(tlsrpt_report_contact_info(one), "tlsrpt@sender.example");
    ck_assert_str_eq(tlsrpt_report_id(one), "day-1.example.net");
    ck_assert_int_eq(tlsrpt_report_start_time(one), DAY);
    ck_assert_int_eq(tlsrpt_report_end_time(one), DAY + 86399);
    ck_assert_uint_eq(tlsrpt_report_policy_count(one), 2);
    const tlsrpt_policy *a = tlsrpt_report_policy(one, 0), *b = tlsrpt_report_policy(one, 1);
    ck_assert_str_eq(tlsrpt_policy_type_name(a), "sts");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(a), 5);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(a), 9); /* above the details' sum of 2: kept */
    ck_assert_uint_eq(tlsrpt_policy_failure_count(a), 1);
    ck_assert_str_eq(tlsrpt_failure_receiving_ip(tlsrpt_policy_failure(a, 0)), "192.0.2.5");
    ck_assert_uint_eq(tlsrpt_policy_string_count(a), 2);
    ck_assert_str_eq(tlsrpt_policy_mx_host(a, 0), "mx.example.net");
    ck_assert_str_eq(tlsrpt_policy_type_name(b), "x-future"); /* an unknown type is kept as written */
    ck_assert_int_eq(tlsrpt_policy_type(b), TLSRPT_POLICY_OTHER);
    ck_assert_str_eq(tlsrpt_policy_domain(b), "EXAMPLE.net.");
    ck_assert_ptr_null(tlsrpt_report_policy(one, 2));
    /* The extracted report serializes and reads back equal. */
    char *j = json_of(one);
    tlsrpt_report *back;
    ck_assert_int_eq(tlsrpt_report_parse(&back, j, strlen(j), 0, NULL), TLSRPT_OK);
    char why[200];
    ck_assert_msg(report_equal(one, back, why, sizeof why), "%s", why);
    tlsrpt_report_free(back);
    tlsrpt_free(j);
    tlsrpt_report_free(one);

    /* A U-label name finds the A-label policy; report_id NULL keeps src's. */
    ck_assert_int_eq(tlsrpt_report_extract(src, "b\xc3\xbc" "cher.example.", NULL, &one), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_id(one), "day-1");
    ck_assert_uint_eq(tlsrpt_report_policy_count(one), 1);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(one, 0)), 3);
    tlsrpt_report_free(one);

    /* No policy for the domain: an empty report. */
    ck_assert_int_eq(tlsrpt_report_extract(src, "absent.example", "x", &one), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(one), 0);
    tlsrpt_report_free(one);

    one = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_extract(src, "_smtp._tls.example.net", NULL, &one), TLSRPT_EINVAL);
    ck_assert_ptr_null(one);
    ck_assert_int_eq(tlsrpt_report_extract(src, "example.net", "", &one), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_extract(src, "example.net", "\xff", &one), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_extract(src, NULL, NULL, &one), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_extract(NULL, "example.net", NULL, &one), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_extract(src, "example.net", NULL, NULL), TLSRPT_EINVAL);
    char *src_after = json_of(src);
    ck_assert_str_eq(src_after, src_before);
    tlsrpt_free(src_before);
    tlsrpt_free(src_after);
    tlsrpt_report_free(src);
}
END_TEST

START_TEST(merge_policy_between_reports)
{
    tlsrpt_report *src = parse_multi();
    tlsrpt_report *dst = new_report("mine", DAY, DAY + 86399);
    tlsrpt_policy *p = (tlsrpt_policy *)1;
    /* Not in dst: a copy with every count and detail, the unknown type kept. */
    ck_assert_int_eq(tlsrpt_report_merge_policy(dst, tlsrpt_report_policy(src, 0), &p), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), 1);
    ck_assert_ptr_eq(p, tlsrpt_report_policy(dst, 0));
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 9);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 1);
    ck_assert_int_eq(tlsrpt_report_merge_policy(dst, tlsrpt_report_policy(src, 2), NULL), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_policy_type_name(tlsrpt_report_policy(dst, 1)), "x-future");
    /* Again: the counts add, nothing is appended. */
    tlsrpt_policy *q;
    ck_assert_int_eq(tlsrpt_report_merge_policy(dst, tlsrpt_report_policy(src, 0), &q), TLSRPT_OK);
    ck_assert_ptr_eq(q, p);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), 2);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 10);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 18);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 0)), 4);
    /* dst's own policy: doubles. */
    ck_assert_int_eq(tlsrpt_report_merge_policy(dst, p, &q), TLSRPT_OK);
    ck_assert_ptr_eq(q, p);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 20);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 0)), 8);
    /* metadata and period unchanged */
    ck_assert_str_eq(tlsrpt_report_id(dst), "mine");
    ck_assert_int_eq(tlsrpt_report_end_time(dst), DAY + 86399);
    /* overflow: ELIMIT, dst unchanged */
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, UINT64_MAX - 20), TLSRPT_OK);
    char *before = json_of(dst);
    ck_assert_int_eq(tlsrpt_report_merge_policy(dst, tlsrpt_report_policy(src, 0), &q), TLSRPT_ELIMIT);
    ck_assert_ptr_null(q);
    char *after = json_of(dst);
    ck_assert_str_eq(after, before);
    tlsrpt_free(before);
    tlsrpt_free(after);
    ck_assert_int_eq(tlsrpt_report_merge_policy(NULL, p, &q), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_merge_policy(dst, NULL, &q), TLSRPT_EINVAL);
    tlsrpt_report_free(dst);
    tlsrpt_report_free(src);
}
END_TEST

/* ---- UTC days and the period-keeping merge --------------------------------------------------------------------- */

START_TEST(utc_days)
{
    int64_t start = 1, end = 1;
    ck_assert_int_eq(tlsrpt_utc_day(DAY, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(start, DAY);
    ck_assert_int_eq(end, DAY + 86399);
    ck_assert_int_eq(tlsrpt_utc_day(DAY + 86399, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(start, DAY);
    ck_assert_int_eq(tlsrpt_utc_day(DAY + 86400, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(start, DAY + 86400);
    ck_assert_int_eq(tlsrpt_utc_day(DAY + 45296, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(start, DAY);
    ck_assert_int_eq(tlsrpt_utc_day(0, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(start, 0);
    ck_assert_int_eq(end, 86399);
    ck_assert_int_eq(tlsrpt_utc_day(-1, &start, &end), TLSRPT_OK); /* 1969-12-31 */
    ck_assert_int_eq(start, -86400);
    ck_assert_int_eq(end, -1);
    ck_assert_int_eq(tlsrpt_utc_day(TRPT_TIME_MIN, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(start, TRPT_TIME_MIN);
    ck_assert_int_eq(tlsrpt_utc_day(TRPT_TIME_MAX, &start, &end), TLSRPT_OK);
    ck_assert_int_eq(end, TRPT_TIME_MAX);
    ck_assert_int_eq(tlsrpt_utc_day(TRPT_TIME_MAX + 1, &start, &end), TLSRPT_EINVAL);
    ck_assert_int_eq(start, 0);
    ck_assert_int_eq(end, 0);
    ck_assert_int_eq(tlsrpt_utc_day(TRPT_TIME_MIN - 1, &start, &end), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_utc_day(INT64_MIN, &start, &end), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_utc_day(DAY, NULL, &end), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_utc_day(DAY, &start, NULL), TLSRPT_EINVAL);
    /* The period tlsrpt_report_new takes. */
    tlsrpt_utc_day(DAY + 3600, &start, &end);
    tlsrpt_report *r = new_report("rid", start, end);
    tlsrpt_report_free(r);
}
END_TEST

/* Seen (c): merging tomorrow into today widened today's period to two days (1.0 merge, kept as it is documented);
 * merge_within refuses it and leaves today unchanged. */
START_TEST(merge_within_refuses_other_periods)
{
    tlsrpt_report *today = new_report("today", DAY, DAY + 86399);
    tlsrpt_report *tomorrow = new_report("tomorrow", DAY + 86400, DAY + 2 * 86400 - 1);
    tlsrpt_policy *p = nopolicy(tomorrow, "example.net");
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 3), TLSRPT_OK);
    nopolicy(today, "example.org");
    char *before = json_of(today);

    ck_assert_int_eq(tlsrpt_report_merge_within(today, tomorrow), TLSRPT_ESEMANTIC);
    char *after = json_of(today);
    ck_assert_str_eq(after, before);
    tlsrpt_free(after);
    ck_assert_int_eq(tlsrpt_report_end_time(today) - tlsrpt_report_start_time(today), 86399);

    /* The 1.0 merge widens, as its manual says. */
    tlsrpt_report *copy = new_report("today", DAY, DAY + 86399);
    ck_assert_int_eq(tlsrpt_report_merge(copy, tomorrow), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_end_time(copy) - tlsrpt_report_start_time(copy), 172799);
    tlsrpt_report_free(copy);

    /* An hour of today, and today itself, merge; the period stays. */
    tlsrpt_report *hour = new_report("hour", DAY + 3600, DAY + 7199);
    ck_assert_int_eq(tlsrpt_policy_add_successes(nopolicy(hour, "example.org"), 2), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge_within(today, hour), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge_within(today, today), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_start_time(today), DAY);
    ck_assert_int_eq(tlsrpt_report_end_time(today), DAY + 86399);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(today, 0)), 4);
    /* One second over either end is refused. */
    tlsrpt_report *late = new_report("late", DAY + 3600, DAY + 86400);
    tlsrpt_report *early = new_report("early", DAY - 1, DAY + 3600);
    ck_assert_int_eq(tlsrpt_report_merge_within(today, late), TLSRPT_ESEMANTIC);
    ck_assert_int_eq(tlsrpt_report_merge_within(today, early), TLSRPT_ESEMANTIC);
    /* A parsed report without a date-range cannot be placed. */
    static const char json[] = "{\"organization-name\":\"o\",\"report-id\":\"i\",\"policies\":[]}";
    tlsrpt_report *undated;
    ck_assert_int_eq(tlsrpt_report_parse(&undated, json, sizeof json - 1, 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge_within(today, undated), TLSRPT_ESEMANTIC);
    ck_assert_int_eq(tlsrpt_report_merge_within(undated, today), TLSRPT_ESEMANTIC);
    ck_assert_int_eq(tlsrpt_report_merge_within(NULL, today), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_merge_within(today, NULL), TLSRPT_EINVAL);
    tlsrpt_free(before);
    tlsrpt_report_free(undated);
    tlsrpt_report_free(late);
    tlsrpt_report_free(early);
    tlsrpt_report_free(hour);
    tlsrpt_report_free(today);
    tlsrpt_report_free(tomorrow);
}
END_TEST

/* ---- Every allocation failed in turn: TLSRPT_ENOMEM and nothing changed -------------------------------------------- */

enum op { OP_TLSA, OP_MERGE_POLICY, OP_MERGE_OWN, OP_EXTRACT, OP_SET_TYPE, OP_RESET, OP_MESSAGE, OP_CHECK, OP_ASCII,
          OP_COUNT };

START_TEST(allocation_failures_change_nothing)
{
    enum op op = (enum op)_i;
    for (long k = 0;; k++) {
        tlsrpt_report *src = parse_multi();
        tlsrpt_report *r = new_report("rid", DAY, DAY + 86399);
        tlsrpt_policy *mine = nopolicy(r, "example.org");
        tlsrpt_failure *f;
        ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.1"), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_policy_add_failures(mine, f, 2), TLSRPT_OK);
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        char *before = json_of(r);
        uint8_t u[2] = {3, 2}, sel[2] = {1, 0}, m[2] = {1, 1};
        const uint8_t *data[2] = {short_c, sha_b};
        size_t len[2] = {2, 4};
        const char *to[2] = {"a@b\xc3\xbc" "cher.example", "J\xc3\xb6rg <j@p.example>"};
        tlsrpt_policy *p = (tlsrpt_policy *)1;
        tlsrpt_report *out = (tlsrpt_report *)1;
        char *text = (char *)1;
        size_t text_len = 5;

        arm(k);
        int rc = TLSRPT_OK;
        switch (op) {
        case OP_TLSA: rc = tlsrpt_report_add_tlsa_policy(r, "b\xc3\xbc" "cher.example", u, sel, m, data, len, 2, &p);
            break;
        case OP_MERGE_POLICY: rc = tlsrpt_report_merge_policy(r, tlsrpt_report_policy(src, 0), &p); break;
        case OP_MERGE_OWN: rc = tlsrpt_report_merge_policy(r, mine, &p); break;
        case OP_EXTRACT: rc = tlsrpt_report_extract(src, "b\xc3\xbc" "cher.example", "new-id", &out); break;
        case OP_SET_TYPE: rc = tlsrpt_failure_set_result_type(f, "x-a-much-longer-result-type-name"); break;
        case OP_RESET: rc = tlsrpt_failure_reset(f, "x-a-much-longer-result-type-name"); break;
        case OP_MESSAGE:
            rc = tlsrpt_report_to_message_recipients(r, "\"M\xc3\xbcller\" <m@s.example>", to, 2, "example.org",
                                                     "s.example", &text, &text_len);
            break;
        case OP_CHECK: rc = tlsrpt_domain_check("_smtp._tls.example.org", d); break;
        case OP_ASCII: rc = tlsrpt_domain_to_ascii("B\xc3\xbc" "cher.Example", &text); break;
        default: ck_abort();
        }
        long seen = disarm();
        int done = k >= seen;
        if (done) {
            ck_assert_int_eq(rc, op == OP_CHECK ? TLSRPT_EINVAL : TLSRPT_OK);
        } else {
            if (op == OP_CHECK && rc == TLSRPT_EINVAL) /* the finding was stored (its quoted text was not) */
                ck_assert_int_ge(diag_find(d, "domain-record-name"), 0);
            else
                ck_assert_msg(rc == TLSRPT_ENOMEM, "op %d, allocation %ld: rc %d", (int)op, k, rc);
            char *after = json_of(r);
            ck_assert_str_eq(after, before);
            tlsrpt_free(after);
            if (op == OP_TLSA || op == OP_MERGE_POLICY || op == OP_MERGE_OWN)
                ck_assert_ptr_null(p);
            if (op == OP_EXTRACT)
                ck_assert_ptr_null(out);
            if (op == OP_MESSAGE || op == OP_ASCII)
                ck_assert_ptr_null(text);
            if (op == OP_MESSAGE)
                ck_assert_uint_eq(text_len, 0);
            ck_assert_str_eq(tlsrpt_failure_result_type(f), "certificate-expired");
            ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), "192.0.2.1");
        }
        if (done && op == OP_EXTRACT)
            tlsrpt_report_free(out);
        if (done && (op == OP_MESSAGE || op == OP_ASCII))
            tlsrpt_free(text);
        tlsrpt_free(before);
        tlsrpt_diag_free(d);
        tlsrpt_failure_free(f);
        tlsrpt_report_free(r);
        tlsrpt_report_free(src);
        if (done) {
            ck_assert_int_gt(k, 0); /* each operation allocates: the loop failed something */
            break;
        }
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report_safe");
    TCase *tc = tcase_create("details");
    tcase_add_test(tc, owned_detail_setters_refuse);
    tcase_add_test(tc, reuse_one_detail);
    suite_add_tcase(s, tc);
    tc = tcase_create("tlsa");
    tcase_add_test(tc, tlsa_any_order_one_policy);
    tcase_add_test(tc, tlsa_sorting_duplicates_and_rejects);
    suite_add_tcase(s, tc);
    tc = tcase_create("per-domain");
    tcase_add_test(tc, rebuilding_with_the_builder_loses_data);
    tcase_add_test(tc, extract_one_domain);
    tcase_add_test(tc, merge_policy_between_reports);
    tcase_add_test(tc, utc_days);
    tcase_add_test(tc, merge_within_refuses_other_periods);
    suite_add_tcase(s, tc);
    tc = tcase_create("enomem");
    tcase_add_loop_test(tc, allocation_failures_change_nothing, 0, OP_COUNT);
    suite_add_tcase(s, tc);
    return s;
}
