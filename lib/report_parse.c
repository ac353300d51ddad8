/* libtlsrpt — reading an RFC 8460 report: gzip by magic, then a schema-driven walk over the JSON tokens (no DOM).
 * SPDX-License-Identifier: MIT
 *
 * Three kinds of finding (doc/report-parsing.md has the full table):
 *   - fatal in both modes: what cannot be read as a report (not an object, no "policies" array, a member of the
 *     wrong JSON type, a count that is not an exact uint64, a malformed date-time, a NUL in a string, JSON or gzip
 *     errors, limits). The walk goes on where it can, so that one parse shows every finding; the worst status
 *     is returned (see status_rank()).
 *   - deviations: what real senders do that RFC 8460 does not allow (missing or null members, date-times without a
 *     zone, unknown types, a summary that disagrees with the details, "failure-error-code"). WARNING by default,
 *     ERROR (and TLSRPT_ESEMANTIC) with TLSRPT_PARSE_STRICT.
 *   - notes: unknown members, ignored (INFO in both modes: RFC 8460 does not forbid extensions).
 */
#include "datetime.h"
#include "gzip.h"
#include "json_reader.h"
#include "report_fast.h"
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    trpt_json_reader *json;
    tlsrpt_diag *diag;
    int strict;
    int rc;    /* status of the first fatal error, TLSRPT_OK while there is none */
    int stop;  /* the JSON reader failed (sticky): nothing more can be read */
    trpt_buf path; /* scratch for paths of members that are not in the input (missing members) */
    trpt_arena *arena; /* the report's: every string and object read goes there */
    char **items;      /* the strings of the array being read (read_string_array), reused for every array */
    size_t n_items, cap_items;
    /* The arena copy of each registered result type, made at its first occurrence and shared by every later
     * detail of that type (arena strings are never changed or freed one by one); index: TLSRPT_RESULT_* code. */
    char *result_type_copy[TLSRPT_RESULT_STS_WEBPKI_INVALID + 1];
    trpt_budget budget;     /* the parse's memory (reader, report, scratch): REPORT_MEMORY_FACTOR x input + slack */
    size_t errors;          /* ERROR findings so far (after REPORT_MAX_ERRORS the walk stops) */
    size_t failure_details; /* failure details read so far, in all policies */
    size_t unknown_members; /* members outside RFC 8460 so far, at every level of the schema */
} parser;

/* Memory a parse may use besides the JSON text itself: REPORT_MEMORY_FACTOR bytes per JSON byte plus
 * REPORT_MEMORY_SLACK, for the reader's tracking and the report object together. With the text (the decompressed
 * copy of a gzip report) and the diag list (bounded, lib/diag.c) that keeps tlsrpt_report_parse under
 * 4 x the JSON size + 1 MiB whatever the input (doc/limits.md). Real reports need well under 1 x (bench/README.md). */
#define REPORT_MEMORY_FACTOR 3u
#define REPORT_MEMORY_SLACK (512u * 1024u)
/* After this many ERROR findings the rest of the report is not examined: it fails anyway, and a report of a million
 * bad elements must not cost a million rendered findings. */
#define REPORT_MAX_ERRORS 100u

/* ---- Findings ------------------------------------------------------------------------------------------------------ */

/* Rank of a failure status: the worst one found is returned (out of memory, then a limit, then grammar — gzip,
 * JSON, date-time — then semantics), so that a report that is both malformed and deviating fails as malformed. */
static int status_rank(int rc)
{
    switch (rc) {
    case TLSRPT_ENOMEM:
        return 4;
    case TLSRPT_ELIMIT:
        return 3;
    case TLSRPT_ESYNTAX:
        return 2;
    case TLSRPT_OK:
        return 0;
    default:
        return 1;
    }
}

static void fatal_status(parser *p, int rc)
{
    if (status_rank(rc) > status_rank(p->rc))
        p->rc = rc;
}

/* Records a failure of the JSON reader (its ERROR diagnostic is already in the list). */
static void json_failed(parser *p, int rc)
{
    fatal_status(p, rc);
    p->stop = 1;
}

/* After REPORT_MAX_ERRORS errors the parse reports nothing more: report-too-many-errors stays the last entry. */
static int silenced(const parser *p)
{
    return p->errors >= REPORT_MAX_ERRORS;
}

/* Counts an ERROR finding; at REPORT_MAX_ERRORS the walk stops (with a finding that says so). */
static void error_counted(parser *p)
{
    if (++p->errors != REPORT_MAX_ERRORS)
        return;
    (void)trpt_diag_add(p->diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-too-many-errors"), TLSRPT_NO_OFFSET, NULL,
                        "%u errors; the rest of the report was not examined.", (unsigned)REPORT_MAX_ERRORS);
    p->stop = 1;
}

static void add_finding(parser *p, int severity, const char *id, size_t offset, const char *path, const char *fmt,
                        va_list ap) TRPT_PRINTF(6, 0);

static void add_finding(parser *p, int severity, const char *id, size_t offset, const char *path, const char *fmt,
                        va_list ap)
{
    if (silenced(p))
        return;
    if (trpt_diag_vadd(p->diag, severity, id, offset, path, fmt, ap) != TLSRPT_OK)
        fatal_status(p, TLSRPT_ENOMEM);
    if (severity == TLSRPT_SEVERITY_ERROR)
        error_counted(p);
}

/* An error in both modes, at the current token. */
static void fatal(parser *p, int rc, const char *id, const char *fmt, ...) TRPT_PRINTF(4, 5);

static void fatal(parser *p, int rc, const char *id, const char *fmt, ...)
{
    fatal_status(p, rc);
    va_list ap;
    va_start(ap, fmt);
    add_finding(p, TLSRPT_SEVERITY_ERROR, id, trpt_json_offset(p->json), trpt_json_path(p->json), fmt, ap);
    va_end(ap);
}

/* An error in both modes at a given offset and path (printf-built: only when the error is reported). */
static void fatal_at(parser *p, int rc, const char *id, size_t offset, const char *path, const char *fmt, ...)
    TRPT_PRINTF(6, 7);

