/* Receiving reports in bulk (include/tlsrpt/aggregate.h): content detection and tlsrpt_report_parse_any, mbox
 * splitting, the aggregate (de-duplication, filters, every table, the overflow limit, failure injection) and the
 * flat rows (exact NDJSON and CSV text). SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_hooks.h"
#include "testutil.h"

#define DAY 86400
#define JULY_1 1719792000 /* 2024-07-01T00:00:00Z */

/* A report of org/id starting at `start`: policy "sts" for each domain with ok/bad sessions and, when bad > 0, one
 * failure detail of `bad` sessions (certificate-expired, MX "MX1.<domain>", IP 192.0.2.1). */
static tlsrpt_report *make_report(const char *org, const char *id, int64_t start, const char *const *domains,
                                  size_t n, uint64_t ok, uint64_t bad)
{
    tlsrpt_report *r = NULL;
    ck_assert_int_eq(tlsrpt_report_new(&r, org, "tlsrpt@sender.example", id, start, start + DAY - 1), TLSRPT_OK);
    for (size_t i = 0; i < n; i++) {
        tlsrpt_policy *p = NULL;
        const char *mx[] = {"mx1.example.com"};
        ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, domains[i], NULL, 0, mx, 1, &p), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_policy_add_successes(p, ok), TLSRPT_OK);
        if (bad) {
            tlsrpt_failure *f = NULL;
            char host[300];
            size_t dl = strlen(domains[i]);
            if (dl > 0 && domains[i][dl - 1] == '.')
                dl--; /* the builder takes host names without the root dot */
            snprintf(host, sizeof host, "MX1.%.*s", (int)dl, domains[i]);
            ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, host), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, "192.0.2.1"), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, bad), TLSRPT_OK);
            tlsrpt_failure_free(f);
        }
    }
    return r;
}

/* ---- Content detection ---- */

START_TEST(content_type_by_first_bytes)
{
    ck_assert_int_eq(tlsrpt_content_type(TEXT("\x1f\x8b\x08")), TLSRPT_CONTENT_GZIP);
    ck_assert_int_eq(tlsrpt_content_type(TEXT(" \r\n\t{\"a\":1}")), TLSRPT_CONTENT_JSON);
    ck_assert_int_eq(tlsrpt_content_type(TEXT("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n")), TLSRPT_CONTENT_MBOX);
    ck_assert_int_eq(tlsrpt_content_type(TEXT("From: a@example.com\n")), TLSRPT_CONTENT_MESSAGE);
    ck_assert_int_eq(tlsrpt_content_type(TEXT("Received: from x\r\n")), TLSRPT_CONTENT_MESSAGE);
    ck_assert_int_eq(tlsrpt_content_type(TEXT("Subject no colon\r\n")), TLSRPT_CONTENT_JSON);
    ck_assert_int_eq(tlsrpt_content_type(TEXT(": no name")), TLSRPT_CONTENT_JSON);
    ck_assert_int_eq(tlsrpt_content_type(TEXT("[]")), TLSRPT_CONTENT_JSON);
    ck_assert_int_eq(tlsrpt_content_type(TEXT("\x1f")), TLSRPT_CONTENT_JSON);
    ck_assert_int_eq(tlsrpt_content_type(NULL, 0), TLSRPT_CONTENT_JSON);
    ck_assert_int_eq(tlsrpt_content_type("x", 0), TLSRPT_CONTENT_JSON);
}
END_TEST

