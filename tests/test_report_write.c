/* Writing reports: exact JSON (golden files in tests/data/), RFC 3339 times, parse(serialize(r)) == r on fixed,
 * parsed and random reports, gzip, the §5.1 file name and the §5.3 message (structure, headers, Report-ID, header
 * injection, limits). SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "gzip.h"
#include "report_testutil.h"

/* ---- Helpers ------------------------------------------------------------------------------------------------------- */

static char *read_src_file(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/%s", TESTS_SRCDIR, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#define DAY 1719792000 /* 2024-07-01T00:00:00Z */

/* The fixed report of the golden files: RFC 8460 Appendix B's content plus a TLSA policy, a no-policy-found policy,
 * every optional failure field, an unregistered result type and text that needs escaping. */
static tlsrpt_report *golden_report(void)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Company-X \"Mail\" \xc3\x9c", "sts-reporting@company-x.example",
                                       "5065427c-23d3-47ca-b6e0-946ea0e8c4be", DAY, DAY + 86399),
                     TLSRPT_OK);
    static const char *const sts[] = {"version: STSv1", "mode: testing", "mx: *.mail.company-y.example",
                                      "max_age: 86400"};
    static const char *const mx[] = {"*.mail.company-y.example"};
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "company-y.example", sts, 4, mx, 1, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 5326), TLSRPT_OK);
    tlsrpt_failure *f;
    ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "2001:db8:abcd:0012::1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "mx1.mail.company-y.example"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 100), TLSRPT_OK);
    tlsrpt_failure_free(f);
    ck_assert_int_eq(tlsrpt_failure_new(&f, "starttls-not-supported"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "2001:db8:abcd:0013::1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "mx2.mail.company-y.example"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, "mx2.mail.company-y.example"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, "203.0.113.56"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_additional_information(
                         f, "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 200), TLSRPT_OK);
    tlsrpt_failure_free(f);
    ck_assert_int_eq(tlsrpt_failure_new(&f, "validation-failure"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "198.51.100.62"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, "203.0.113.58"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "mx-backup.mail.company-y.example"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED\n\t\\ \x01\x7f"),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 3), TLSRPT_OK);
    tlsrpt_failure_free(f);

    static const char *const tlsa[] = {"3 0 1 1F850A337E6DB9C609C522D136A475638CC43E1ED424F8EEC8513D747D1D085D"};
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_TLSA, "mx.company-z.example", tlsa, 1, NULL, 0, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 18446744073709551615ULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_new(&f, "some-new-type"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 0), TLSRPT_OK);
    tlsrpt_failure_free(f);

    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "B\xc3\xbc" "cher.example", NULL, 0,
                                              NULL, 0, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 7), TLSRPT_OK);
    return r;
}

static tlsrpt_report *parse_or_fail(const void *data, size_t len, unsigned flags)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r = NULL;
    int rc = tlsrpt_report_parse(&r, data, len, flags, d);
    ck_assert_msg(rc == TLSRPT_OK, "parse failed (%d): %s", rc,
                  tlsrpt_diag_count(d) ? tlsrpt_diag_message(d, 0) : "no diagnostic");
    tlsrpt_diag_free(d);
    return r;
}

static void assert_round_trip(const tlsrpt_report *r, unsigned parse_flags)
{
    char why[256];
    for (unsigned flags = 0; flags <= TLSRPT_JSON_PRETTY; flags++) {
        char *json = serialize_or_fail(r, flags);
        tlsrpt_report *back = parse_or_fail(json, strlen(json), parse_flags);
        ck_assert_msg(report_equal(r, back, why, sizeof why), "round trip: %s\n%s", why, json);
        /* Deterministic, and a fixed point. */
        char *again = serialize_or_fail(back, flags);
        ck_assert_str_eq(json, again);
        free(again);
        free(json);
        tlsrpt_report_free(back);
    }
    void *gz;
    size_t gz_len;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz, &gz_len), TLSRPT_OK);
    tlsrpt_report *back = parse_or_fail(gz, gz_len, parse_flags);
    ck_assert_msg(report_equal(r, back, why, sizeof why), "gzip round trip: %s", why);
    tlsrpt_report_free(back);
    tlsrpt_free(gz);
}

/* ---- JSON --------------------------------------------------------------------------------------------------------- */