static void fatal_at(parser *p, int rc, const char *id, size_t offset, const char *path, const char *fmt, ...)
{
    fatal_status(p, rc);
    va_list ap;
    va_start(ap, fmt);
    add_finding(p, TLSRPT_SEVERITY_ERROR, id, offset, path, fmt, ap);
    va_end(ap);
}

/* A deviation from RFC 8460 is a WARNING, or an ERROR (and TLSRPT_ESEMANTIC) in strict mode (trpt_diag_deviation).
 * Building its text (a path, a quoted value) is worth it only when the list will keep it: deviation_dropped()
 * records a deviation whose finding would be dropped and returns 1; otherwise it returns 0 and the caller builds the
 * text and calls deviation_at(). So a report with a million deviations costs what reading it costs. */
static int deviation_dropped(parser *p)
{
    if (silenced(p)) {
        if (p->strict)
            fatal_status(p, TLSRPT_ESEMANTIC);
        return 1;
    }
    if (trpt_diag_deviation_keeps(p->diag, p->strict))
        return 0;
    if (p->strict) {
        fatal_status(p, TLSRPT_ESEMANTIC);
        error_counted(p);
    }
    return 1;
}

static void deviation_v(parser *p, const char *id, size_t offset, const char *path, const char *fmt, va_list ap)
    TRPT_PRINTF(5, 0);

static void deviation_v(parser *p, const char *id, size_t offset, const char *path, const char *fmt, va_list ap)
{
    if (p->strict)
        fatal_status(p, TLSRPT_ESEMANTIC);
    if (silenced(p))
        return;
    if (trpt_diag_vdeviation(p->diag, p->strict, id, offset, path, fmt, ap) != TLSRPT_OK)
        fatal_status(p, TLSRPT_ENOMEM);
    if (p->strict)
        error_counted(p);
}

static void deviation_at(parser *p, const char *id, size_t offset, const char *path, const char *fmt, ...)
    TRPT_PRINTF(5, 6);

static void deviation_at(parser *p, const char *id, size_t offset, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    deviation_v(p, id, offset, path, fmt, ap);
    va_end(ap);
}

/* A deviation at the current token. */
static void deviation_here(parser *p, const char *id, const char *fmt, ...) TRPT_PRINTF(3, 4);

static void deviation_here(parser *p, const char *id, const char *fmt, ...)
{
    if (deviation_dropped(p))
        return;
    va_list ap;
    va_start(ap, fmt);
    deviation_v(p, id, trpt_json_offset(p->json), trpt_json_path(p->json), fmt, ap);
    va_end(ap);
}

/* The path of a member that is not in the input: printf-built into the scratch buffer. */
static const char *member_path_v(parser *p, const char *fmt, va_list ap) TRPT_PRINTF(2, 0);

static const char *member_path_v(parser *p, const char *fmt, va_list ap)
{
    p->path.len = 0;
    if (p->path.data)
        p->path.data[0] = '\0';
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0 || (size_t)n >= sizeof small)
        return NULL; /* member paths are short: indices and fixed names */
    trpt_buf_append(&p->path, small, (size_t)n);
    return p->path.failed ? NULL : p->path.data;
}

static const char *member_path(parser *p, const char *fmt, ...) TRPT_PRINTF(2, 3);

static const char *member_path(parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *path = member_path_v(p, fmt, ap);
    va_end(ap);
    return path;
}

/* A member that RFC 8460 requires is missing: a deviation at the offset of its container; the path (printf
 * arguments) is built only when the finding is kept. */
static void missing(parser *p, size_t container_offset, const char *name, const char *path_fmt, ...)
    TRPT_PRINTF(4, 5);

static void missing(parser *p, size_t container_offset, const char *name, const char *path_fmt, ...)
{
    if (deviation_dropped(p))
        return;
    va_list ap;
    va_start(ap, path_fmt);
    const char *path = member_path_v(p, path_fmt, ap);
    va_end(ap);
    deviation_at(p, DIAG_ID("report-field-missing"), container_offset, path, "The member \"%s\" is missing.", name);
}

/* A member without which the object is not a report's: an error in both modes. */
static void required_missing(parser *p, size_t container_offset, const char *name, const char *path_fmt, ...)
    TRPT_PRINTF(4, 5);

static void required_missing(parser *p, size_t container_offset, const char *name, const char *path_fmt, ...)
{
    fatal_status(p, TLSRPT_ESEMANTIC);
    if (silenced(p))
        return;
    if (!trpt_diag_keeps(p->diag, TLSRPT_SEVERITY_ERROR)) {
        error_counted(p);
        return;
    }
    va_list ap;
    va_start(ap, path_fmt);
    const char *path = member_path_v(p, path_fmt, ap);
    va_end(ap);
    if (trpt_diag_add(p->diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-field-missing"), container_offset, path,
                      "The member \"%s\" is missing.", name) != TLSRPT_OK)
        fatal_status(p, TLSRPT_ENOMEM);
    error_counted(p);
}

