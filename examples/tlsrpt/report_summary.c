/* tlsrpt report --summary — the aggregate of every report read, as text or JSON: the counts of the run, the
 * period covered, per policy domain and UTC day the sessions, failures and success rate, the failed sessions per
 * result type, and the receiving MX hosts, receiving IPs and sending organizations with the most failed sessions.
 * The library keeps its tables in first-seen order; they are sorted here: domains and days by name and date, the
 * rankings by failed sessions (most first), then by name.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Rows of a ranking shown in text; JSON has them all. */
#define TOP_ROWS 10
#define SECONDS_PER_DAY 86400

struct sorted {
    const tlsrpt_aggregate *a;
    int table;
    size_t *order;
    size_t n;
};

/* qsort() has no context argument in C11: the table being sorted is passed through this one variable, set and used
 * by the main thread only. */
static const tlsrpt_aggregate *sort_aggregate;
static int sort_table;

static int by_key_then_day(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = strcmp(tlsrpt_aggregate_row_key(sort_aggregate, sort_table, i),
                   tlsrpt_aggregate_row_key(sort_aggregate, sort_table, j));
    if (c)
        return c;
    int64_t di = tlsrpt_aggregate_row_day(sort_aggregate, sort_table, i);
    int64_t dj = tlsrpt_aggregate_row_day(sort_aggregate, sort_table, j);
    return (di > dj) - (di < dj);
}

static int by_failed_then_key(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    uint64_t fi = tlsrpt_aggregate_row_failed(sort_aggregate, sort_table, i);
    uint64_t fj = tlsrpt_aggregate_row_failed(sort_aggregate, sort_table, j);
    if (fi != fj)
        return fi > fj ? -1 : 1;
    return strcmp(tlsrpt_aggregate_row_key(sort_aggregate, sort_table, i),
                  tlsrpt_aggregate_row_key(sort_aggregate, sort_table, j));
}

/* The rows of a table in order; rankings keep only rows with failed sessions. */
static struct sorted sort_rows(const tlsrpt_aggregate *a, int table, int ranking)
{
    struct sorted s = {a, table, NULL, 0};
    size_t n = tlsrpt_aggregate_row_count(a, table);
    s.order = malloc((n ? n : 1) * sizeof *s.order);
    if (!s.order)
        return s;
    for (size_t i = 0; i < n; i++)
        if (!ranking || tlsrpt_aggregate_row_failed(a, table, i) > 0)
            s.order[s.n++] = i;
    sort_aggregate = a;
    sort_table = table;
    qsort(s.order, s.n, sizeof *s.order, ranking ? by_failed_then_key : by_key_then_day);
    return s;
}

static const char *domain_label(const char *d)
{
    return d[0] ? d : "(no policy-domain)";
}

static void date_text(int64_t day, char *buf, size_t size)
{
    char t[UTC_TIME_SIZE];
    utc_time_text(day, t, sizeof t);
    snprintf(buf, size, "%.10s", t);
}

static void put_sessions_text(FILE *f, uint64_t ok, uint64_t bad)
{
    struct count_sum s = {0, ok}, b = {0, bad}, all = {0, ok};
    char rate[RATE_TEXT_SIZE], total[SUM_TEXT_SIZE];
    long r = success_rate(s, b);
    sum_add(&all, bad);
    fprintf(f, "%s sessions, %" PRIu64 " failed, success rate ", sum_text(all, total, sizeof total), bad);
    if (r < 0)
        fputs("n/a (no sessions)", f);
    else
        fprintf(f, "%s%%", rate_text(r, rate, sizeof rate));
    fputc('\n', f);
}

static void print_period_text(FILE *f, const tlsrpt_aggregate *a)
{
    if (tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED) == 0) {
        fputs("period: (no report)\n", f);
        return;
    }
    char s[UTC_TIME_SIZE], e[UTC_TIME_SIZE];
    fprintf(f, "period: %s to %s\n", utc_time_text(tlsrpt_aggregate_start_time(a), s, sizeof s),
            utc_time_text(tlsrpt_aggregate_end_time(a), e, sizeof e));
}

