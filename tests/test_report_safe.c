/* Reports, 1.1 (issue 13): report-owned failure details refuse changes, reusable details, canonical TLSA policies,
 * per-domain extraction, copying one policy, UTC days and the period-keeping merge.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "report_testutil.h"

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

Suite *make_suite(void)
{
    Suite *s = suite_create("report_safe");
    TCase *tc = tcase_create("details");
    tcase_add_test(tc, owned_detail_setters_refuse);
    suite_add_tcase(s, tc);
    return s;
}