START_TEST(golden_json)
{
    tlsrpt_report *r = golden_report();
    size_t len;
    char *expect = read_src_file("report-built.pretty.json", &len);
    char *json = serialize_or_fail(r, TLSRPT_JSON_PRETTY);
    ck_assert_str_eq(json, expect);
    free(json);
    free(expect);
    expect = read_src_file("report-built.json", &len);
    ck_assert_uint_gt(len, 0);
    ck_assert_int_eq(expect[len - 1], '\n'); /* the file ends with a newline; the compact output does not */
    expect[len - 1] = '\0';
    json = serialize_or_fail(r, 0);
    ck_assert_str_eq(json, expect);
    free(json);
    free(expect);
    /* Both read back to the same report. */
    assert_round_trip(r, 0);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(serialize_arguments)
{
    tlsrpt_report *r = golden_report();
    char *out = (char *)1;
    size_t len = 99;
    ck_assert_int_eq(tlsrpt_report_serialize(NULL, 0, &out, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, NULL, &len), TLSRPT_EINVAL);
    out = (char *)1;
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0x2, &out, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, &out, NULL), TLSRPT_OK); /* the length is optional */
    tlsrpt_free(out);
    void *gz = (void *)1;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(NULL, &gz, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(gz);
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, NULL, &len), TLSRPT_EINVAL);
    gz = (void *)1;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(gz);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(datetime_before_year_0000_is_not_written)
{
    /* A parsed time whose UTC form is before year 0000 cannot be written. */
    static const char early[] = "{\"date-range\":{\"start-datetime\":\"0000-01-01T00:00:00+01:00\","
                                "\"end-datetime\":\"0000-01-02T00:00:00Z\"},\"policies\":[]}";
    tlsrpt_report *r = parse_or_fail(TEXT(early), 0);
    ck_assert_int_eq(tlsrpt_report_start_time(r), TRPT_TIME_MIN - 3600);
    char *out = (char *)1;
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, &out, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(parsed_reports_round_trip)
{
    /* The parser's own fixture, and reports with the presence variants only parsing produces. */
    size_t len;
    char *text = read_src_file("report-full.json", &len);
    tlsrpt_report *r = parse_or_fail(text, len, 0);
    assert_round_trip(r, 0);
    tlsrpt_report_free(r);
    free(text);

    static const char *const variants[] = {
        "{\"policies\":[]}",
        "{\"organization-name\":\"\",\"contact-info\":\"\",\"report-id\":\"\",\"policies\":[]}",
        "{\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00.999+02:00\"},\"policies\":[]}",
        "{\"policies\":[{\"policy\":{\"policy-type\":\"invalid-policy-type\",\"policy-string\":[],"
        "\"mx-host\":[]},\"failure-details\":[]}]}",
        "{\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":\"a.example\"},\"summary\":{"
        "\"total-successful-session-count\":18446744073709551615,\"total-failure-session-count\":1},"
        "\"failure-details\":[{\"result-type\":\"x\",\"failure-error-code\":\"old\",\"failed-session-count\":1},"
        "{\"result-type\":\"\\u0001\\\"\\u00e9\\ud83d\\ude00\",\"receiving-mx-helo\":\"not a host\","
        "\"sending-mta-ip\":\"2001:DB8::1\"}]}]}",
        "{\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":null}}]}",
    };
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        r = parse_or_fail(variants[i], strlen(variants[i]), 0);
        assert_round_trip(r, 0);
        tlsrpt_report_free(r);
    }
    /* The 'null' of the last one is not written back: the member is left out. */
    r = parse_or_fail(variants[5], strlen(variants[5]), 0);
    char *json = serialize_or_fail(r, 0);
    ck_assert_str_eq(json, "{\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\"},\"summary\":{"
                           "\"total-successful-session-count\":0,\"total-failure-session-count\":0}}]}");
    free(json);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Random reports --------------------------------------------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *g)
{
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned below(rng *g, unsigned n)
{
    return (unsigned)(next_u64(g) % n);
}

/* Random UTF-8 text (controls, quotes, backslashes, 2-4 byte characters), NUL-terminated, at most 60 bytes. */
static void random_text(rng *g, char *out, int nonempty)
{
    static const char *const pieces[] = {"a", "Z", "0", " ", "-", ".", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
                                         "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "@", ":", "}"};
    size_t n = below(g, 12) + (nonempty ? 1 : 0), len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = pieces[below(g, sizeof pieces / sizeof pieces[0])];
        size_t k = strlen(p);
        memcpy(out + len, p, k);
        len += k;
    }
    out[len] = '\0';
}

static void random_host(rng *g, char *out)
{
    static const char *const labels[] = {"mx", "mail", "a", "b-c", "x1", "xn--bcher-kva", "backup"};
    size_t n = 1 + below(g, 3), len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = labels[below(g, sizeof labels / sizeof labels[0])];
        len += (size_t)sprintf(out + len, "%s.", l);
    }
    sprintf(out + len, "example");
}

static void random_ip(rng *g, char *out)
{
    if (below(g, 2))
        sprintf(out, "%u.%u.%u.%u", below(g, 256), below(g, 256), below(g, 256), below(g, 256));
    else
        sprintf(out, "2001:db8:%x::%x", below(g, 0x10000), below(g, 0x10000));
}

static uint64_t random_count(rng *g)
{
    switch (below(g, 4)) {
    case 0:
        return below(g, 10);
    case 1:
        return next_u64(g) >> 40;
    default:
        return next_u64(g) >> (1 + below(g, 40)); /* sums of a few stay below 2^64 */
    }
}