static void print_ranking_text(FILE *f, const tlsrpt_aggregate *a, int table, const char *title)
{
    struct sorted s = sort_rows(a, table, 1);
    fprintf(f, "%s:", title);
    if (s.n == 0)
        fputs(" none", f);
    fputc('\n', f);
    for (size_t k = 0; k < s.n && (k < TOP_ROWS || table == TLSRPT_TABLE_RESULT_TYPES); k++) {
        fprintf(f, "  %" PRIu64 " ", tlsrpt_aggregate_row_failed(a, table, s.order[k]));
        const char *key = tlsrpt_aggregate_row_key(a, table, s.order[k]);
        if (key[0])
            put_escaped_string(f, key);
        else
            fputs("(not given)", f);
        fputc('\n', f);
    }
    if (s.n > TOP_ROWS && table != TLSRPT_TABLE_RESULT_TYPES)
        fprintf(f, "  ... %zu more\n", s.n - TOP_ROWS);
    free(s.order);
}

void print_summary_text(FILE *f, const tlsrpt_aggregate *a, const struct summary_counts *c)
{
    fprintf(f, "items: %zu read, %zu reports, %zu duplicates, %zu filtered out, %zu invalid, %zu unreadable\n",
            c->items, tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED),
            tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_DUPLICATE), tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_FILTERED),
            c->invalid, c->unreadable);
    print_period_text(f, a);
    struct sorted domains = sort_rows(a, TLSRPT_TABLE_DOMAINS, 0), days = sort_rows(a, TLSRPT_TABLE_DAYS, 0);
    size_t d = 0;
    for (size_t k = 0; k < domains.n; k++) {
        size_t i = domains.order[k];
        const char *key = tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DOMAINS, i);
        fputs("policy domain ", f);
        put_escaped_string(f, domain_label(key));
        fputs(": ", f);
        put_sessions_text(f, tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DOMAINS, i),
                          tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DOMAINS, i));
        for (; d < days.n && strcmp(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DAYS, days.order[d]), key) == 0; d++) {
            char date[16];
            size_t j = days.order[d];
            date_text(tlsrpt_aggregate_row_day(a, TLSRPT_TABLE_DAYS, j), date, sizeof date);
            fprintf(f, "  %s: ", date);
            put_sessions_text(f, tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DAYS, j),
                              tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DAYS, j));
        }
    }
    free(domains.order);
    free(days.order);
    print_ranking_text(f, a, TLSRPT_TABLE_RESULT_TYPES, "failed sessions by result type");
    print_ranking_text(f, a, TLSRPT_TABLE_MX_HOSTS, "top receiving MX hosts (failed sessions)");
    print_ranking_text(f, a, TLSRPT_TABLE_RECEIVING_IPS, "top receiving IPs (failed sessions)");
    print_ranking_text(f, a, TLSRPT_TABLE_ORGANIZATIONS, "top sending organizations (failed sessions)");
}

/* ---- JSON ---- */

static void json_sessions_members(struct json_writer *w, uint64_t ok, uint64_t bad)
{
    struct count_sum all = {0, ok};
    char total[SUM_TEXT_SIZE];
    sum_add(&all, bad);
    json_key(w, "sessions");
    json_number_text(w, sum_text(all, total, sizeof total));
    json_member_uint64(w, "successful-sessions", ok);
    json_member_uint64(w, "failed-sessions", bad);
    json_key(w, "success-rate");
    struct count_sum s = {0, ok}, b = {0, bad};
    long r = success_rate(s, b);
    char rate[RATE_TEXT_SIZE];
    if (r < 0)
        json_null(w);
    else
        json_number_text(w, rate_text(r, rate, sizeof rate));
}