START_TEST(parse_any_reads_every_form)
{
    const char *domains[] = {"example.com"};
    tlsrpt_report *r = make_report("Org", "id-1", JULY_1, domains, 1, 5, 2);
    char *json = NULL, *msg = NULL;
    void *gz = NULL;
    size_t json_len, gz_len, msg_len;
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, &json, &json_len), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz, &gz_len), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@sender.example", "b@example.com", "example.com",
                                              "sender.example", &msg, &msg_len), TLSRPT_OK);
    const char from_line[] = "From MAILER-DAEMON Mon Jul  1 00:00:00 2024\r\n";
    char *mbox = malloc(sizeof from_line - 1 + msg_len);
    ck_assert_ptr_nonnull(mbox);
    memcpy(mbox, from_line, sizeof from_line - 1);
    memcpy(mbox + sizeof from_line - 1, msg, msg_len);
    struct {
        const void *data;
        size_t len;
    } forms[] = {{json, json_len}, {gz, gz_len}, {msg, msg_len}, {mbox, sizeof from_line - 1 + msg_len}};
    for (size_t i = 0; i < 4; i++) {
        tlsrpt_report *back = NULL;
        tlsrpt_diag *d = NULL;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_report_parse_any(&back, forms[i].data, forms[i].len, 0, d), TLSRPT_OK);
        ck_assert_str_eq(tlsrpt_report_id(back), "id-1");
        ck_assert_uint_eq(tlsrpt_policy_failed_sessions(tlsrpt_report_policy(back, 0)), 2);
        /* only the mbox form has the From-line note */
        ck_assert_int_eq(diag_find(d, "message-mbox-from-line") >= 0, i == 3);
        tlsrpt_report_free(back);
        tlsrpt_diag_free(d);
    }
    /* errors come from the parser that was chosen */
    tlsrpt_report *bad = (tlsrpt_report *)1;
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_parse_any(&bad, TEXT("Subject: x\r\n\r\n{}"), 0, d), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(bad);
    ck_assert_int_ge(diag_find(d, "message-no-report-part"), 0);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_parse_any(&bad, TEXT("[]"), 0, d), TLSRPT_ESEMANTIC);
    ck_assert_int_ge(diag_find(d, "report-not-object"), 0);
    ck_assert_int_eq(tlsrpt_report_parse_any(NULL, TEXT("{}"), 0, NULL), TLSRPT_EINVAL);
    tlsrpt_diag_free(d);
    free(mbox);
    tlsrpt_free(json);
    tlsrpt_free(gz);
    tlsrpt_free(msg);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- mbox ---- */

/* The messages of a mailbox as "[offset,len]" pairs joined, for exact comparison. */
static void split_all(const char *box, size_t len, char *out, size_t size)
{
    size_t pos = 0, off, mlen, used = 0;
    out[0] = '\0';
    int rc;
    while ((rc = tlsrpt_mbox_next(box, len, &pos, &off, &mlen)) == 1)
        used += (size_t)snprintf(out + used, size - used, "[%zu,%zu]", off, mlen);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(pos, len);
}

START_TEST(mbox_splits_on_from_lines)
{
    char got[256];
    const char box[] = "From a\nX: 1\n\nbody\nFrom the start of a line\n\nFrom b\nX: 2\n\n>From quoted\nFrom c\nY: 3\n";
    /* "body\nFrom the start..." is a separator too (mboxo/mboxrd), the empty line before "From b" is dropped,
     * a message not followed by an empty line keeps all its bytes */
    split_all(TEXT(box), got, sizeof got);
    ck_assert_str_eq(got, "[0,18][18,25][44,26][70,12]");
    const char crlf[] = "From a\r\nX: 1\r\n\r\nb\r\n\r\nFrom b\r\nX: 2\r\n";
    split_all(TEXT(crlf), got, sizeof got);
    ck_assert_str_eq(got, "[0,19][21,14]");
    /* bytes before the first From line are a message of their own; "From " inside a line separates nothing */
    split_all(TEXT("junk\nX From y\nFrom z\n"), got, sizeof got);
    ck_assert_str_eq(got, "[0,14][14,7]");
    split_all(TEXT("From only"), got, sizeof got);
    ck_assert_str_eq(got, "[0,9]");
    split_all(TEXT("\nFrom x\n"), got, sizeof got);
    ck_assert_str_eq(got, "[0,1][1,7]");
    split_all("", 0, got, sizeof got);
    ck_assert_str_eq(got, "");
    split_all(NULL, 0, got, sizeof got);
    ck_assert_str_eq(got, "");
    size_t pos = 0, off = 0, mlen = 0;
    ck_assert_int_eq(tlsrpt_mbox_next(NULL, 1, &pos, &off, &mlen), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_mbox_next("x", 1, NULL, &off, &mlen), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_mbox_next("x", 1, &pos, NULL, &mlen), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_mbox_next("x", 1, &pos, &off, NULL), TLSRPT_EINVAL);
    pos = 2;
    ck_assert_int_eq(tlsrpt_mbox_next("x", 1, &pos, &off, &mlen), TLSRPT_EINVAL);
}
END_TEST