/* A missing member of the kinds both paths report (report_fast.h): its name and path, in one place. */
static void missing_member(parser *p, trpt_missing kind, size_t at, size_t pi, size_t fi)
{
    switch (kind) {
    case TRPT_MISSING_ORGANIZATION_NAME:
        missing(p, at, "organization-name", "/organization-name");
        break;
    case TRPT_MISSING_DATE_RANGE:
        missing(p, at, "date-range", "/date-range");
        break;
    case TRPT_MISSING_CONTACT_INFO:
        missing(p, at, "contact-info", "/contact-info");
        break;
    case TRPT_MISSING_REPORT_ID:
        missing(p, at, "report-id", "/report-id");
        break;
    case TRPT_MISSING_START_DATETIME:
        missing(p, at, "start-datetime", "/date-range/start-datetime");
        break;
    case TRPT_MISSING_END_DATETIME:
        missing(p, at, "end-datetime", "/date-range/end-datetime");
        break;
    case TRPT_MISSING_POLICY_DOMAIN:
        missing(p, at, "policy-domain", "/policies/%zu/policy/policy-domain", pi);
        break;
    case TRPT_MISSING_POLICY_STRING:
        missing(p, at, "policy-string", "/policies/%zu/policy/policy-string", pi);
        break;
    case TRPT_MISSING_MX_HOST:
        missing(p, at, "mx-host", "/policies/%zu/policy/mx-host", pi);
        break;
    case TRPT_MISSING_SUMMARY:
        missing(p, at, "summary", "/policies/%zu/summary", pi);
        break;
    case TRPT_MISSING_SUCCESSFUL:
        missing(p, at, "total-successful-session-count", "/policies/%zu/summary/total-successful-session-count", pi);
        break;
    case TRPT_MISSING_FAILED:
        missing(p, at, "total-failure-session-count", "/policies/%zu/summary/total-failure-session-count", pi);
        break;
    case TRPT_MISSING_SESSION_COUNT:
        missing(p, at, "failed-session-count", "/policies/%zu/failure-details/%zu/failed-session-count", pi, fi);
        break;
    case TRPT_MISSING_SENDING_MTA_IP:
        missing(p, at, "sending-mta-ip", "/policies/%zu/failure-details/%zu/sending-mta-ip", pi, fi);
        break;
    case TRPT_MISSING_RECEIVING_MX_HOSTNAME:
        missing(p, at, "receiving-mx-hostname", "/policies/%zu/failure-details/%zu/receiving-mx-hostname", pi, fi);
        break;
    case TRPT_NOTE_SUMMARY_MISMATCH:
        break; /* summary_check() */
    }
}

/* The policy's total-failure-session-count (read, at failed_offset) against the sum of its failure details. */
static void summary_check(parser *p, const tlsrpt_policy *pol, size_t pi, size_t failed_offset)
{
    uint64_t sum;
    int over = trpt_policy_details_sum(pol, &sum) != TLSRPT_OK;
    if ((over || sum != pol->failed_sessions) && !deviation_dropped(p)) {
        const char *path = member_path(p, "/policies/%zu/summary/total-failure-session-count", pi);
        if (over)
            deviation_at(p, DIAG_ID("report-summary-mismatch"), failed_offset, path,
                         "The failure details add up to more than 2^64-1 failed sessions.");
        else
            deviation_at(p, DIAG_ID("report-summary-mismatch"), failed_offset, path,
                         "The summary counts %llu failed sessions, but the failure details add up to %llu; "
                         "both are kept as written.",
                         (unsigned long long)pol->failed_sessions, (unsigned long long)sum);
    }
}

/* Memory could not be had: over the parse's budget (ELIMIT, once, and the walk stops) or out of memory. */
static void no_memory(parser *p)
{
    if (!p->budget.exceeded) {
        fatal_status(p, TLSRPT_ENOMEM);
        return;
    }
    if (p->stop)
        return;
    fatal_at(p, TLSRPT_ELIMIT, DIAG_ID("report-memory-limit"), trpt_json_offset(p->json), trpt_json_path(p->json),
             "Reading this report would take more than %zu bytes of memory (%u x its size + %u KiB); no real "
             "report comes near that.",
             p->budget.limit, REPORT_MEMORY_FACTOR, REPORT_MEMORY_SLACK / 1024u);
    p->stop = 1;
}

/* A count limit (TLSRPT_MAX_*) is reached at the current element: ELIMIT, and the walk stops. */
static void over_limit(parser *p, const char *id, const char *what, unsigned limit)
{
    fatal(p, TLSRPT_ELIMIT, id, "More than %u %s (the limit, doc/limits.md).", limit, what);
    p->stop = 1;
}

/* ---- Values -------------------------------------------------------------------------------------------------------- */

static const char *token_name(int t)
{
    switch (t) {
    case TRPT_JSON_OBJECT_START:
        return "an object";
    case TRPT_JSON_ARRAY_START:
        return "an array";
    case TRPT_JSON_STRING:
        return "a string";
    case TRPT_JSON_NUMBER:
        return "a number";
    case TRPT_JSON_TRUE:
    case TRPT_JSON_FALSE:
        return "a boolean";
    case TRPT_JSON_NULL:
        return "null";
    default:
        return "not a value";
    }
}

/* Reads the next token: the value of a member or an array element. Returns the token or 0 after a reader error. */
static int next_value(parser *p)
{
    int t = trpt_json_next_value(p->json);
    if (t < 0) {
        json_failed(p, t);
        return 0;
    }
    return t;
}

/* The current value has the wrong type: an error in both modes; the value is skipped. */
static void wrong_type(parser *p, int t, const char *expected)
{
    fatal(p, TLSRPT_ESEMANTIC, DIAG_ID("report-type-mismatch"), "Expected %s here, found %s.", expected, token_name(t));
    int rc = trpt_json_skip(p->json);
    if (rc != TLSRPT_OK)
        json_failed(p, rc);
}

/* null where the schema wants a value: the member counts as absent (a deviation). */
static void null_value(parser *p)
{
    deviation_here(p, DIAG_ID("report-field-null"), "The member is null; it is read as absent.");
}

/* The current token is a STRING: copies it into *field (replacing what was there). A NUL byte is fatal. */
static void take_string(parser *p, char **field)
{
    size_t len;
    const char *s = trpt_json_string(p->json, &len);
    if (trpt_json_string_has_nul(p->json)) {
        fatal(p, TLSRPT_ESEMANTIC, DIAG_ID("report-string-nul"), "The string contains a NUL character (\\u0000).");
        return;
    }
    char *copy = trpt_arena_strndup(p->arena, s, len); /* what trpt_set_string does with an arena */
    if (copy)
        *field = copy;
    else
        no_memory(p);
}

/* Reads a string member's value into *field. Returns 1 when a string was read, 0 otherwise (null, wrong type). */
static int read_string(parser *p, char **field)
{
    int t = next_value(p);
    if (t == TRPT_JSON_STRING) {
        take_string(p, field);
        return 1;
    }
    if (t == TRPT_JSON_NULL)
        null_value(p);
    else if (t)
        wrong_type(p, t, "a string");
    return 0;
}