static tlsrpt_report *random_report(rng *g)
{
    char org[64], id[64], contact[64];
    random_text(g, org, 1);
    random_text(g, id, 1);
    random_text(g, contact, 0);
    int64_t start = (int64_t)(next_u64(g) % (uint64_t)(TRPT_TIME_MAX - TRPT_TIME_MIN)) + TRPT_TIME_MIN;
    int64_t end = start + 1 + (int64_t)below(g, 200000);
    if (end > TRPT_TIME_MAX) {
        end = TRPT_TIME_MAX;
        start = end - 86400;
    }
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, org, below(g, 4) ? contact : NULL, id, start, end), TLSRPT_OK);
    unsigned n_policies = below(g, 5);
    for (unsigned i = 0; i < n_policies; i++) {
        char domain[64], strings_buf[4][64], mx_buf[3][70];
        const char *strings[4], *mx[3];
        random_host(g, domain);
        unsigned ns = below(g, 5), nm = below(g, 4);
        for (unsigned k = 0; k < ns; k++) {
            random_text(g, strings_buf[k], 0);
            strings[k] = strings_buf[k];
        }
        for (unsigned k = 0; k < nm; k++) {
            char host[64];
            random_host(g, host);
            sprintf(mx_buf[k], "%s%s", below(g, 2) ? "*." : "", host);
            mx[k] = mx_buf[k];
        }
        tlsrpt_policy *p;
        int type = 1 + (int)below(g, 3);
        ck_assert_int_eq(tlsrpt_report_add_policy(r, type, domain, strings, ns, mx, nm, &p), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_policy_add_successes(p, random_count(g)), TLSRPT_OK);
        unsigned nf = below(g, 6);
        for (unsigned k = 0; k < nf; k++) {
            static const char *const types[] = {"certificate-expired", "starttls-not-supported", "tlsa-invalid",
                                                "sts-policy-fetch-error", "validation-failure", "x-local"};
            tlsrpt_failure *f;
            char text[64];
            ck_assert_int_eq(tlsrpt_failure_new(&f, types[below(g, 6)]), TLSRPT_OK);
            if (below(g, 2)) {
                random_ip(g, text);
                ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, text), TLSRPT_OK);
            }
            if (below(g, 2)) {
                random_ip(g, text);
                ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, text), TLSRPT_OK);
            }
            if (below(g, 2)) {
                random_host(g, text);
                ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, text), TLSRPT_OK);
            }
            if (below(g, 3) == 0) {
                random_host(g, text);
                ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, below(g, 2) ? text : "[192.0.2.1]"),
                                 TLSRPT_OK);
            }
            if (below(g, 3) == 0)
                ck_assert_int_eq(tlsrpt_failure_set_additional_information(f, "https://e.example/i?q=1#x"),
                                 TLSRPT_OK);
            if (below(g, 2)) {
                random_text(g, text, 0);
                ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, text), TLSRPT_OK);
            }
            uint64_t c = random_count(g);
            int rc = tlsrpt_policy_add_failures(p, f, c);
            ck_assert(rc == TLSRPT_OK || rc == TLSRPT_ELIMIT);
            tlsrpt_failure_free(f);
        }
    }
    /* Presence variants the builder does not produce but a parsed report can have. */
    if (n_policies > 0 && below(g, 3) == 0) {
        tlsrpt_policy *p = r->policies[below(g, n_policies)];
        p->has_failures = 1;
        if (p->n_strings == 0)
            p->has_strings = below(g, 2);
        if (p->n_mx_hosts == 0)
            p->has_mx_hosts = below(g, 2);
    }
    if (below(g, 8) == 0)
        r->organization_name = NULL; /* its bytes stay in the report's arena until the report is freed */
    if (below(g, 8) == 0)
        r->has_end_time = 0;
    return r;
}

START_TEST(random_reports_round_trip)
{
    rng g = {0xabcdef12345ULL + (uint64_t)_i * 7919};
    for (int i = 0; i < 150; i++) {
        tlsrpt_report *r = random_report(&g);
        assert_round_trip(r, 0);
        tlsrpt_report_free(r);
    }
}
END_TEST

/* ---- gzip ------------------------------------------------------------------------------------------------------------ */

START_TEST(gzip_output)
{
    tlsrpt_report *r = golden_report();
    void *gz1, *gz2;
    size_t n1, n2;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz1, &n1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz2, &n2), TLSRPT_OK);
    ck_assert_uint_eq(n1, n2);
    ck_assert_int_eq(memcmp(gz1, gz2, n1), 0);
    const unsigned char *h = gz1;
    /* ID1 ID2 CM=deflate FLG=0 (no name, no comment, no extra) MTIME=0. */
    ck_assert_uint_gt(n1, 18);
    ck_assert_int_eq(h[0], 0x1f);
    ck_assert_int_eq(h[1], 0x8b);
    ck_assert_int_eq(h[2], 8);
    ck_assert_int_eq(h[3], 0);
    ck_assert_int_eq(h[4] | h[5] | h[6] | h[7], 0);
    unsigned char *json;
    size_t json_len;
    ck_assert_int_eq(trpt_gzip_decompress(gz1, n1, TLSRPT_MAX_REPORT_SIZE, &json, &json_len, NULL), TLSRPT_OK);
    char *compact = serialize_or_fail(r, 0);
    ck_assert_uint_eq(json_len, strlen(compact));
    ck_assert_int_eq(memcmp(json, compact, json_len), 0);
    free(compact);
    free(json);
    tlsrpt_free(gz1);
    tlsrpt_free(gz2);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- File name ------------------------------------------------------------------------------------------------------- */