START_TEST(mbox_many_messages_linear)
{
    /* 100,000 one-line messages: one pass each (a quadratic splitter would time out here) */
    enum { N = 100000 };
    const char msg[] = "From x\nA: b\n\n";
    size_t len = N * (sizeof msg - 1);
    char *box = malloc(len);
    ck_assert_ptr_nonnull(box);
    for (size_t i = 0; i < N; i++)
        memcpy(box + i * (sizeof msg - 1), msg, sizeof msg - 1);
    size_t pos = 0, off, mlen, n = 0;
    while (tlsrpt_mbox_next(box, len, &pos, &off, &mlen) == 1) {
        ck_assert_uint_eq(off, n * (sizeof msg - 1));
        ck_assert_uint_eq(mlen, n + 1 < N ? sizeof msg - 2 : sizeof msg - 1);
        n++;
    }
    ck_assert_uint_eq(n, N);
    free(box);
}
END_TEST

/* ---- The aggregate ---- */

START_TEST(aggregate_tables_and_duplicates)
{
    tlsrpt_aggregate *a = NULL;
    ck_assert_int_eq(tlsrpt_aggregate_new(&a), TLSRPT_OK);
    const char *ab[] = {"a.example", "B.Example."}, *a_only[] = {"A.EXAMPLE"};
    tlsrpt_report *r1 = make_report("Org One", "r1", JULY_1 + 3600, ab, 2, 100, 4);
    tlsrpt_report *r1_again = make_report("Org One", "r1", JULY_1 + 3600, ab, 2, 100, 4);
    tlsrpt_report *r1_other_domain = make_report("Org One", "r1", JULY_1 + 3600, a_only, 1, 10, 0);
    tlsrpt_report *r2 = make_report("Org Two", "r2", JULY_1 + DAY, a_only, 1, 7, 3);
    /* a report without "report-id" (lenient parse; the builder requires one): 2024-06-30T23:59:55Z */
    tlsrpt_report *no_id = NULL;
    ck_assert_int_eq(tlsrpt_report_parse(&no_id, TEXT("{\"organization-name\":\"Org Two\",\"date-range\":{"
                                                      "\"start-datetime\":\"2024-06-30T23:59:55Z\",\"end-datetime\":"
                                                      "\"2024-07-01T23:59:54Z\"},\"contact-info\":\"c\",\"policies\":"
                                                      "[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":"
                                                      "\"a.example\"},\"summary\":{\"total-successful-session-count\""
                                                      ":1,\"total-failure-session-count\":0}}]}"),
                                         0, NULL),
                     TLSRPT_OK);
    ck_assert_ptr_null(tlsrpt_report_id(no_id));
    int verdict = 0;
    ck_assert_int_eq(tlsrpt_aggregate_add(a, r1, &verdict), TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AGGREGATE_ADDED);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, r1_again, &verdict), TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AGGREGATE_DUPLICATE);
    /* the same id for another policy domain is another report */
    ck_assert_int_eq(tlsrpt_aggregate_add(a, r1_other_domain, &verdict), TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AGGREGATE_ADDED);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, r2, NULL), TLSRPT_OK);
    /* without a report-id: never a duplicate */
    ck_assert_int_eq(tlsrpt_aggregate_add(a, no_id, &verdict), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, no_id, &verdict), TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AGGREGATE_ADDED);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED), 5);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_DUPLICATE), 1);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_FILTERED), 0);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, 0), 0);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, 4), 0);
    ck_assert_int_eq(tlsrpt_aggregate_start_time(a), JULY_1 - 5);
    ck_assert_int_eq(tlsrpt_aggregate_end_time(a), JULY_1 + 2 * DAY - 1);

    /* DAYS: (a.example, June 30) from no_id twice, (a.example, July 1) from r1 and r1_other_domain,
     * (b.example, July 1), (a.example, July 2) — in first-counted order */
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_DAYS), 4);
    const struct {
        const char *key;
        int64_t day;
        uint64_t ok, bad;
    } days[] = {{"a.example", JULY_1, 110, 4}, {"b.example", JULY_1, 100, 4}, {"a.example", JULY_1 + DAY, 7, 3},
                {"a.example", JULY_1 - DAY, 2, 0}};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DAYS, i), days[i].key);
        ck_assert_int_eq(tlsrpt_aggregate_row_day(a, TLSRPT_TABLE_DAYS, i), days[i].day);
        ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DAYS, i), days[i].ok);
        ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DAYS, i), days[i].bad);
    }
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_DOMAINS), 2);
    ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DOMAINS, 0), "a.example");
    ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DOMAINS, 0), 119);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DOMAINS, 0), 7);
    ck_assert_int_eq(tlsrpt_aggregate_row_day(a, TLSRPT_TABLE_DOMAINS, 0), 0);
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_ORGANIZATIONS), 2);
    ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_ORGANIZATIONS, 0), "Org One");
    ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_ORGANIZATIONS, 0), 210);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_ORGANIZATIONS, 0), 8);
    ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_ORGANIZATIONS, 1), 9);
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_RESULT_TYPES), 1);
    ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_RESULT_TYPES, 0), "certificate-expired");
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_RESULT_TYPES, 0), 11);
    ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_RESULT_TYPES, 0), 0);
    /* MX names lower-cased (a trailing dot removed too: tests/cli/test_bulk_cli.py, from parsed reports) */
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_MX_HOSTS), 2);
    ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_MX_HOSTS, 0), "mx1.a.example");
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_MX_HOSTS, 0), 7);
    ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_MX_HOSTS, 1), "mx1.b.example");
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_RECEIVING_IPS), 1);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_RECEIVING_IPS, 0), 11);
    /* bad tables and indexes */
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, 0), 0);
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, 7), 0);
    ck_assert_ptr_null(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DAYS, 4));
    ck_assert_ptr_null(tlsrpt_aggregate_row_key(a, 9, 0));
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DAYS, 99), 0);
    ck_assert_ptr_null(tlsrpt_aggregate_row_key(NULL, TLSRPT_TABLE_DAYS, 0));
    ck_assert_uint_eq(tlsrpt_aggregate_count(NULL, TLSRPT_AGGREGATE_ADDED), 0);
    ck_assert_int_eq(tlsrpt_aggregate_add(NULL, r1, &verdict), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, NULL, &verdict), TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, 0);
    ck_assert_int_eq(tlsrpt_aggregate_new(NULL), TLSRPT_EINVAL);
    tlsrpt_aggregate_free(NULL);
    tlsrpt_report_free(r1);
    tlsrpt_report_free(r1_again);
    tlsrpt_report_free(r1_other_domain);
    tlsrpt_report_free(r2);
    tlsrpt_report_free(no_id);
    tlsrpt_aggregate_free(a);
}
END_TEST

