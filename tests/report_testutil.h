/* Helpers shared by the report building and writing suites: deep equality of two report models (white-box), and a
 * serialize shortcut. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_REPORT_TESTUTIL_H
#define TLSRPT_REPORT_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "testutil.h"

static inline int opt_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

#define EQ_FAIL(...)                                                                                                   \
    do {                                                                                                               \
        snprintf(why, why_len, __VA_ARGS__);                                                                           \
        return 0;                                                                                                      \
    } while (0)

static inline int failure_equal(const tlsrpt_failure *a, const tlsrpt_failure *b, char *why, size_t why_len)
{
    if (!opt_str_eq(a->result_type, b->result_type) || a->result_code != b->result_code)
        EQ_FAIL("result-type %s / %s", a->result_type, b->result_type);
    if (!opt_str_eq(a->sending_mta_ip, b->sending_mta_ip) ||
        !opt_str_eq(a->receiving_mx_hostname, b->receiving_mx_hostname) ||
        !opt_str_eq(a->receiving_mx_helo, b->receiving_mx_helo) || !opt_str_eq(a->receiving_ip, b->receiving_ip) ||
        !opt_str_eq(a->additional_information, b->additional_information) ||
        !opt_str_eq(a->reason_code, b->reason_code))
        EQ_FAIL("optional fields of a %s detail differ", a->result_type);
    if (a->session_count != b->session_count)
        EQ_FAIL("failed-session-count %llu / %llu", (unsigned long long)a->session_count,
                (unsigned long long)b->session_count);
    return 1;
}

static inline int str_list_equal(int has_a, char **a, size_t na, int has_b, char **b, size_t nb)
{
    if (!has_a != !has_b || na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

static inline int policy_equal(const tlsrpt_policy *a, const tlsrpt_policy *b, char *why, size_t why_len)
{
    if (a->type != b->type || !opt_str_eq(a->type_name, b->type_name) || !opt_str_eq(a->domain, b->domain))
        EQ_FAIL("policy type or domain: %s %s / %s %s", a->type_name, a->domain ? a->domain : "(none)",
                b->type_name, b->domain ? b->domain : "(none)");
    if (!str_list_equal(a->has_strings, a->strings, a->n_strings, b->has_strings, b->strings, b->n_strings))
        EQ_FAIL("policy-string differs");
    if (!str_list_equal(a->has_mx_hosts, a->mx_hosts, a->n_mx_hosts, b->has_mx_hosts, b->mx_hosts, b->n_mx_hosts))
        EQ_FAIL("mx-host differs");
    if (a->successful_sessions != b->successful_sessions || a->failed_sessions != b->failed_sessions)
        EQ_FAIL("summary differs");
    if (!a->has_failures != !b->has_failures || a->n_failures != b->n_failures)
        EQ_FAIL("failure-details: present %d/%d, %zu/%zu entries", a->has_failures, b->has_failures, a->n_failures,
                b->n_failures);
    for (size_t i = 0; i < a->n_failures; i++)
        if (!failure_equal(a->failures[i], b->failures[i], why, why_len))
            return 0;
    return 1;
}

/* 1 if the two reports hold the same values (presence flags included); otherwise 0 and the first difference. */
static inline int report_equal(const tlsrpt_report *a, const tlsrpt_report *b, char *why, size_t why_len)
{
    if (!opt_str_eq(a->organization_name, b->organization_name) || !opt_str_eq(a->contact_info, b->contact_info) ||
        !opt_str_eq(a->report_id, b->report_id))
        EQ_FAIL("organization-name, contact-info or report-id differs");
    if (!a->has_start_time != !b->has_start_time || !a->has_end_time != !b->has_end_time ||
        (a->has_start_time && a->start_time != b->start_time) || (a->has_end_time && a->end_time != b->end_time))
        EQ_FAIL("date-range differs");
    if (a->n_policies != b->n_policies)
        EQ_FAIL("%zu / %zu policies", a->n_policies, b->n_policies);
    for (size_t i = 0; i < a->n_policies; i++)
        if (!policy_equal(a->policies[i], b->policies[i], why, why_len))
            return 0;
    return 1;
}

#undef EQ_FAIL

/* The report's JSON (asserts success; free()). */
static inline char *serialize_or_fail(const tlsrpt_report *r, unsigned flags)
{
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_report_serialize(r, flags, &out, &len), TLSRPT_OK);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(strlen(out), len);
    return out;
}

#endif