/* Reads a count member's value (an exact uint64). Returns 1 when a count was read. */
static int read_count(parser *p, uint64_t *field)
{
    int t = next_value(p);
    if (t == TRPT_JSON_NUMBER) {
        uint64_t v;
        int rc = trpt_json_uint64(p->json, &v);
        if (rc != TLSRPT_OK) {
            fatal_status(p, rc == TLSRPT_EINVAL ? TLSRPT_ESEMANTIC : rc);
            return 0;
        }
        *field = v;
        return 1;
    }
    if (t == TRPT_JSON_NULL)
        null_value(p);
    else if (t)
        wrong_type(p, t, "a non-negative integer");
    return 0;
}

/* An unknown member: a note, and its value is skipped (validated by the reader). */
static void unknown_member(parser *p)
{
    if (silenced(p)) /* the walk is unwinding (p->stop): nothing more is read */
        return;
    if (++p->unknown_members > TLSRPT_MAX_UNKNOWN_MEMBERS) {
        over_limit(p, DIAG_ID("report-too-many-unknown-members"), "members that are not part of RFC 8460",
                   TLSRPT_MAX_UNKNOWN_MEMBERS);
        return;
    }
    if (trpt_diag_keeps(p->diag, TLSRPT_SEVERITY_INFO)) {
        size_t len;
        const char *name = trpt_json_string(p->json, &len);
        trpt_buf q;
        trpt_buf_init(&q);
        trpt_buf_put_quoted(&q, name, len, 64);
        if (trpt_diag_add(p->diag, TLSRPT_SEVERITY_INFO, DIAG_ID("report-member-unknown"), trpt_json_offset(p->json),
                          trpt_json_path(p->json), "The member \"%s\" is not part of RFC 8460 and is ignored.",
                          q.failed ? "?" : q.data) != TLSRPT_OK)
            fatal_status(p, TLSRPT_ENOMEM);
        trpt_buf_free(&q);
    }
    int rc = trpt_json_skip(p->json);
    if (rc != TLSRPT_OK)
        json_failed(p, rc);
}

/* A member that occurs a second time in one object (the JSON reader already reported it): the first one counts. */
static void repeated_member(parser *p)
{
    int rc = trpt_json_skip(p->json);
    if (rc != TLSRPT_OK)
        json_failed(p, rc);
}

/* Iterates over the members of the object whose OBJECT_START was just read: returns 1 with the current token a
 * NAME, or 0 at the end of the object or after a reader error. */
static int next_member(parser *p)
{
    if (p->stop)
        return 0;
    int t = trpt_json_next_member(p->json);
    if (t == TRPT_JSON_NAME)
        return 1;
    if (t < 0)
        json_failed(p, t);
    return 0;
}

/* Iterates over the elements of the array whose ARRAY_START was just read: returns the element's first token, or 0
 * at the end of the array or after a reader error. */
static int next_element(parser *p)
{
    if (p->stop)
        return 0;
    int t = trpt_json_next_element(p->json);
    if (t == TRPT_JSON_ARRAY_END)
        return 0;
    if (t < 0) {
        json_failed(p, t);
        return 0;
    }
    return t;
}

/* The member names of one object of the schema, with their lengths, so that the name just read is compared with
 * each of them at most once and mostly by length alone. */
typedef struct member_name {
    const char *text;
    size_t len;
} member_name;

#define MEMBER(s) {s, sizeof s - 1}

/* Index in names[0..n) of the name of the member just read, or -1 when it is not one of them. */
static int member_index(parser *p, const member_name *names, int n)
{
    size_t len;
    const char *s = trpt_json_string(p->json, &len);
    for (int i = 0; i < n; i++)
        if (names[i].len == len && memcmp(names[i].text, s, len) == 0)
            return i;
    return -1;
}

/* ---- Date-times (datetime.h) ------------------------------------------------------------------------------------- */

static void read_datetime(parser *p, int64_t *field, int *has_field)
{
    int t = next_value(p);
    if (t == TRPT_JSON_NULL) {
        null_value(p);
        return;
    }
    if (t != TRPT_JSON_STRING) {
        if (t)
            wrong_type(p, t, "a date-time string");
        return;
    }
    size_t len;
    const char *s = trpt_json_string(p->json, &len);
    int has_zone;
    int rc = trpt_datetime_parse(s, len, field, &has_zone);
    if (rc == TLSRPT_OK) {
        *has_field = 1;
        if (has_zone)
            return; /* the common case: nothing to report */
    }
    if (rc == TLSRPT_OK && deviation_dropped(p))
        return;
    trpt_buf q;
    trpt_buf_init(&q);
    trpt_buf_put_quoted(&q, s, len, 64);
    const char *shown = q.failed ? "?" : q.data;
    if (rc != TLSRPT_OK)
        fatal(p, TLSRPT_ESYNTAX, DIAG_ID("report-datetime-invalid"), "\"%s\" is not an RFC 3339 date-time.", shown);
    else
        deviation_here(p, DIAG_ID("report-datetime-no-zone"), "The date-time \"%s\" has no time zone; it is read as UTC.",
                       shown);
    trpt_buf_free(&q);
}

/* ---- The schema ------------------------------------------------------------------------------------------------------ */

static void parse_date_range(parser *p, tlsrpt_report *r)
{
    int t = next_value(p);
    if (t == TRPT_JSON_NULL) {
        null_value(p);
        return;
    }
    if (t != TRPT_JSON_OBJECT_START) {
        if (t)
            wrong_type(p, t, "an object");
        return;
    }
    size_t at = trpt_json_offset(p->json);
    enum { START, END, N_MEMBERS };
    static const member_name names[N_MEMBERS] = {MEMBER("start-datetime"), MEMBER("end-datetime")};
    int seen_start = 0, seen_end = 0;
    while (next_member(p)) {
        int m = member_index(p, names, N_MEMBERS);
        if (m == START && !seen_start) {
            seen_start = 1;
            read_datetime(p, &r->start_time, &r->has_start_time);
        } else if (m == END && !seen_end) {
            seen_end = 1;
            read_datetime(p, &r->end_time, &r->has_end_time);
        } else if (m >= 0) {
            repeated_member(p);
        } else {
            unknown_member(p);
        }
    }
    if (p->stop)
        return;
    if (!seen_start)
        missing_member(p, TRPT_MISSING_START_DATETIME, at, 0, 0);
    if (!seen_end)
        missing_member(p, TRPT_MISSING_END_DATETIME, at, 0, 0);
}