START_TEST(filename_abnf)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", NULL, "i", 1470013207, 1470186007), TLSRPT_OK);
    char *name = (char *)1;
    ck_assert_int_eq(tlsrpt_report_filename(r, "mail.sndr.example.com", "example.net", "001", 1, &name), TLSRPT_OK);
    ck_assert_str_eq(name, "mail.sndr.example.com!example.net!1470013207!1470186007!001.json.gz"); /* §5.1 example */
    tlsrpt_free(name);
    ck_assert_int_eq(tlsrpt_report_filename(r, "Mail.Sndr.Example.COM.", "B\xc3\xbc" "cher.example", NULL, 0, &name),
                     TLSRPT_OK);
    ck_assert_str_eq(name, "mail.sndr.example.com!xn--bcher-kva.example!1470013207!1470186007.json");
    tlsrpt_free(name);
    ck_assert_int_eq(tlsrpt_report_filename(r, "s.example", "p.example", "AbC123xyz", 7, &name), TLSRPT_OK);
    ck_assert_str_eq(name, "s.example!p.example!1470013207!1470186007!AbC123xyz.json.gz");
    tlsrpt_free(name);

    static const char *const bad_ids[] = {"", "0-1", "a_b", "a.b", "a!b", "\xc3\xa9", " 1"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        name = (char *)1;
        ck_assert_msg(tlsrpt_report_filename(r, "s.example", "p.example", bad_ids[i], 1, &name) == TLSRPT_EINVAL,
                      "unique id '%s' accepted", bad_ids[i]);
        ck_assert_ptr_null(name);
    }
    ck_assert_int_eq(tlsrpt_report_filename(r, "s!example", "p.example", NULL, 1, &name), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_filename(r, "s.example", "p example", NULL, 1, &name), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_filename(r, NULL, "p.example", NULL, 1, &name), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_filename(r, "s.example", NULL, NULL, 1, &name), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_filename(NULL, "s.example", "p.example", NULL, 1, &name), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_filename(r, "s.example", "p.example", NULL, 1, NULL), TLSRPT_EINVAL);
    tlsrpt_report_free(r);

    /* Times before 1970 have no 1*DIGIT form; a parsed report without an end time has no name. */
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", NULL, "i", -86400, 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_filename(r, "s.example", "p.example", NULL, 1, &name), TLSRPT_EINVAL);
    tlsrpt_report_free(r);
    r = parse_or_fail(TEXT("{\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\"},\"policies\":[]}"), 0);
    ck_assert_int_eq(tlsrpt_report_filename(r, "s.example", "p.example", NULL, 1, &name), TLSRPT_EINVAL);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Message ------------------------------------------------------------------------------------------------------ */

/* Every line ends with CRLF (no bare CR or LF) and has at most 998 octets; every byte is ASCII. */
static void assert_message_lines(const char *msg, size_t len)
{
    ck_assert_uint_eq(strlen(msg), len);
    size_t line_start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)msg[i];
        ck_assert_msg(c < 0x80 && c != 0, "non-ASCII or NUL byte at %zu", i);
        if (c == '\r') {
            ck_assert_msg(i + 1 < len && msg[i + 1] == '\n', "bare CR at %zu", i);
            ck_assert_uint_le(i - line_start, 998);
            i++;
            line_start = i + 1;
        } else {
            ck_assert_msg(c != '\n', "bare LF at %zu", i);
        }
    }
    ck_assert_uint_eq(line_start, len); /* ends with CRLF */
}

/* The value of a header field in the header section (unfolded: CRLF SP becomes SP); NULL when absent. */
static char *header_value(const char *msg, const char *name)
{
    const char *end = strstr(msg, "\r\n\r\n");
    ck_assert_ptr_nonnull(end);
    size_t nlen = strlen(name);
    for (const char *p = msg; p && p < end; p = strstr(p, "\r\n"), p = p ? p + 2 : NULL) {
        if (strncmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            while (*v == ' ')
                v++;
            char *out = malloc(1000 * 4);
            ck_assert_ptr_nonnull(out);
            size_t n = 0;
            while (v < end + 2) {
                if (v[0] == '\r' && v[1] == '\n') {
                    if (v[2] != ' ' && v[2] != '\t')
                        break;
                    v += 2;
                    continue;
                }
                out[n++] = *v++;
            }
            out[n] = '\0';
            return out;
        }
    }
    return NULL;
}

