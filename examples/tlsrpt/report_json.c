/* tlsrpt report --json — a report as JSON for scripts: the report with RFC 8460 member names as the getters read it,
 * its statistics, and its findings.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <string.h>

/* A string member, left out when absent. */
static void json_optional(struct json_writer *w, const char *key, const char *value)
{
    if (value != NULL)
        json_member_string(w, key, value);
}

/* A date-time member, left out when the time is 0 (absent). */
static void json_utc_time(struct json_writer *w, const char *key, int64_t t)
{
    char text[UTC_TIME_SIZE];
    if (t != 0)
        json_member_string(w, key, utc_time_text(t, text, sizeof text));
}

/* An array of C strings: n of them, string i from get(p, i). */
static void json_string_array(struct json_writer *w, const tlsrpt_policy *p, size_t n,
                              const char *(*get)(const tlsrpt_policy *, size_t))
{
    json_begin_array(w);
    for (size_t i = 0; i < n; i++)
        json_cstring(w, get(p, i));
    json_end_array(w);
}

static void json_failure_detail_object(struct json_writer *w, const tlsrpt_failure *x)
{
    json_begin_object(w);
    json_member_string(w, "result-type", tlsrpt_failure_result_type(x));
    json_optional(w, "sending-mta-ip", tlsrpt_failure_sending_mta_ip(x));
    json_optional(w, "receiving-mx-hostname", tlsrpt_failure_receiving_mx_hostname(x));
    json_optional(w, "receiving-mx-helo", tlsrpt_failure_receiving_mx_helo(x));
    json_optional(w, "receiving-ip", tlsrpt_failure_receiving_ip(x));
    json_member_uint64(w, "failed-session-count", tlsrpt_failure_session_count(x));
    json_optional(w, "additional-information", tlsrpt_failure_additional_information(x));
    json_optional(w, "failure-reason-code", tlsrpt_failure_reason_code(x));
    json_end_object(w);
}

static void json_failure_details_array(struct json_writer *w, const tlsrpt_policy *p)
{
    json_begin_array(w);
    for (size_t d = 0; d < tlsrpt_policy_failure_count(p); d++)
        json_failure_detail_object(w, tlsrpt_policy_failure(p, d));
    json_end_array(w);
}

/* {"policy": {...}, "summary": {...}, "failure-details": [...]} */
static void json_policy_object(struct json_writer *w, const tlsrpt_policy *p)
{
    json_begin_object(w);
    json_key(w, "policy");
    json_begin_object(w);
    json_member_string(w, "policy-type", tlsrpt_policy_type_name(p));
    json_key(w, "policy-string");
    json_string_array(w, p, tlsrpt_policy_string_count(p), tlsrpt_policy_string);
    json_optional(w, "policy-domain", tlsrpt_policy_domain(p));
    json_key(w, "mx-host");
    json_string_array(w, p, tlsrpt_policy_mx_host_count(p), tlsrpt_policy_mx_host);
    json_end_object(w);
    json_key(w, "summary");
    json_begin_object(w);
    json_member_uint64(w, "total-successful-session-count", tlsrpt_policy_successful_sessions(p));
    json_member_uint64(w, "total-failure-session-count", tlsrpt_policy_failed_sessions(p));
    json_end_object(w);
    json_key(w, "failure-details");
    json_failure_details_array(w, p);
    json_end_object(w);
}

/* The report with RFC 8460 member names, as the getters read it. */
static void json_report_object(struct json_writer *w, const tlsrpt_report *r)
{
    json_begin_object(w);
    json_optional(w, "organization-name", tlsrpt_report_organization_name(r));
    int64_t start = tlsrpt_report_start_time(r), end = tlsrpt_report_end_time(r);
    if (start || end) {
        json_key(w, "date-range");
        json_begin_object(w);
        json_utc_time(w, "start-datetime", start);
        json_utc_time(w, "end-datetime", end);
        json_end_object(w);
    }
    json_optional(w, "contact-info", tlsrpt_report_contact_info(r));
    json_optional(w, "report-id", tlsrpt_report_id(r));
    json_key(w, "policies");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++)
        json_policy_object(w, tlsrpt_report_policy(r, i));
    json_end_array(w);
    json_end_object(w);
}

static void json_member_sum(struct json_writer *w, const char *key, struct count_sum sum)
{
    char text[SUM_TEXT_SIZE];
    json_key(w, key);
    json_number_text(w, sum_text(sum, text, sizeof text));
}