static void json_ranking(struct json_writer *w, const tlsrpt_aggregate *a, int table, const char *name,
                         const char *key_name, int with_successful)
{
    struct sorted s = sort_rows(a, table, 1);
    json_key(w, name);
    json_begin_array(w);
    for (size_t k = 0; k < s.n; k++) {
        json_begin_object(w);
        json_member_string(w, key_name, tlsrpt_aggregate_row_key(a, table, s.order[k]));
        if (with_successful)
            json_member_uint64(w, "successful-sessions", tlsrpt_aggregate_row_successful(a, table, s.order[k]));
        json_member_uint64(w, "failed-sessions", tlsrpt_aggregate_row_failed(a, table, s.order[k]));
        json_end_object(w);
    }
    json_end_array(w);
    free(s.order);
}

void print_summary_json(FILE *f, const tlsrpt_aggregate *a, const struct summary_counts *c, int strict,
                        const struct report_result *failed, size_t n_failed)
{
    struct json_writer json, *w = &json;
    json_start(w, f);
    json_begin_object(w);
    json_member_bool(w, "strict", strict);
    json_member_size(w, "items", c->items);
    json_member_size(w, "reports", tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED));
    json_member_size(w, "duplicates", tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_DUPLICATE));
    json_member_size(w, "filtered", tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_FILTERED));
    json_member_size(w, "invalid", c->invalid);
    json_member_size(w, "unreadable", c->unreadable);
    json_key(w, "period");
    if (tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED) == 0) {
        json_null(w);
    } else {
        char s[UTC_TIME_SIZE], e[UTC_TIME_SIZE];
        json_begin_object(w);
        json_member_string(w, "start-datetime", utc_time_text(tlsrpt_aggregate_start_time(a), s, sizeof s));
        json_member_string(w, "end-datetime", utc_time_text(tlsrpt_aggregate_end_time(a), e, sizeof e));
        json_end_object(w);
    }
    struct sorted domains = sort_rows(a, TLSRPT_TABLE_DOMAINS, 0), days = sort_rows(a, TLSRPT_TABLE_DAYS, 0);
    json_key(w, "domains");
    json_begin_array(w);
    size_t d = 0;
    for (size_t k = 0; k < domains.n; k++) {
        size_t i = domains.order[k];
        const char *key = tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DOMAINS, i);
        json_begin_object(w);
        json_member_string(w, "policy-domain", key);
        json_sessions_members(w, tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DOMAINS, i),
                              tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DOMAINS, i));
        json_key(w, "days");
        json_begin_array(w);
        for (; d < days.n && strcmp(tlsrpt_aggregate_row_key(a, TLSRPT_TABLE_DAYS, days.order[d]), key) == 0; d++) {
            char date[16];
            size_t j = days.order[d];
            date_text(tlsrpt_aggregate_row_day(a, TLSRPT_TABLE_DAYS, j), date, sizeof date);
            json_begin_object(w);
            json_member_string(w, "date", date);
            json_sessions_members(w, tlsrpt_aggregate_row_successful(a, TLSRPT_TABLE_DAYS, j),
                                  tlsrpt_aggregate_row_failed(a, TLSRPT_TABLE_DAYS, j));
            json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
    }
    json_end_array(w);
    free(domains.order);
    free(days.order);
    json_ranking(w, a, TLSRPT_TABLE_RESULT_TYPES, "result-types", "result-type", 0);
    json_ranking(w, a, TLSRPT_TABLE_MX_HOSTS, "receiving-mx-hosts", "receiving-mx-hostname", 0);
    json_ranking(w, a, TLSRPT_TABLE_RECEIVING_IPS, "receiving-ips", "receiving-ip", 0);
    json_ranking(w, a, TLSRPT_TABLE_ORGANIZATIONS, "organizations", "organization-name", 1);
    json_key(w, "failed-items");
    json_begin_array(w);
    for (size_t k = 0; k < n_failed; k++) {
        const struct report_result *r = &failed[k];
        json_begin_object(w);
        json_member_string(w, "item", r->file);
        json_member_string(w, "status", report_status_name(r));
        if (r->read_errno)
            json_member_string(w, "error", strerror(r->read_errno));
        json_key(w, "findings");
        const tlsrpt_diag *lists[] = {r->diag};
        json_findings(w, lists, r->diag ? 1 : 0, 1);
        json_end_object(w);
    }
    json_end_array(w);
    json_end_object(w);
    json_finish(w);
}