/* Copies the current STRING into the arena and appends it to p->items. A NUL byte is fatal. */
static void take_item(parser *p)
{
    size_t len;
    const char *s = trpt_json_string(p->json, &len);
    if (trpt_json_string_has_nul(p->json)) {
        fatal(p, TLSRPT_ESEMANTIC, DIAG_ID("report-string-nul"), "The string contains a NUL character (\\u0000).");
        return;
    }
    if (p->n_items == p->cap_items) {
        size_t cap = p->cap_items ? p->cap_items * 2 : 16;
        if (!trpt_budget_take(&p->budget, (cap - p->cap_items) * sizeof *p->items)) {
            no_memory(p);
            return;
        }
        char **grown = realloc(p->items, cap * sizeof *grown);
        if (!grown) {
            trpt_budget_give(&p->budget, (cap - p->cap_items) * sizeof *p->items);
            no_memory(p);
            return;
        }
        p->items = grown;
        p->cap_items = cap;
    }
    char *copy = trpt_arena_strndup(p->arena, s, len);
    if (!copy) {
        no_memory(p);
        return;
    }
    p->items[p->n_items++] = copy;
}

/* Reads an array of strings (policy-string, mx-host) whose ARRAY_START was just read and hands them to set(),
 * which stores the list at its exact size. More than `limit` elements is TLSRPT_ELIMIT (`limit_id`). */
static void read_string_array(parser *p, tlsrpt_policy *pol, int (*set)(tlsrpt_policy *, char *const *, size_t),
                              unsigned limit, const char *limit_id, const char *what)
{
    int t;
    size_t n = 0;
    p->n_items = 0;
    while ((t = next_element(p))) {
        if (++n > limit) {
            over_limit(p, limit_id, what, limit);
            return;
        }
        if (t != TRPT_JSON_STRING)
            wrong_type(p, t, "a string");
        else
            take_item(p);
    }
    if (set(pol, p->items, p->n_items) != TLSRPT_OK)
        no_memory(p);
}

typedef struct policy_seen {
    int type, domain, strings, mx;
} policy_seen;

static void parse_policy_object(parser *p, tlsrpt_policy *pol, policy_seen *seen)
{
    enum { TYPE, DOMAIN, STRINGS, MX, N_MEMBERS };
    static const member_name names[N_MEMBERS] = {MEMBER("policy-type"), MEMBER("policy-domain"),
                                                  MEMBER("policy-string"), MEMBER("mx-host")};
    int t;
    while (next_member(p)) {
        int m = member_index(p, names, N_MEMBERS);
        if (m == TYPE && !seen->type) {
            seen->type = 1;
            t = next_value(p);
            if (t == TRPT_JSON_STRING) {
                take_string(p, &pol->type_name);
                pol->type = trpt_policy_type_from_name(pol->type_name);
                if (pol->type == TLSRPT_POLICY_OTHER && !deviation_dropped(p)) {
                    trpt_buf q;
                    trpt_buf_init(&q);
                    trpt_buf_put_quoted(&q, pol->type_name, strlen(pol->type_name), 64);
                    deviation_here(p, DIAG_ID("report-policy-type-unknown"),
                                   "The policy type \"%s\" is not \"sts\", \"tlsa\" or \"no-policy-found\"; it is "
                                   "kept as written.",
                                   q.failed ? "?" : q.data);
                    trpt_buf_free(&q);
                }
            } else if (t) {
                seen->type = 2; /* reported as the wrong type */
                wrong_type(p, t, "a string");
            }
        } else if (m == DOMAIN && !seen->domain) {
            seen->domain = 1;
            read_string(p, &pol->domain);
        } else if (m == STRINGS && !seen->strings) {
            seen->strings = 1;
            t = next_value(p);
            if (t == TRPT_JSON_ARRAY_START) {
                read_string_array(p, pol, trpt_policy_set_strings, TLSRPT_MAX_POLICY_STRINGS,
                                  DIAG_ID("report-too-many-policy-strings"), "policy strings in one policy");
            } else if (t == TRPT_JSON_NULL) {
                null_value(p);
            } else if (t) {
                wrong_type(p, t, "an array of strings");
            }
        } else if (m == MX && !seen->mx) {
            /* A string (RFC 8460 §4.4) or an array of strings (erratum 6241): both conform. */
            seen->mx = 1;
            t = next_value(p);
            if (t == TRPT_JSON_ARRAY_START) {
                read_string_array(p, pol, trpt_policy_set_mx_hosts, TLSRPT_MAX_MX_HOSTS,
                                  DIAG_ID("report-too-many-mx-hosts"), "mx-host patterns in one policy");
            } else if (t == TRPT_JSON_STRING) {
                p->n_items = 0;
                take_item(p);
                if (p->n_items == 1 && trpt_policy_set_mx_hosts(pol, p->items, 1) != TLSRPT_OK)
                    no_memory(p);
            } else if (t == TRPT_JSON_NULL) {
                null_value(p);
            } else if (t) {
                wrong_type(p, t, "a string or an array of strings");
            }
        } else if (m >= 0) {
            repeated_member(p);
        } else {
            unknown_member(p);
        }
    }
}

typedef struct summary_seen {
    int successful, failed;
    size_t failed_offset;
} summary_seen;

static void parse_summary_object(parser *p, tlsrpt_policy *pol, summary_seen *seen)
{
    enum { SUCCESSFUL, FAILED, N_MEMBERS };
    static const member_name names[N_MEMBERS] = {MEMBER("total-successful-session-count"),
                                                  MEMBER("total-failure-session-count")};
    while (next_member(p)) {
        int m = member_index(p, names, N_MEMBERS);
        if (m == SUCCESSFUL && !seen->successful) {
            seen->successful = 1;
            read_count(p, &pol->successful_sessions);
        } else if (m == FAILED && !seen->failed) {
            seen->failed = 1;
            if (read_count(p, &pol->failed_sessions))
                seen->failed_offset = trpt_json_offset(p->json);
            else
                seen->failed = 2; /* present but not usable: no consistency check */
        } else if (m >= 0) {
            repeated_member(p);
        } else {
            unknown_member(p);
        }
    }
}