/* "successful-sessions", "failed-sessions" and "success-rate" (a number with two decimals, or null). */
static void json_sessions(struct json_writer *w, struct count_sum ok, struct count_sum bad)
{
    char text[RATE_TEXT_SIZE];
    json_member_sum(w, "successful-sessions", ok);
    json_member_sum(w, "failed-sessions", bad);
    json_key(w, "success-rate");
    long rate = success_rate(ok, bad);
    if (rate < 0)
        json_null(w);
    else
        json_number_text(w, rate_text(rate, text, sizeof text));
}

/* The failed sessions of every failure detail of r whose result type is `type`, from policy i, detail d on. */
static struct count_sum failed_sessions_of_type(const tlsrpt_report *r, const char *type, size_t i, size_t d)
{
    struct count_sum sum = {0, 0};
    for (; i < tlsrpt_report_policy_count(r); i++, d = 0) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        for (; d < tlsrpt_policy_failure_count(p); d++)
            if (strcmp(tlsrpt_failure_result_type(tlsrpt_policy_failure(p, d)), type) == 0)
                sum_add(&sum, tlsrpt_failure_session_count(tlsrpt_policy_failure(p, d)));
    }
    return sum;
}

/* Whether a failure detail before policy i, detail d has the result type `type`. */
static int result_type_seen_before(const tlsrpt_report *r, const char *type, size_t i, size_t d)
{
    for (size_t pi = 0; pi <= i; pi++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, pi);
        size_t end = pi == i ? d : tlsrpt_policy_failure_count(p);
        for (size_t k = 0; k < end; k++)
            if (strcmp(tlsrpt_failure_result_type(tlsrpt_policy_failure(p, k)), type) == 0)
                return 1;
    }
    return 0;
}

/* Session totals of the report and of each policy, and the failed sessions per result type (in order of first
 * appearance) with their explanations. Allocates nothing: a report has few distinct result types, and each scan
 * stops at the first earlier detail of the same type. */
static void json_report_stats(struct json_writer *w, const tlsrpt_report *r)
{
    struct count_sum ok = {0, 0}, bad = {0, 0};
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        sum_add(&ok, tlsrpt_policy_successful_sessions(tlsrpt_report_policy(r, i)));
        sum_add(&bad, tlsrpt_policy_failed_sessions(tlsrpt_report_policy(r, i)));
    }
    json_begin_object(w);
    json_member_size(w, "policy-count", tlsrpt_report_policy_count(r));
    json_sessions(w, ok, bad);
    json_key(w, "policies");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        json_begin_object(w);
        json_sessions(w, (struct count_sum){0, tlsrpt_policy_successful_sessions(p)},
                      (struct count_sum){0, tlsrpt_policy_failed_sessions(p)});
        json_member_size(w, "failure-detail-count", tlsrpt_policy_failure_count(p));
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "failure-types");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        for (size_t d = 0; d < tlsrpt_policy_failure_count(p); d++) {
            const char *type = tlsrpt_failure_result_type(tlsrpt_policy_failure(p, d));
            if (result_type_seen_before(r, type, i, d))
                continue;
            const char *meaning = tlsrpt_result_type_description(type);
            json_begin_object(w);
            json_member_string(w, "result-type", type);
            json_member_sum(w, "failed-sessions", failed_sessions_of_type(r, type, i, d));
            json_member_bool(w, "registered", meaning != NULL);
            json_member_string(w, "description", meaning);
            json_end_object(w);
        }
    }
    json_end_array(w);
    json_end_object(w);
}

void print_report_result_json(struct json_writer *w, const struct report_result *res)
{
    json_begin_object(w);
    json_member_string(w, "file", res->file);
    json_member_string(w, "status", report_status_name(res));
    json_member_bool(w, "valid", res->status == EXIT_OK);
    if (res->read_errno)
        json_member_string(w, "error", strerror(res->read_errno));
    json_key(w, "report");
    if (res->report)
        json_report_object(w, res->report);
    else
        json_null(w);
    json_key(w, "stats");
    if (res->report)
        json_report_stats(w, res->report);
    else
        json_null(w);
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {res->diag};
    json_findings(w, lists, res->diag ? 1 : 0, 1);
    json_counts(w, &res->counts);
    json_end_object(w);
}