START_TEST(aggregate_filters)
{
    tlsrpt_aggregate *a = NULL;
    ck_assert_int_eq(tlsrpt_aggregate_new(&a), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_set_domain(a, "B.example."), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_set_period(a, JULY_1, JULY_1 + DAY), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_set_period(a, 2, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_aggregate_set_period(NULL, 1, 2), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_aggregate_set_domain(NULL, "x"), TLSRPT_EINVAL);
    const char *ab[] = {"a.example", "b.example"}, *a_only[] = {"a.example"};
    tlsrpt_report *both = make_report("O", "1", JULY_1, ab, 2, 10, 1);
    tlsrpt_report *only_a = make_report("O", "2", JULY_1, a_only, 1, 10, 1);
    tlsrpt_report *late = make_report("O", "3", JULY_1 + DAY, ab, 2, 10, 1);
    tlsrpt_report *last_second = make_report("O", "4", JULY_1 + DAY - 1, ab, 2, 1, 0);
    int v = 0;
    ck_assert_int_eq(tlsrpt_aggregate_add(a, both, &v), TLSRPT_OK);
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_ADDED);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, only_a, &v), TLSRPT_OK);
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_FILTERED);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, only_a, &v), TLSRPT_OK); /* remembered: now a duplicate */
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_DUPLICATE);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, late, &v), TLSRPT_OK); /* until is exclusive */
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_FILTERED);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, last_second, &v), TLSRPT_OK);
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_ADDED);
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_DOMAINS), 1);
    ck_assert_str_eq(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DOMAINS, 0), "b.example");
    ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DOMAINS, 0), 11);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_ORGANIZATIONS, 0), 1);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_FILTERED), 2);
    /* NULL: every domain again */
    ck_assert_int_eq(tlsrpt_aggregate_set_domain(a, NULL), TLSRPT_OK);
    tlsrpt_report *again = make_report("O", "5", JULY_1, a_only, 1, 3, 0);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, again, &v), TLSRPT_OK);
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_ADDED);
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_DOMAINS), 2);
    tlsrpt_report_free(both);
    tlsrpt_report_free(only_a);
    tlsrpt_report_free(late);
    tlsrpt_report_free(last_second);
    tlsrpt_report_free(again);
    tlsrpt_aggregate_free(a);
}
END_TEST