static void parse_failure_detail(parser *p, tlsrpt_policy *pol, size_t pi, size_t fi)
{
    size_t at = trpt_json_offset(p->json);
    tlsrpt_failure *f;
    if (trpt_failure_create(&f, p->arena, "", 0) != TLSRPT_OK) {
        no_memory(p);
        return;
    }
    int seen_type = 0, seen_count = 0, seen_smi = 0, seen_rmh = 0, seen_helo = 0, seen_rip = 0, seen_info = 0;
    int seen_reason = 0, seen_alias = 0;
    enum { TYPE, COUNT, SMI, RMH, HELO, RIP, INFO, REASON, ALIAS, N_MEMBERS };
    static const member_name names[N_MEMBERS] = {
        MEMBER("result-type"),         MEMBER("failed-session-count"),   MEMBER("sending-mta-ip"),
        MEMBER("receiving-mx-hostname"), MEMBER("receiving-mx-helo"),    MEMBER("receiving-ip"),
        MEMBER("additional-information"), MEMBER("failure-reason-code"), MEMBER("failure-error-code")};
    while (next_member(p)) {
        int m = member_index(p, names, N_MEMBERS);
        if (m == TYPE && !seen_type) {
            seen_type = 1;
            int t = next_value(p);
            if (t == TRPT_JSON_STRING) {
                size_t len;
                const char *s = trpt_json_string(p->json, &len);
                int code = trpt_result_code_from_text(s, len); /* a registered name has no NUL byte */
                if (code != TLSRPT_RESULT_OTHER && p->result_type_copy[code]) {
                    f->result_type = p->result_type_copy[code];
                    f->result_code = code;
                } else {
                    const char *before = f->result_type;
                    take_string(p, &f->result_type);
                    if (f->result_type != before) { /* copied: the code of its text */
                        f->result_code = code;
                        if (code != TLSRPT_RESULT_OTHER)
                            p->result_type_copy[code] = f->result_type;
                    } else { /* not taken (NUL, memory): the code of what the detail keeps */
                        f->result_code = trpt_result_code_from_name(f->result_type);
                    }
                }
                if (f->result_code == TLSRPT_RESULT_OTHER && !deviation_dropped(p)) {
                    trpt_buf q;
                    trpt_buf_init(&q);
                    trpt_buf_put_quoted(&q, f->result_type, strlen(f->result_type), 64);
                    deviation_here(p, DIAG_ID("report-result-type-unknown"),
                                   "The result type \"%s\" is not registered (RFC 8460 §4.3); it is kept as written.",
                                   q.failed ? "?" : q.data);
                    trpt_buf_free(&q);
                }
            } else if (t) {
                seen_type = 2; /* reported */
                wrong_type(p, t, "a string");
            }
        } else if (m == COUNT && !seen_count) {
            seen_count = 1;
            read_count(p, &f->session_count);
        } else if (m == SMI && !seen_smi) {
            seen_smi = 1;
            read_string(p, &f->sending_mta_ip);
        } else if (m == RMH && !seen_rmh) {
            seen_rmh = 1;
            read_string(p, &f->receiving_mx_hostname);
        } else if (m == HELO && !seen_helo) {
            seen_helo = 1;
            read_string(p, &f->receiving_mx_helo);
        } else if (m == RIP && !seen_rip) {
            seen_rip = 1;
            read_string(p, &f->receiving_ip);
        } else if (m == INFO && !seen_info) {
            seen_info = 1;
            read_string(p, &f->additional_information);
        } else if (m == REASON && !seen_reason) {
            seen_reason = 1;
            char *value = NULL;
            if (read_string(p, &value))
                f->reason_code = value; /* replaces a value taken from "failure-error-code" before */
        } else if (m == ALIAS && !seen_alias) {
            /* The name Appendix B used before publication (AUTH48); old code still sends it. */
            seen_alias = 1;
            deviation_here(p, DIAG_ID("report-failure-error-code"),
                           "\"failure-error-code\" is the pre-publication name of \"failure-reason-code\"; it is read "
                           "as the reason code.");
            char *value = NULL;
            if (read_string(p, &value) && !seen_reason)
                f->reason_code = value;
        } else if (m >= 0) {
            repeated_member(p);
        } else {
            unknown_member(p);
        }
    }
    if (p->stop) {
        trpt_failure_destroy(f);
        return;
    }
    if (!seen_type)
        required_missing(p, at, "result-type", "/policies/%zu/failure-details/%zu/result-type", pi, fi);
    if (!seen_count)
        missing_member(p, TRPT_MISSING_SESSION_COUNT, at, pi, fi);
    if (!seen_smi)
        missing_member(p, TRPT_MISSING_SENDING_MTA_IP, at, pi, fi);
    if (!seen_rmh)
        missing_member(p, TRPT_MISSING_RECEIVING_MX_HOSTNAME, at, pi, fi);
    /* receiving-ip is not required: RFC 8460's own example (Appendix B) omits it in its first failure detail. */
    if (trpt_policy_take_failure(pol, f) != TLSRPT_OK)
        no_memory(p);
}

static void parse_failure_details(parser *p, tlsrpt_policy *pol, size_t pi)
{
    int t = next_value(p);
    if (t == TRPT_JSON_NULL) {
        null_value(p);
        return;
    }
    if (t != TRPT_JSON_ARRAY_START) {
        if (t)
            wrong_type(p, t, "an array of objects");
        return;
    }
    pol->has_failures = 1;
    size_t fi = 0;
    while ((t = next_element(p))) {
        if (++p->failure_details > TLSRPT_MAX_FAILURE_DETAILS) {
            over_limit(p, DIAG_ID("report-too-many-failure-details"), "failure details in one report",
                       TLSRPT_MAX_FAILURE_DETAILS);
            return;
        }
        if (t != TRPT_JSON_OBJECT_START) {
            wrong_type(p, t, "an object");
        } else {
            parse_failure_detail(p, pol, pi, fi);
        }
        fi++;
    }
}

