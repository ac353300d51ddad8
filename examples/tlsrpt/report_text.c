/* tlsrpt report — a report as text for people: sender, period, report id, and per policy the sessions, the
 * success rate and every failure detail explained.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <inttypes.h>
#include <string.h>

/* A text field: escaped, or "(not given)" when the report lacks it. */
static void put_text_field(FILE *f, const char *label, const char *value)
{
    fprintf(f, "%s: ", label);
    if (value)
        put_escaped_string(f, value);
    else
        fputs("(not given)", f);
    fputc('\n', f);
}

static void print_failure_text(FILE *f, const tlsrpt_failure *x)
{
    const char *type = tlsrpt_failure_result_type(x);
    uint64_t n = tlsrpt_failure_session_count(x);
    fputs("  failure: ", f);
    put_escaped_string(f, type);
    fprintf(f, ", %" PRIu64 " %s\n", n, n == 1 ? "session" : "sessions");
    const char *mx = tlsrpt_failure_receiving_mx_hostname(x), *ip = tlsrpt_failure_receiving_ip(x);
    if (mx) {
        fputs("    receiving MX: ", f);
        put_escaped_string(f, mx);
        if (ip) {
            fputs(" (", f);
            put_escaped_string(f, ip);
            fputc(')', f);
        }
        fputc('\n', f);
    } else if (ip) {
        put_text_field(f, "    receiving IP", ip);
    }
    if (tlsrpt_failure_receiving_mx_helo(x))
        put_text_field(f, "    receiving MX HELO", tlsrpt_failure_receiving_mx_helo(x));
    if (tlsrpt_failure_sending_mta_ip(x))
        put_text_field(f, "    sending MTA", tlsrpt_failure_sending_mta_ip(x));
    if (tlsrpt_failure_reason_code(x))
        put_text_field(f, "    reason code", tlsrpt_failure_reason_code(x));
    if (tlsrpt_failure_additional_information(x))
        put_text_field(f, "    additional information", tlsrpt_failure_additional_information(x));
    const char *meaning = tlsrpt_result_type_description(type);
    fputs("    meaning: ", f);
    fputs(meaning ? meaning : "unknown result type (not registered by RFC 8460 or with IANA)", f);
    fputc('\n', f);
}

/* One end of the period: the date-time, or "(not given)" for 0 (absent). */
static const char *period_end_text(int64_t t, char *buf, size_t size)
{
    return t ? utc_time_text(t, buf, size) : "(not given)";
}

static void print_report_text(FILE *f, const tlsrpt_report *r)
{
    put_text_field(f, "organization", tlsrpt_report_organization_name(r));
    put_text_field(f, "contact", tlsrpt_report_contact_info(r));
    char start[UTC_TIME_SIZE], end[UTC_TIME_SIZE];
    fprintf(f, "period: %s to %s\n", period_end_text(tlsrpt_report_start_time(r), start, sizeof start),
            period_end_text(tlsrpt_report_end_time(r), end, sizeof end));
    put_text_field(f, "report id", tlsrpt_report_id(r));
    size_t n = tlsrpt_report_policy_count(r);
    if (n == 0)
        fputs("policies: none\n", f);
    for (size_t i = 0; i < n; i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        fprintf(f, "policy %zu of %zu: ", i + 1, n);
        put_escaped_string(f, tlsrpt_policy_type_name(p));
        fputc(' ', f);
        if (tlsrpt_policy_domain(p))
            put_escaped_string(f, tlsrpt_policy_domain(p));
        else
            fputs("(no policy-domain)", f);
        fputc('\n', f);
        fputs("  mx-hosts: ", f);
        if (tlsrpt_policy_mx_host_count(p) == 0)
            fputs("none", f);
        for (size_t k = 0; k < tlsrpt_policy_mx_host_count(p); k++) {
            if (k)
                fputs(", ", f);
            put_escaped_string(f, tlsrpt_policy_mx_host(p, k));
        }
        fputc('\n', f);
        struct count_sum ok = {0, tlsrpt_policy_successful_sessions(p)}, bad = {0, tlsrpt_policy_failed_sessions(p)};
        fprintf(f, "  sessions: %" PRIu64 " successful, %" PRIu64 " failed, success rate ", ok.lo, bad.lo);
        long rate = success_rate(ok, bad);
        char text[RATE_TEXT_SIZE];
        if (rate < 0)
            fputs("n/a (no sessions)", f);
        else
            fprintf(f, "%s%%", rate_text(rate, text, sizeof text));
        fputc('\n', f);
        for (size_t k = 0; k < tlsrpt_policy_failure_count(p); k++)
            print_failure_text(f, tlsrpt_policy_failure(p, k));
    }
}

void print_report_result_text(FILE *f, const struct report_result *res)
{
    fputs("file: ", f);
    put_escaped_string(f, res->file);
    fputc('\n', f);
    if (res->read_errno) {
        fprintf(f, "unreadable: %s\n", strerror(res->read_errno));
        return;
    }
    print_path_findings(f, stream_wants_colour(f), res->diag);
    if (res->report)
        print_report_text(f, res->report);
    print_summary_line(f, validity_name(res->status == EXIT_OK, res->parsed == TLSRPT_OK && res->counts.errors == 0),
                       NULL, &res->counts);
}