static void assert_header(const char *msg, const char *name, const char *value)
{
    char *v = header_value(msg, name);
    ck_assert_msg(v != NULL, "header %s missing", name);
    ck_assert_str_eq(v, value);
    free(v);
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

START_TEST(message_structure)
{
    tlsrpt_report *r = golden_report();
    char *msg;
    size_t len;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "TLS Reports <tlsrpt-noreply@company-x.example>",
                                              "reports@company-y.example", "Company-Y.example", "company-x.example",
                                              &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len);
    assert_header(msg, "From", "TLS Reports <tlsrpt-noreply@company-x.example>");
    assert_header(msg, "To", "reports@company-y.example");
    assert_header(msg, "Subject", "Report Domain: company-y.example Submitter: company-x.example Report-ID: "
                                  "<5065427c-23d3-47ca-b6e0-946ea0e8c4be@company-x.example>");
    assert_header(msg, "Date", "Mon, 01 Jul 2024 23:59:59 +0000");
    assert_header(msg, "MIME-Version", "1.0");
    assert_header(msg, "TLS-Report-Domain", "company-y.example");
    assert_header(msg, "TLS-Report-Submitter", "company-x.example");
    assert_header(msg, "TLS-Required", "No");
    assert_header(msg, "Auto-Submitted", "auto-generated");
    char *mid = header_value(msg, "Message-ID");
    ck_assert_ptr_nonnull(mid);
    ck_assert_uint_eq(strlen(mid), strlen("<tlsrpt.@company-x.example>") + 32);
    ck_assert_int_eq(strncmp(mid, "<tlsrpt.", 8), 0);
    char *ct = header_value(msg, "Content-Type");
    ck_assert_ptr_nonnull(ct);
    static const char ct_prefix[] = "multipart/report; report-type=\"tlsrpt\"; boundary=\"";
    ck_assert_int_eq(strncmp(ct, ct_prefix, sizeof ct_prefix - 1), 0);
    char boundary[128];
    size_t blen = strlen(ct) - sizeof ct_prefix;
    ck_assert_uint_lt(blen, sizeof boundary);
    memcpy(boundary, ct + sizeof ct_prefix - 1, blen);
    boundary[blen] = '\0';
    ck_assert_int_eq(ct[strlen(ct) - 1], '"');

    /* The parts: text/plain first, then the gzip report, then the closing delimiter. */
    char delim[160];
    snprintf(delim, sizeof delim, "\r\n--%s\r\n", boundary);
    const char *part1 = strstr(msg, delim);
    ck_assert_ptr_nonnull(part1);
    ck_assert_int_eq(strncmp(part1 + strlen(delim), "Content-Type: text/plain; charset=us-ascii\r\n", 44), 0);
    const char *part2 = strstr(part1 + 1, delim);
    ck_assert_ptr_nonnull(part2);
    const char *h2 = part2 + strlen(delim);
    static const char part2_headers[] =
        "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n filename=\"company-x.example!company-y.example!1719792000!1719878399"
        ".json.gz\"\r\n\r\n";
    ck_assert_int_eq(strncmp(h2, part2_headers, sizeof part2_headers - 1), 0);
    snprintf(delim, sizeof delim, "\r\n--%s--\r\n", boundary);
    const char *closing = strstr(h2, delim);
    ck_assert_ptr_nonnull(closing);
    ck_assert_ptr_eq(closing + strlen(delim), msg + len); /* nothing after the closing delimiter */

    /* Base64 lines of 76 characters (the last may be shorter), decoding to the gzip report. */
    const char *b = h2 + sizeof part2_headers - 1;
    size_t cap = (size_t)(closing - b), n = 0;
    unsigned char *gz = malloc(cap);
    ck_assert_ptr_nonnull(gz);
    uint32_t acc = 0;
    int bits = 0;
    while (b < closing + 2) {
        const char *eol = strstr(b, "\r\n");
        size_t line = (size_t)(eol - b);
        ck_assert_msg(line == 76 || eol + 2 == closing + 2, "base64 line of %zu characters", line);
        for (size_t i = 0; i < line && b[i] != '='; i++) {
            int v = b64_value((unsigned char)b[i]);
            ck_assert_int_ge(v, 0);
            acc = (acc << 6) | (uint32_t)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                gz[n++] = (unsigned char)(acc >> bits);
            }
        }
        b = eol + 2;
    }
    void *expect_gz;
    size_t expect_len;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &expect_gz, &expect_len), TLSRPT_OK);
    ck_assert_uint_eq(n, expect_len);
    ck_assert_int_eq(memcmp(gz, expect_gz, n), 0);
    tlsrpt_free(expect_gz);
    free(gz);

    /* Deterministic: the same inputs give the same bytes; another recipient gets another Message-ID. */
    char *again;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "TLS Reports <tlsrpt-noreply@company-x.example>",
                                              "reports@company-y.example", "company-y.example", "company-x.example",
                                              &again, NULL),
                     TLSRPT_OK);
    ck_assert_str_eq(msg, again);
    tlsrpt_free(again);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "TLS Reports <tlsrpt-noreply@company-x.example>",
                                              "other@company-y.example", "company-y.example", "company-x.example",
                                              &again, NULL),
                     TLSRPT_OK);
    char *mid2 = header_value(again, "Message-ID");
    ck_assert_str_ne(mid, mid2);
    free(mid2);
    tlsrpt_free(again);
    free(mid);
    free(ct);
    tlsrpt_free(msg);
    tlsrpt_report_free(r);
}
END_TEST

/* Since 1.1 a message needs a report with a policy. */
static void add_one_policy(tlsrpt_report *r, const char *domain)
{
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, domain, NULL, 0, NULL, 0, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 1), TLSRPT_OK);
}

/* The Subject's Report-ID for a report id, submitter "s.example". */
static char *subject_report_id(const char *report_id, int *rc)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", NULL, report_id, DAY, DAY + 86399), TLSRPT_OK);
    add_one_policy(r, "p.example");
    char *msg;
    *rc = tlsrpt_report_to_message(r, "a@s.example", "b@p.example", "p.example", "s.example", &msg, NULL);
    tlsrpt_report_free(r);
    if (*rc != TLSRPT_OK)
        return NULL;
    char *subject = header_value(msg, "Subject");
    ck_assert_ptr_nonnull(subject);
    tlsrpt_free(msg);
    const char *id = strstr(subject, "Report-ID: ");
    ck_assert_ptr_nonnull(id);
    char *out = trpt_strdup(id + 11);
    free(subject);
    return out;
}