static void parse_policy_entry(parser *p, tlsrpt_report *r, size_t pi)
{
    size_t at = trpt_json_offset(p->json);
    tlsrpt_policy *pol;
    if (trpt_policy_create(&pol, p->arena, "", 0) != TLSRPT_OK) {
        no_memory(p);
        return;
    }
    int seen_policy = 0, seen_summary = 0, seen_details = 0;
    size_t policy_at = at, summary_at = at;
    policy_seen ps = {0, 0, 0, 0};
    summary_seen ss = {0, 0, 0};
    enum { POLICY, SUMMARY, DETAILS, N_MEMBERS };
    static const member_name names[N_MEMBERS] = {MEMBER("policy"), MEMBER("summary"), MEMBER("failure-details")};
    while (next_member(p)) {
        int t;
        int m = member_index(p, names, N_MEMBERS);
        if (m == POLICY && !seen_policy) {
            seen_policy = 1;
            t = next_value(p);
            if (t == TRPT_JSON_OBJECT_START) {
                policy_at = trpt_json_offset(p->json);
                parse_policy_object(p, pol, &ps);
            } else if (t) {
                seen_policy = 2;
                wrong_type(p, t, "an object");
            }
        } else if (m == SUMMARY && !seen_summary) {
            seen_summary = 1;
            t = next_value(p);
            if (t == TRPT_JSON_OBJECT_START) {
                summary_at = trpt_json_offset(p->json);
                parse_summary_object(p, pol, &ss);
            } else if (t == TRPT_JSON_NULL) {
                seen_summary = 2;
                null_value(p);
            } else if (t) {
                seen_summary = 2;
                wrong_type(p, t, "an object");
            }
        } else if (m == DETAILS && !seen_details) {
            seen_details = 1;
            parse_failure_details(p, pol, pi);
        } else if (m >= 0) {
            repeated_member(p);
        } else {
            unknown_member(p);
        }
    }
    if (p->stop) {
        trpt_policy_destroy(pol);
        return;
    }
    if (!seen_policy) {
        required_missing(p, at, "policy", "/policies/%zu/policy", pi);
    } else if (seen_policy == 1) {
        if (!ps.type)
            required_missing(p, policy_at, "policy-type", "/policies/%zu/policy/policy-type", pi);
        if (!ps.domain)
            missing_member(p, TRPT_MISSING_POLICY_DOMAIN, policy_at, pi, 0);
        /* policy-string is meaningless for no-policy-found and mx-host exists only in MTA-STS policies. */
        if (!ps.strings && (pol->type == TLSRPT_POLICY_STS || pol->type == TLSRPT_POLICY_TLSA))
            missing_member(p, TRPT_MISSING_POLICY_STRING, policy_at, pi, 0);
        if (!ps.mx && pol->type == TLSRPT_POLICY_STS)
            missing_member(p, TRPT_MISSING_MX_HOST, policy_at, pi, 0);
    }
    if (!seen_summary) {
        missing_member(p, TRPT_MISSING_SUMMARY, at, pi, 0);
    } else if (seen_summary == 1) {
        if (!ss.successful)
            missing_member(p, TRPT_MISSING_SUCCESSFUL, summary_at, pi, 0);
        if (!ss.failed)
            missing_member(p, TRPT_MISSING_FAILED, summary_at, pi, 0);
    }
    if (ss.failed == 1 && pol->n_failures > 0)
        summary_check(p, pol, pi, ss.failed_offset);
    if (trpt_report_take_policy(r, pol) != TLSRPT_OK)
        no_memory(p);
}

static void parse_policies(parser *p, tlsrpt_report *r)
{
    int t = next_value(p);
    if (t != TRPT_JSON_ARRAY_START) {
        if (t)
            wrong_type(p, t, "an array");
        return;
    }
    size_t pi = 0;
    while ((t = next_element(p))) {
        if (pi >= TLSRPT_MAX_POLICIES) {
            over_limit(p, DIAG_ID("report-too-many-policies"), "policies in one report", TLSRPT_MAX_POLICIES);
            return;
        }
        if (t != TRPT_JSON_OBJECT_START)
            wrong_type(p, t, "an object");
        else
            parse_policy_entry(p, r, pi);
        pi++;
    }
}

static void parse_report_object(parser *p, tlsrpt_report *r)
{
    int t = next_value(p);
    if (!t)
        return;
    if (t != TRPT_JSON_OBJECT_START) {
        fatal(p, TLSRPT_ESEMANTIC, DIAG_ID("report-not-object"), "A report is a JSON object, but this is %s.",
              token_name(t));
        return;
    }
    size_t at = trpt_json_offset(p->json);
    int seen_org = 0, seen_range = 0, seen_contact = 0, seen_id = 0, seen_policies = 0;
    enum { ORG, RANGE, CONTACT, ID, POLICIES, N_MEMBERS };
    static const member_name names[N_MEMBERS] = {MEMBER("organization-name"), MEMBER("date-range"),
                                                  MEMBER("contact-info"), MEMBER("report-id"), MEMBER("policies")};
    while (next_member(p)) {
        int m = member_index(p, names, N_MEMBERS);
        if (m == ORG && !seen_org) {
            seen_org = 1;
            read_string(p, &r->organization_name);
        } else if (m == RANGE && !seen_range) {
            seen_range = 1;
            parse_date_range(p, r);
        } else if (m == CONTACT && !seen_contact) {
            seen_contact = 1;
            read_string(p, &r->contact_info);
        } else if (m == ID && !seen_id) {
            seen_id = 1;
            read_string(p, &r->report_id);
        } else if (m == POLICIES && !seen_policies) {
            seen_policies = 1;
            parse_policies(p, r);
        } else if (m >= 0) {
            repeated_member(p);
        } else {
            unknown_member(p);
        }
    }
    if (p->stop)
        return;
    if (!seen_org)
        missing_member(p, TRPT_MISSING_ORGANIZATION_NAME, at, 0, 0);
    if (!seen_range)
        missing_member(p, TRPT_MISSING_DATE_RANGE, at, 0, 0);
    if (!seen_contact)
        missing_member(p, TRPT_MISSING_CONTACT_INFO, at, 0, 0);
    if (!seen_id)
        missing_member(p, TRPT_MISSING_REPORT_ID, at, 0, 0);
    if (!seen_policies)
        fatal_at(p, TLSRPT_ESEMANTIC, DIAG_ID("report-field-missing"), at, "/policies",
                 "The member \"policies\" is missing: this is not a TLS report.");
    /* Only whitespace may follow the report. */
    t = trpt_json_next(p->json);
    if (t < 0)
        json_failed(p, t);
}