START_TEST(aggregate_overflow_is_elimit_and_changes_nothing)
{
    tlsrpt_aggregate *a = NULL;
    ck_assert_int_eq(tlsrpt_aggregate_new(&a), TLSRPT_OK);
    const char *d[] = {"a.example"};
    /* UINT64_MAX successful and 1 failed in one report: each sum fits */
    tlsrpt_report *big = make_report("O", "1", JULY_1, d, 1, UINT64_MAX, 1);
    tlsrpt_report *one_more = make_report("O", "2", JULY_1, d, 1, 1, 0);
    tlsrpt_report *fails = make_report("O", "3", JULY_1, d, 1, 0, UINT64_MAX);
    int v = -1;
    ck_assert_int_eq(tlsrpt_aggregate_add(a, big, &v), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, one_more, &v), TLSRPT_ELIMIT);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, fails, &v), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED), 1);
    ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DAYS, 0), UINT64_MAX);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DAYS, 0), 1);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_RESULT_TYPES, 0), 1);
    /* not remembered either: after the refusal the report is still new */
    tlsrpt_aggregate *fresh = NULL;
    ck_assert_int_eq(tlsrpt_aggregate_new(&fresh), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_add(fresh, one_more, &v), TLSRPT_OK);
    ck_assert_int_eq(v, TLSRPT_AGGREGATE_ADDED);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, one_more, &v), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_DUPLICATE), 0);
    tlsrpt_report_free(big);
    tlsrpt_report_free(one_more);
    tlsrpt_report_free(fails);
    tlsrpt_aggregate_free(a);
    tlsrpt_aggregate_free(fresh);
}
END_TEST

START_TEST(aggregate_many_keys)
{
    /* 20,000 reports over 2,000 domains and 50 days: every row found again through index growth */
    tlsrpt_aggregate *a = NULL;
    ck_assert_int_eq(tlsrpt_aggregate_new(&a), TLSRPT_OK);
    for (int i = 0; i < 20000; i++) {
        char domain[32], id[32];
        snprintf(domain, sizeof domain, "d%d.example", i % 2000);
        snprintf(id, sizeof id, "id-%d", i);
        const char *ds[] = {domain};
        tlsrpt_report *r = make_report("O", id, JULY_1 + (int64_t)(i % 50) * DAY, ds, 1, 2, 1);
        ck_assert_int_eq(tlsrpt_aggregate_add(a, r, NULL), TLSRPT_OK);
        tlsrpt_report_free(r);
    }
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_DOMAINS), 2000);
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_DAYS), 2000); /* i % 50 follows from i % 2000 */
    ck_assert_uint_eq(tlsrpt_aggregate_row_count(a, TLSRPT_TABLE_MX_HOSTS), 2000);
    for (size_t i = 0; i < 2000; i++)
        ck_assert_uint_eq(tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DOMAINS, i), 20);
    ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_ORGANIZATIONS, 0), 20000);
    tlsrpt_aggregate_free(a);
}
END_TEST

START_TEST(aggregate_every_allocation_failure)
{
    const char *ab[] = {"a.example", "b.example"};
    tlsrpt_report *r = make_report("O", "1", JULY_1, ab, 2, 5, 1);
    for (long k = 0;; k++) {
        tlsrpt_aggregate *a = NULL;
        arm(k);
        int rc = tlsrpt_aggregate_new(&a);
        int v = 0;
        if (rc == TLSRPT_OK)
            rc = tlsrpt_aggregate_set_domain(a, "A.example");
        if (rc == TLSRPT_OK)
            rc = tlsrpt_aggregate_add(a, r, &v);
        long made = disarm();
        if (rc == TLSRPT_OK) {
            ck_assert_int_eq(v, TLSRPT_AGGREGATE_ADDED);
            ck_assert_uint_eq(tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DOMAINS, 0), 1);
            tlsrpt_aggregate_free(a);
            ck_assert_int_lt(k, made + 1);
            break;
        }
        ck_assert_int_eq(rc, TLSRPT_ENOMEM);
        if (a == NULL)
            ck_assert_int_eq(k, 0);
        tlsrpt_aggregate_free(a); /* whatever it holds, freed without a leak (ASan, valgrind) */
    }
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Rows ---- */