START_TEST(message_report_id)
{
    static const struct {
        const char *report_id, *msgid;
    } cases[] = {
        {"5065427c-23d3", "<5065427c-23d3@s.example>"},
        {"735ff.e317+bf22029@mailexample.net", "<735ff.e317+bf22029@mailexample.net>"}, /* already a msg-id */
        {"20240701.p.example@s.example", "<20240701.p.example@s.example>"},
        {"2022-09-15T00:00:00Z_p.example", "<2022-09-15T00%3A00%3A00Z_p.example@s.example>"},
        {"133198585438131172+p.example", "<133198585438131172+p.example@s.example>"},
        {"a@b@c", "<a%40b%40c@s.example>"},
        {"a@", "<a%40@s.example>"},
        {".a..b.", "<%2Ea.%2Eb%2E@s.example>"},
        {"100%", "<100%25@s.example>"},
        {"x y<z>", "<x%20y%3Cz%3E@s.example>"},
        {"\xc3\xa9", "<%C3%A9@s.example>"},
        {"[a]\"\\", "<%5Ba%5D%22%5C@s.example>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        char *id = subject_report_id(cases[i].report_id, &rc);
        ck_assert_int_eq(rc, TLSRPT_OK);
        ck_assert_str_eq(id, cases[i].msgid);
        free(id);
    }

    /* The limit: a msg-id of TRPT_SUBJECT_MSGID_MAX (900) octets fits, one more is ELIMIT. "<" id "@s.example>"
     * adds 12 octets. */
    char long_id[1000];
    memset(long_id, 'a', 888);
    long_id[888] = '\0';
    int rc;
    char *id = subject_report_id(long_id, &rc);
    ck_assert_int_eq(rc, TLSRPT_OK);
    ck_assert_uint_eq(strlen(id), 900);
    free(id);
    long_id[888] = 'a';
    long_id[889] = '\0';
    ck_assert_ptr_null(subject_report_id(long_id, &rc));
    ck_assert_int_eq(rc, TLSRPT_ELIMIT);
}
END_TEST

START_TEST(message_rejects)
{
    tlsrpt_report *r = golden_report();
    char *msg = (char *)1;
    size_t len = 5;
    static const struct {
        const char *from, *to, *domain, *submitter;
    } bad[] = {
        {"a@s.example\r\nBcc: x@evil.example", "b@p.example", "p.example", "s.example"},
        {"a@s.example", "b@p.example\nBcc: x@evil.example", "p.example", "s.example"},
        {"a@s.example", "b@p.example", "p.example\r\nX: y", "s.example"},
        {"a@s.example", "b@p.example", "p.example", "s.example\r"},
        {"a@s.example\t", "b@p.example", "p.example", "s.example"},
        {"", "b@p.example", "p.example", "s.example"},
        {"a@s.example", "", "p.example", "s.example"},
        {"a@s.example", "b@p.example", "", "s.example"},
        {"a@s.example", "b@p.example", "p example", "s.example"},
        {"a@s.example", "b@p.example", "p.example", "s_x.example"},
        {"a@s.example", "b@p.example", "p.example", "_smtp._tls.s.example"},
        {"a@s.example", "b@p.example", "p.example\x7f", "s.example"},
        {"a@s.example\xff", "b@p.example", "p.example", "s.example"},   /* not UTF-8 */
        {"a@s.example", "b@b\xc3\xbc" "cher..example", "p.example", "s.example"}, /* a bad U-label domain */
        {"J\xc3\xb6rg", "b@p.example", "p.example", "s.example"}, /* UTF-8 but no address */
        {"a@s.example", "b@p.example", "b\xc3\xbc" "cher.example\r\nX: y", "s.example"},
        {NULL, "b@p.example", "p.example", "s.example"},
        {"a@s.example", NULL, "p.example", "s.example"},
        {"a@s.example", "b@p.example", NULL, "s.example"},
        {"a@s.example", "b@p.example", "p.example", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        msg = (char *)1;
        len = 5;
        ck_assert_msg(tlsrpt_report_to_message(r, bad[i].from, bad[i].to, bad[i].domain, bad[i].submitter, &msg,
                                               &len) == TLSRPT_EINVAL,
                      "case %zu accepted", i);
        ck_assert_ptr_null(msg);
        ck_assert_uint_eq(len, 0);
    }
    ck_assert_int_eq(tlsrpt_report_to_message(NULL, "a@s.example", "b@p.example", "p.example", "s.example", &msg,
                                              &len),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "b@p.example", "p.example", "s.example", NULL, &len),
                     TLSRPT_EINVAL);

    /* From/To length: 992 octets fill a 998-octet line with "From: "; 993 do not fit. */
    char addr[1000];
    memset(addr, 'a', 992);
    memcpy(addr + 992 - 10, "@s.example", 10);
    addr[992] = '\0';
    ck_assert_int_eq(tlsrpt_report_to_message(r, addr, "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len);
    tlsrpt_free(msg);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", addr, "p.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    tlsrpt_free(msg);
    memmove(addr + 1, addr, 993);
    ck_assert_uint_eq(strlen(addr), 993);
    ck_assert_int_eq(tlsrpt_report_to_message(r, addr, "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", addr, "p.example", "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    tlsrpt_report_free(r);

    /* Reports the message cannot describe: no report id, no end time. */
    r = parse_or_fail(TEXT("{\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\",\"end-datetime\":"
                           "\"2024-07-01T23:59:59Z\"},\"policies\":[]}"),
                      0);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    tlsrpt_report_free(r);
    r = parse_or_fail(TEXT("{\"report-id\":\"x\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\"},"
                           "\"policies\":[]}"),
                      0);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(message_long_domains_fold)
{
    /* Two 253-octet domains and a long report id: the Subject folds and no line passes 998 octets. */
    char domain[254], sender[254];
    /* Three labels of 63 octets and one of 61: 3 * 64 + 61 = 253 octets. */
    for (int i = 0; i < 4; i++) {
        size_t n = i < 3 ? 63 : 61;
        memset(domain + i * 64, 'a' + i, n);
        memset(sender + i * 64, 'k' + i, n);
        if (i < 3)
            domain[i * 64 + 63] = sender[i * 64 + 63] = '.';
    }
    domain[253] = sender[253] = '\0';
    ck_assert_uint_eq(strlen(domain), 253);
    char id[601]; /* the msg-id <id@sender> is then 856 octets, under the limit of 900 */
    memset(id, 'r', 600);
    id[600] = '\0';
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", NULL, id, DAY, DAY + 86399), TLSRPT_OK);
    add_one_policy(r, domain);
    char *msg;
    size_t len;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@b.example", "c@d.example", domain, sender, &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len);
    char *subject = header_value(msg, "Subject");
    char expect[2000];
    snprintf(expect, sizeof expect, "Report Domain: %s Submitter: %s Report-ID: <%s@%s>", domain, sender, id, sender);
    ck_assert_str_eq(subject, expect);
    free(subject);
    tlsrpt_free(msg);
    tlsrpt_report_free(r);
}
END_TEST

/* Seen (e): the U-label domains and UTF-8 mailboxes that tlsrpt_uri_mailbox returns, which add_policy and
 * filename accept, were refused by the message builder. */
START_TEST(message_idn_addresses)
{
    tlsrpt_uri *u;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, TEXT("mailto:tls-reports@b%C3%BCcher.example"), NULL), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_uri_mailbox(u), "tls-reports@b\xc3\xbc" "cher.example");
    tlsrpt_report *r = golden_report();
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "b\xc3\xbc" "cher.example", NULL, 0,
                                              NULL, 0, &p),
                     TLSRPT_OK);
    char *msg = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "J\xc3\xb6rg M\xc3\xbcller <tlsrpt@s\xc3\xa9nder.example>",
                                              tlsrpt_uri_mailbox(u), "B\xc3\xbc" "cher.example.",
                                              "S\xc3\xa9nder.example", &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len); /* all ASCII: A-labels and encoded-words */
    assert_header(msg, "To", "tls-reports@xn--bcher-kva.example");
    assert_header(msg, "From", "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <tlsrpt@xn--snder-bsa.example>");
    assert_header(msg, "TLS-Report-Domain", "xn--bcher-kva.example");
    assert_header(msg, "TLS-Report-Submitter", "xn--snder-bsa.example");
    char *subject = header_value(msg, "Subject");
    ck_assert_ptr_nonnull(strstr(subject, "Report Domain: xn--bcher-kva.example Submitter: xn--snder-bsa.example"));
    free(subject);
    /* and the reader takes it back, with no finding about the domains */
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *back;
    ck_assert_int_eq(tlsrpt_report_parse_message(&back, msg, len, 0, d), TLSRPT_OK);
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) /* only the submitter differs from the contact-info */
        ck_assert_msg(strcmp(tlsrpt_diag_id(d, i), "message-header-mismatch") != 0 ||
                          strstr(tlsrpt_diag_message(d, i), "TLS-Report-Submitter") != NULL,
                      "%s", tlsrpt_diag_message(d, i));
    tlsrpt_report_free(back);
    tlsrpt_diag_free(d);
    tlsrpt_free(msg);

    /* A quoted display name is encoded without its quotes; a long one in several encoded-words of at most 75
     * characters, never cutting a character. */
    ck_assert_int_eq(tlsrpt_report_to_message(r, "\"J\xc3\xb6rg\" <a@s.example>", "b@p.example", "p.example",
                                              "s.example", &msg, &len),
                     TLSRPT_OK);
    assert_header(msg, "From", "=?UTF-8?B?SsO2cmc=?= <a@s.example>");
    tlsrpt_free(msg);
    char name[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(name, "\xc3\xa9t\xc3\xa9");
    strcat(name, " <a@s.example>");
    ck_assert_int_eq(tlsrpt_report_to_message(r, name, "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len);
    char *from = header_value(msg, "From");
    size_t words = 0;
    for (char *w = strtok(from, " "); w; w = strtok(NULL, " ")) {
        if (strcmp(w, "<a@s.example>") == 0)
            break;
        ck_assert_uint_le(strlen(w), 75);
        ck_assert_int_eq(strncmp(w, "=?UTF-8?B?", 10), 0);
        words++;
    }
    ck_assert_uint_eq(words, 7); /* 300 octets in 45-octet words, each cut back to a character boundary */
    free(from);
    tlsrpt_free(msg);

    /* A non-ASCII local part has no ASCII form: written as UTF-8 (RFC 6532). */
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "r\xc3\xa9ports@b\xc3\xbc" "cher.example",
                                              "p.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    assert_header(msg, "To", "r\xc3\xa9ports@xn--bcher-kva.example");
    tlsrpt_free(msg);

    /* ASCII input: the 1.0 bytes (the domain of an address is not rewritten). */
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@S.Example", "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    assert_header(msg, "From", "a@S.Example");
    tlsrpt_free(msg);
    tlsrpt_uri_free(u);
    tlsrpt_report_free(r);
}
END_TEST

/* Seen (e): a report with no policy became a message. */
START_TEST(message_needs_a_policy)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", NULL, "id", DAY, DAY + 86399), TLSRPT_OK);
    char *msg = (char *)1;
    size_t len = 5;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(msg);
    ck_assert_uint_eq(len, 0);
    const char *to[] = {"b@p.example"};
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", to, 1, "p.example", "s.example", &msg,
                                                         &len),
                     TLSRPT_ESEMANTIC);
    add_one_policy(r, "p.example");
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "b@p.example", "p.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    tlsrpt_free(msg);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(message_several_recipients)
{
    tlsrpt_report *r = golden_report();
    char *one, *msg;
    size_t one_len, len;
    const char *to1[] = {"reports@company-y.example"};
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", to1[0], "company-y.example", "s.example", &one,
                                              &one_len),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", to1, 1, "company-y.example", "s.example",
                                                         &msg, &len),
                     TLSRPT_OK);
    ck_assert_uint_eq(len, one_len);
    ck_assert_str_eq(msg, one); /* one recipient: the 1.0 bytes */
    tlsrpt_free(msg);
    tlsrpt_free(one);

    const char *to3[] = {"reports@company-y.example", "TLS Team <tls@b\xc3\xbc" "cher.example>",
                         "Z\xc3\xbcrich <z@z.example>"};
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", to3, 3, "company-y.example", "s.example",
                                                         &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len);
    assert_header(msg, "To", "reports@company-y.example, TLS Team <tls@xn--bcher-kva.example>, "
                             "=?UTF-8?B?WsO8cmljaA==?= <z@z.example>");
    ck_assert_ptr_nonnull(strstr(msg, "\r\nTo: reports@company-y.example, TLS Team <tls@xn--bcher-kva.example>,\r\n"
                                      " =?UTF-8?B?WsO8cmljaA==?= <z@z.example>\r\n")); /* folded past 78 columns */
    /* The Message-ID depends on the recipients (a copy to one more address is another message). */
    char *mid3 = header_value(msg, "Message-ID");
    tlsrpt_free(msg);
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", to3, 2, "company-y.example", "s.example",
                                                         &msg, &len),
                     TLSRPT_OK);
    char *mid2 = header_value(msg, "Message-ID");
    ck_assert_str_ne(mid2, mid3);
    free(mid2);
    free(mid3);
    tlsrpt_free(msg);

    /* The limit: TLSRPT_MAX_RUA_COUNT recipients, not one more. */
    const char *many[TLSRPT_MAX_RUA_COUNT + 1];
    for (size_t i = 0; i <= TLSRPT_MAX_RUA_COUNT; i++)
        many[i] = "someone.with.a.long.name@reports.example";
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", many, TLSRPT_MAX_RUA_COUNT,
                                                         "company-y.example", "s.example", &msg, &len),
                     TLSRPT_OK);
    assert_message_lines(msg, len);
    tlsrpt_free(msg);
    msg = (char *)1;
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", many, TLSRPT_MAX_RUA_COUNT + 1,
                                                         "company-y.example", "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    ck_assert_ptr_null(msg);
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", many, 0, "company-y.example", "s.example",
                                                         &msg, &len),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", NULL, 1, "company-y.example", "s.example",
                                                         &msg, &len),
                     TLSRPT_EINVAL);
    const char *with_null[] = {"a@b.example", NULL};
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", with_null, 2, "company-y.example",
                                                         "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    ck_assert_ptr_null(msg);
    const char *injected[] = {"a@b.example", "c@d.example\r\nBcc: x@evil.example"};
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", injected, 2, "company-y.example",
                                                         "s.example", &msg, &len),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_to_message_recipients(r, "a@s.example", to3, 3, "company-y.example", "s.example",
                                                         NULL, &len),
                     TLSRPT_EINVAL);
    tlsrpt_report_free(r);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report_write");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, golden_json);
    tcase_add_test(tc, serialize_arguments);
    tcase_add_test(tc, datetime_before_year_0000_is_not_written);
    tcase_add_test(tc, parsed_reports_round_trip);
    tcase_add_loop_test(tc, random_reports_round_trip, 0, 4);
    tcase_add_test(tc, gzip_output);
    suite_add_tcase(s, tc);
    tc = tcase_create("delivery");
    tcase_add_test(tc, filename_abnf);
    tcase_add_test(tc, message_structure);
    tcase_add_test(tc, message_report_id);
    tcase_add_test(tc, message_rejects);
    tcase_add_test(tc, message_long_domains_fold);
    tcase_add_test(tc, message_idn_addresses);
    tcase_add_test(tc, message_needs_a_policy);
    tcase_add_test(tc, message_several_recipients);
    suite_add_tcase(s, tc);
    return s;
}