/* The fast path (report_fast.h): 1 when it took the report (*out and *rc set, its findings added), else 0. own: see
 * trpt_report_read_fast(); *own_taken is set when the report keeps it. */
static int parse_fast(tlsrpt_report **out, int *rc, const char *text, size_t len, char *own, int *own_taken,
                      int strict, tlsrpt_diag *diag, size_t limit, trpt_parse_stats *stats)
{
    trpt_fast_result res; /* 2 KiB: the notes */
    trpt_fast_result *fr = &res;
    int taken = trpt_report_read_fast(text, len, own, strict, limit, fr);
    if (stats)
        stats->memory_peak = fr->memory_peak;
    if (!taken) {
        if (own)
            trpt_report_fast_restore(own, fr);
        return 0;
    }
    if (own) {
        fr->report->text = own; /* freed with the report from now on */
        *own_taken = 1;
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.diag = diag;
    p.strict = strict;
    trpt_buf_init(&p.path);
    for (size_t i = 0; i < fr->n_notes; i++) {
        const trpt_fast_note *n = &fr->notes[i];
        if (n->kind == TRPT_NOTE_SUMMARY_MISMATCH)
            summary_check(&p, fr->report->policies[n->pi], n->pi, n->offset);
        else
            missing_member(&p, (trpt_missing)n->kind, n->offset, n->pi, n->fi);
    }
    trpt_buf_free(&p.path);
    if (stats) {
        stats->memory_limit = limit;
        stats->fast_path = 1;
    }
    *rc = p.rc; /* TLSRPT_OK, or TLSRPT_ENOMEM when a finding could not be stored */
    if (p.rc != TLSRPT_OK)
        tlsrpt_report_free(fr->report);
    else
        *out = fr->report;
    return 1;
}

/* Reads the report in text: the fast path first, then the general one. own: NULL, or the same bytes in a buffer of
 * the caller's that the report may keep (*own_taken set then; the caller frees it otherwise). */
static int parse_json(tlsrpt_report **out, const char *text, size_t len, unsigned flags, tlsrpt_diag *diag,
                      trpt_parse_stats *stats, char *own, int *own_taken)
{
    size_t limit = REPORT_MEMORY_FACTOR * len + REPORT_MEMORY_SLACK; /* len <= 20 MiB: no overflow */
    int fast_rc;
    if (!(flags & TRPT_PARSE_GENERAL) && parse_fast(out, &fast_rc, text, len, own, own_taken,
                                                     (flags & TLSRPT_PARSE_STRICT) != 0, diag, limit, stats))
        return fast_rc;
    parser p;
    memset(&p, 0, sizeof p);
    p.diag = diag;
    p.strict = (flags & TLSRPT_PARSE_STRICT) != 0;
    trpt_buf_init(&p.path);
    p.budget.limit = limit;
    int rc = trpt_json_reader_new(&p.json, text, len, p.strict ? TRPT_JSON_STRICT : 0, TLSRPT_MAX_REPORT_SIZE,
                                  diag);
    if (rc != TLSRPT_OK)
        return rc;
    trpt_json_reader_set_budget(p.json, &p.budget);
    tlsrpt_report *r;
    if (trpt_report_create(&r) != TLSRPT_OK) {
        trpt_json_reader_free(p.json);
        return TLSRPT_ENOMEM;
    }
    p.arena = &r->arena;
    r->arena.budget = &p.budget;
    parse_report_object(&p, r);
    r->arena.budget = NULL; /* the report's later growth (builder, merge) is the caller's */
    if (stats)
        trpt_json_reader_stats(p.json, &stats->name_work, &stats->paths_rendered);
    trpt_json_reader_free(p.json);
    trpt_buf_free(&p.path);
    free(p.items);
    if (stats) {
        if (p.budget.peak > stats->memory_peak) /* the fast path's, when it gave up (its memory is freed by now) */
            stats->memory_peak = p.budget.peak;
        stats->memory_limit = p.budget.limit;
    }
    if (p.rc != TLSRPT_OK) {
        tlsrpt_report_free(r);
        return p.rc;
    }
    *out = r;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_report_parse(tlsrpt_report **out, const void *data, size_t len, unsigned flags,
                                   tlsrpt_diag *diag)
{
    if (flags & ~TLSRPT_PARSE_STRICT) {
        if (out)
            *out = NULL;
        return TLSRPT_EINVAL;
    }
    return trpt_report_parse_stats(out, data, len, flags, diag, NULL);
}

int trpt_report_parse_stats(tlsrpt_report **out, const void *data, size_t len, unsigned flags, tlsrpt_diag *diag,
                            trpt_parse_stats *stats)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if ((!data && len > 0) || (flags & ~(TLSRPT_PARSE_STRICT | TRPT_PARSE_GENERAL)))
        return TLSRPT_EINVAL;
    if (len > TLSRPT_MAX_REPORT_SIZE) {
        (void)trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-too-large"), TLSRPT_MAX_REPORT_SIZE, NULL,
                            "The report is %zu bytes, more than the limit of %u bytes.", len,
                            (unsigned)TLSRPT_MAX_REPORT_SIZE);
        return TLSRPT_ELIMIT;
    }
    if (!trpt_gzip_detect(data, len))
        return parse_json(out, data ? data : "", len, flags, diag, stats, NULL, NULL);
    unsigned char *text;
    size_t text_len;
    int rc = trpt_gzip_decompress(data, len, TLSRPT_MAX_REPORT_SIZE, &text, &text_len, diag);
    if (rc != TLSRPT_OK)
        return rc;
    int own_taken = 0;
    rc = parse_json(out, (const char *)text, text_len, flags, diag, stats, (char *)text, &own_taken);
    if (!own_taken)
        free(text);
    return rc;
}