START_TEST(rows_exact_text)
{
    tlsrpt_report *r = NULL;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Org, \"Q\"", NULL, "id\n1", JULY_1, JULY_1 + DAY - 1), TLSRPT_OK);
    tlsrpt_policy *p = NULL, *q = NULL;
    const char *mx[] = {"mx1.a.example", "*.a.example"};
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "a.example", NULL, 0, mx, 2, &p), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 9), TLSRPT_OK);
    tlsrpt_failure *f = NULL;
    ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, "192.0.2.1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "a,b"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 2), TLSRPT_OK);
    tlsrpt_failure_free(f);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "b.example", NULL, 0, NULL, 0, &q),
                     TLSRPT_OK);
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_report_rows(r, TLSRPT_ROWS_NDJSON, NULL, &out, &len), TLSRPT_OK);
    const char *nd =
        "{\"row_type\":\"policy\",\"organization_name\":\"Org, \\\"Q\\\"\",\"contact_info\":null,"
        "\"report_id\":\"id\\n1\",\"start_datetime\":\"2024-07-01T00:00:00Z\","
        "\"end_datetime\":\"2024-07-01T23:59:59Z\","
        "\"policy_index\":0,\"policy_type\":\"sts\",\"policy_domain\":\"a.example\",\"mx_host\":\"mx1.a.example "
        "*.a.example\",\"successful_sessions\":9,\"failed_sessions\":2,\"result_type\":null,\"sending_mta_ip\":null,"
        "\"receiving_mx_hostname\":null,\"receiving_mx_helo\":null,\"receiving_ip\":null,\"failure_reason_code\":null,"
        "\"additional_information\":null}\n"
        "{\"row_type\":\"failure\",\"organization_name\":\"Org, \\\"Q\\\"\",\"contact_info\":null,"
        "\"report_id\":\"id\\n1\",\"start_datetime\":\"2024-07-01T00:00:00Z\","
        "\"end_datetime\":\"2024-07-01T23:59:59Z\","
        "\"policy_index\":0,\"policy_type\":\"sts\",\"policy_domain\":\"a.example\",\"mx_host\":\"mx1.a.example "
        "*.a.example\",\"successful_sessions\":null,\"failed_sessions\":2,\"result_type\":\"certificate-expired\","
        "\"sending_mta_ip\":null,\"receiving_mx_hostname\":null,\"receiving_mx_helo\":null,"
        "\"receiving_ip\":\"192.0.2.1\",\"failure_reason_code\":\"a,b\",\"additional_information\":null}\n"
        "{\"row_type\":\"policy\",\"organization_name\":\"Org, \\\"Q\\\"\",\"contact_info\":null,"
        "\"report_id\":\"id\\n1\",\"start_datetime\":\"2024-07-01T00:00:00Z\","
        "\"end_datetime\":\"2024-07-01T23:59:59Z\","
        "\"policy_index\":1,\"policy_type\":\"no-policy-found\",\"policy_domain\":\"b.example\",\"mx_host\":null,"
        "\"successful_sessions\":0,\"failed_sessions\":0,\"result_type\":null,\"sending_mta_ip\":null,"
        "\"receiving_mx_hostname\":null,\"receiving_mx_helo\":null,\"receiving_ip\":null,\"failure_reason_code\":null,"
        "\"additional_information\":null}\n";
    ck_assert_str_eq(out, nd);
    ck_assert_uint_eq(len, strlen(nd));
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_report_rows(r, TLSRPT_ROWS_CSV, "B.EXAMPLE.", &out, &len), TLSRPT_OK);
    ck_assert_str_eq(out, "policy,\"Org, \"\"Q\"\"\",,\"id\n1\",2024-07-01T00:00:00Z,2024-07-01T23:59:59Z,1,"
                          "no-policy-found,b.example,,0,0,,,,,,,\r\n");
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_report_rows(r, TLSRPT_ROWS_CSV, "a.example", &out, &len), TLSRPT_OK);
    ck_assert_str_eq(out, "policy,\"Org, \"\"Q\"\"\",,\"id\n1\",2024-07-01T00:00:00Z,2024-07-01T23:59:59Z,0,sts,"
                          "a.example,mx1.a.example *.a.example,9,2,,,,,,,\r\n"
                          "failure,\"Org, \"\"Q\"\"\",,\"id\n1\",2024-07-01T00:00:00Z,2024-07-01T23:59:59Z,0,sts,"
                          "a.example,mx1.a.example *.a.example,,2,certificate-expired,,,,192.0.2.1,\"a,b\",\r\n");
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_report_rows(r, TLSRPT_ROWS_CSV, "c.example", &out, &len), TLSRPT_OK);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(len, 0);
    tlsrpt_free(out);
    ck_assert_str_eq(tlsrpt_rows_csv_header(),
                     "row_type,organization_name,contact_info,report_id,start_datetime,end_datetime,policy_index,"
                     "policy_type,policy_domain,mx_host,successful_sessions,failed_sessions,result_type,"
                     "sending_mta_ip,receiving_mx_hostname,receiving_mx_helo,receiving_ip,failure_reason_code,"
                     "additional_information\r\n");
    out = (char *)1;
    ck_assert_int_eq(tlsrpt_report_rows(r, 3, NULL, &out, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(tlsrpt_report_rows(NULL, TLSRPT_ROWS_CSV, NULL, &out, &len), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_rows(r, TLSRPT_ROWS_CSV, NULL, NULL, &len), TLSRPT_EINVAL);
    for (long k = 0;; k++) {
        arm(k);
        int rc = tlsrpt_report_rows(r, TLSRPT_ROWS_NDJSON, NULL, &out, &len);
        disarm();
        if (rc == TLSRPT_OK) {
            ck_assert_str_eq(out, nd);
            tlsrpt_free(out);
            break;
        }
        ck_assert_int_eq(rc, TLSRPT_ENOMEM);
        ck_assert_ptr_null(out);
    }
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(reports_without_date_range)
{
    /* a lenient parse without "date-range": rows have null date-times, the period ignores it, the day is 1970-01-01 */
    tlsrpt_report *r = NULL;
    ck_assert_int_eq(tlsrpt_report_parse(&r, TEXT("{\"organization-name\":\"o\",\"report-id\":\"x\",\"policies\":"
                                                  "[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":"
                                                  "\"a.example\"},\"summary\":{\"total-successful-session-count\":1,"
                                                  "\"total-failure-session-count\":0}}]}"),
                                         0, NULL),
                     TLSRPT_OK);
    char *out = NULL;
    ck_assert_int_eq(tlsrpt_report_rows(r, TLSRPT_ROWS_CSV, NULL, &out, NULL), TLSRPT_OK);
    ck_assert_str_eq(out, "policy,o,,x,,,0,no-policy-found,a.example,,1,0,,,,,,,\r\n");
    tlsrpt_free(out);
    tlsrpt_aggregate *a = NULL;
    ck_assert_int_eq(tlsrpt_aggregate_new(&a), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, r, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_start_time(a), 0);
    ck_assert_int_eq(tlsrpt_aggregate_end_time(a), 0);
    ck_assert_int_eq(tlsrpt_aggregate_row_day(a, TLSRPT_TABLE_DAYS, 0), 0);
    const char *d[] = {"a.example"};
    tlsrpt_report *dated = make_report("o", "y", JULY_1, d, 1, 1, 0);
    ck_assert_int_eq(tlsrpt_aggregate_add(a, dated, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_aggregate_start_time(a), JULY_1);
    ck_assert_int_eq(tlsrpt_aggregate_end_time(a), JULY_1 + DAY - 1);
    tlsrpt_report_free(dated);
    tlsrpt_report_free(r);
    tlsrpt_aggregate_free(a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("aggregate");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, content_type_by_first_bytes);
    tcase_add_test(tc, parse_any_reads_every_form);
    tcase_add_test(tc, mbox_splits_on_from_lines);
    tcase_add_test(tc, mbox_many_messages_linear);
    tcase_add_test(tc, aggregate_tables_and_duplicates);
    tcase_add_test(tc, aggregate_filters);
    tcase_add_test(tc, aggregate_overflow_is_elimit_and_changes_nothing);
    tcase_add_test(tc, aggregate_many_keys);
    tcase_add_test(tc, aggregate_every_allocation_failure);
    tcase_add_test(tc, rows_exact_text);
    tcase_add_test(tc, reports_without_date_range);
    suite_add_tcase(s, tc);
    return s;
}
