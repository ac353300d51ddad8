/* libtlsrpt — outcome events (include/tlsrpt/event.h): the version 1 format, its encoder, and its application to a
 * report through the public builder (tlsrpt_report_merge of a one-policy report: atomic, so a failed event leaves
 * the report unchanged). tlsrpt_event(3) specifies the bytes.
 * SPDX-License-Identifier: MIT */
#include "domain.h"
#include "internal.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <tlsrpt/event.h>

/* The format, version 1. Integers are big-endian; a string is a 2-byte length and that many bytes of UTF-8 without
 * NUL. Header: magic (4), version (1), size of the whole event (2), kind (1), policy type (1), time (8, two's
 * complement), sessions (8); then the policy domain, the policy strings and the mx-hosts (each list a 2-byte count
 * and its strings); a failure event then has the result type, one byte of field flags and one string per flag. */
static const unsigned char event_magic[4] = {0x89, 'T', 'R', 'E'};
#define EVENT_HEADER_SIZE 25u
#define EVENT_MIN_SIZE (EVENT_HEADER_SIZE + 2u + 2u + 2u) /* empty domain, no strings, no mx-hosts */
#define EVENT_OFFSET_VERSION 4u
#define EVENT_OFFSET_SIZE 5u
#define EVENT_OFFSET_KIND 7u
#define EVENT_OFFSET_POLICY_TYPE 8u
#define EVENT_OFFSET_TIME 9u
#define EVENT_OFFSET_SESSIONS 17u
#define EVENT_KIND_SUCCESSES 1u
#define EVENT_KIND_FAILURES 2u
#define EVENT_STRING_MAX 65535u
/* The optional fields of a failure detail, in flag-bit order. */
#define EVENT_FIELD_COUNT 6u
static const char *const field_names[EVENT_FIELD_COUNT] = {
    "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip", "additional-information",
    "failure-reason-code",
};

/* ---- Encoding ------------------------------------------------------------------------------------------------- */

/* Writes when there is room (buf non-NULL and the whole event fits, checked by the caller) and counts always. */
typedef struct {
    unsigned char *buf;
    size_t pos;
} event_writer;

static void put_bytes(event_writer *w, const void *p, size_t n)
{
    if (w->buf && n)
        memcpy(w->buf + w->pos, p, n);
    w->pos += n;
}

static void put_u8(event_writer *w, unsigned int v)
{
    unsigned char b = (unsigned char)v;
    put_bytes(w, &b, 1);
}

static void put_u16(event_writer *w, size_t v)
{
    unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    put_bytes(w, b, 2);
}

static void put_u64(event_writer *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (unsigned char)v;
    put_bytes(w, b, 8);
}

static void put_string(event_writer *w, const char *s)
{
    size_t n = strlen(s);
    put_u16(w, n);
    put_bytes(w, s, n);
}

/* What an event holds, already checked and in the form it is written. */
typedef struct {
    int64_t time;
    int policy_type;
    char *domain;
    const char *const *strings;
    size_t n_strings;
    char **mx;
    size_t n_mx;
    const char *result_type;
    const char *fields[EVENT_FIELD_COUNT];
    uint64_t sessions;
} event_content;

static void write_event(event_writer *w, const event_content *c, size_t size)
{
    put_bytes(w, event_magic, sizeof event_magic);
    put_u8(w, TLSRPT_EVENT_VERSION);
    put_u16(w, size);
    put_u8(w, c->result_type ? EVENT_KIND_FAILURES : EVENT_KIND_SUCCESSES);
    put_u8(w, (unsigned int)c->policy_type);
    put_u64(w, (uint64_t)c->time);
    put_u64(w, c->sessions);
    put_string(w, c->domain);
    put_u16(w, c->n_strings);
    for (size_t i = 0; i < c->n_strings; i++)
        put_string(w, c->strings[i]);
    put_u16(w, c->n_mx);
    for (size_t i = 0; i < c->n_mx; i++)
        put_string(w, c->mx[i]);
    if (c->result_type) {
        put_string(w, c->result_type);
        unsigned int flags = 0;
        for (unsigned int i = 0; i < EVENT_FIELD_COUNT; i++)
            if (c->fields[i])
                flags |= 1u << i;
        put_u8(w, flags);
        for (unsigned int i = 0; i < EVENT_FIELD_COUNT; i++)
            if (c->fields[i])
                put_string(w, c->fields[i]);
    }
}

/* An mx-host pattern in lower-case A-labels: a host name, or "*." and one. */
static int mx_alabel(const char *pattern, char **out)
{
    *out = NULL;
    if (!pattern)
        return TLSRPT_EINVAL;
    int wildcard = strncmp(pattern, "*.", 2) == 0;
    char *host;
    int rc = trpt_domain_to_alabel(pattern + (wildcard ? 2 : 0), 0, &host);
    if (rc != TLSRPT_OK || !wildcard) {
        *out = host;
        return rc;
    }
    size_t n = strlen(host);
    *out = malloc(n + 3);
    if (*out) {
        memcpy(*out, "*.", 2);
        memcpy(*out + 2, host, n + 1);
    }
    free(host);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

static int fits_string(const char *s)
{
    size_t n = strlen(s);
    return n <= EVENT_STRING_MAX && trpt_utf8_valid_prefix(s, n) == n;
}

TLSRPT_API int tlsrpt_event_encode(void *buf, size_t buf_size, size_t *out_len, int64_t time, int policy_type,
                                   const char *policy_domain, const char *const *policy_strings, size_t n_strings,
                                   const char *const *mx_hosts, size_t n_mx_hosts, const tlsrpt_failure *failure,
                                   uint64_t sessions)
{
    if (out_len)
        *out_len = 0;
    if ((!buf && buf_size > 0) || !policy_domain || (n_strings > 0 && !policy_strings) ||
        (n_mx_hosts > 0 && !mx_hosts) ||
        (policy_type != TLSRPT_POLICY_STS && policy_type != TLSRPT_POLICY_TLSA &&
         policy_type != TLSRPT_POLICY_NO_POLICY_FOUND))
        return TLSRPT_EINVAL;
    if (n_strings > TLSRPT_MAX_POLICY_STRINGS || n_mx_hosts > TLSRPT_MAX_MX_HOSTS)
        return TLSRPT_ELIMIT;
    for (size_t i = 0; i < n_strings; i++)
        if (!policy_strings[i] || !fits_string(policy_strings[i]))
            return TLSRPT_EINVAL;

    event_content c = {.time = time, .policy_type = policy_type, .strings = policy_strings, .n_strings = n_strings,
                       .sessions = sessions};
    int rc = TLSRPT_OK;
    if (failure) {
        c.result_type = tlsrpt_failure_result_type(failure);
        c.fields[0] = tlsrpt_failure_sending_mta_ip(failure);
        c.fields[1] = tlsrpt_failure_receiving_mx_hostname(failure);
        c.fields[2] = tlsrpt_failure_receiving_mx_helo(failure);
        c.fields[3] = tlsrpt_failure_receiving_ip(failure);
        c.fields[4] = tlsrpt_failure_additional_information(failure);
        c.fields[5] = tlsrpt_failure_reason_code(failure);
        if (!c.result_type || !fits_string(c.result_type))
            return TLSRPT_EINVAL;
        for (unsigned int i = 0; i < EVENT_FIELD_COUNT; i++)
            if (c.fields[i] && !fits_string(c.fields[i]))
                return TLSRPT_EINVAL;
    }
    if (n_mx_hosts > 0) {
        c.mx = calloc(n_mx_hosts, sizeof *c.mx);
        if (!c.mx)
            return TLSRPT_ENOMEM;
    }
    rc = trpt_domain_to_alabel(policy_domain, 0, &c.domain);
    for (size_t i = 0; rc == TLSRPT_OK && i < n_mx_hosts; i++, c.n_mx++)
        rc = mx_alabel(mx_hosts[i], &c.mx[i]);
    if (rc == TLSRPT_OK) {
        event_writer measure = {NULL, 0};
        write_event(&measure, &c, 0);
        if (measure.pos > TLSRPT_EVENT_MAX_SIZE) {
            rc = TLSRPT_ELIMIT;
        } else {
            if (out_len)
                *out_len = measure.pos;
            if (measure.pos > buf_size) {
                rc = TLSRPT_ELIMIT;
            } else {
                event_writer w = {buf, 0};
                write_event(&w, &c, measure.pos);
            }
        }
    }
    free(c.domain);
    for (size_t i = 0; i < c.n_mx; i++)
        free(c.mx[i]);
    free(c.mx);
    return rc;
}

/* ---- Decoding ------------------------------------------------------------------------------------------------- */

typedef struct {
    size_t off; /* of the string's first byte in the event */
    size_t len;
} event_span;

/* A checked event: scalars decoded, strings located. The string lists are walked again from their offsets. */
typedef struct {
    size_t size;
    unsigned int kind;
    int policy_type;
    int64_t time;
    uint64_t sessions;
    event_span domain;
    size_t n_strings, strings_at;
    size_t n_mx, mx_at;
    event_span result_type;
    event_span fields[EVENT_FIELD_COUNT];
    unsigned int flags;
} event_view;

typedef struct {
    const unsigned char *d;
    size_t end; /* the event's size */
    size_t pos;
    tlsrpt_diag *diag;
} event_reader;

static size_t get_u16(const unsigned char *p)
{
    return (size_t)p[0] << 8 | p[1];
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static int64_t to_int64(uint64_t u)
{
    /* two's complement without relying on the implementation-defined conversion */
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static int read_count(event_reader *r, const char *what, size_t *out)
{
    if (r->end - r->pos < 2)
        return trpt_diag_fail(r->diag, TLSRPT_ESYNTAX, "event-field-overrun", r->pos,
                              "The count of %s at offset %zu runs past the event's end at %zu.", what, r->pos,
                              r->end);
    *out = get_u16(r->d + r->pos);
    r->pos += 2;
    return TLSRPT_OK;
}

static int read_string(event_reader *r, const char *what, event_span *s)
{
    if (r->end - r->pos < 2)
        return trpt_diag_fail(r->diag, TLSRPT_ESYNTAX, "event-field-overrun", r->pos,
                              "The length of the %s at offset %zu runs past the event's end at %zu.", what, r->pos,
                              r->end);
    size_t len = get_u16(r->d + r->pos);
    if (r->end - r->pos - 2 < len)
        return trpt_diag_fail(r->diag, TLSRPT_ESYNTAX, "event-field-overrun", r->pos,
                              "The %s at offset %zu says %zu bytes, which runs past the event's end at %zu.", what,
                              r->pos, len, r->end);
    const char *text = (const char *)r->d + r->pos + 2;
    size_t valid = trpt_utf8_valid_prefix(text, len);
    const char *nul = memchr(text, '\0', valid);
    if (nul || valid < len) {
        size_t bad = nul ? (size_t)(nul - text) : valid;
        return trpt_diag_fail(r->diag, TLSRPT_ESYNTAX, "event-string-invalid", r->pos + 2 + bad,
                              "The %s holds %s at offset %zu.", what, nul ? "a NUL byte" : "bytes that are not UTF-8",
                              r->pos + 2 + bad);
    }
    s->off = r->pos + 2;
    s->len = len;
    r->pos += 2 + len;
    return TLSRPT_OK;
}

/* A count and that many strings; limit_id is the finding past the limit. */
static int read_list(event_reader *r, const char *items, const char *item, size_t limit, const char *limit_name,
                     const char *limit_id, size_t *count, size_t *at)
{
    size_t count_at = r->pos;
    int rc = read_count(r, items, count);
    if (rc != TLSRPT_OK)
        return rc;
    if (*count > limit)
        return trpt_diag_fail(r->diag, TLSRPT_ELIMIT, limit_id, count_at,
                              "The event has %zu %s; the limit is %s (%zu).", *count, items, limit_name, limit);
    *at = r->pos;
    event_span ignored;
    for (size_t i = 0; rc == TLSRPT_OK && i < *count; i++)
        rc = read_string(r, item, &ignored);
    return rc;
}

/* Checks the event at the start of d (exactly len bytes of it when exact). */
static int decode(const unsigned char *d, size_t len, int exact, event_view *v, tlsrpt_diag *diag)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < sizeof event_magic && i < len; i++)
        if (d[i] != event_magic[i])
            return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-foreign", i,
                                  "The data is not a libtlsrpt outcome event: byte %zu is 0x%02x, the format starts "
                                  "with the bytes 89 54 52 45.",
                                  i, d[i]);
    if (len < EVENT_OFFSET_SIZE + 2)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-truncated", len,
                              "The event ends after %zu bytes, inside its header.", len);
    if (d[EVENT_OFFSET_VERSION] != TLSRPT_EVENT_VERSION)
        return trpt_diag_fail(diag, TLSRPT_EUNSUPPORTED, "event-version-unsupported", EVENT_OFFSET_VERSION,
                              "The event is of format version %u; this library reads version %d.",
                              d[EVENT_OFFSET_VERSION], TLSRPT_EVENT_VERSION);
    v->size = get_u16(d + EVENT_OFFSET_SIZE);
    if (v->size > TLSRPT_EVENT_MAX_SIZE)
        return trpt_diag_fail(diag, TLSRPT_ELIMIT, "event-too-large", EVENT_OFFSET_SIZE,
                              "The event's size field says %zu bytes, more than TLSRPT_EVENT_MAX_SIZE (%u).", v->size,
                              TLSRPT_EVENT_MAX_SIZE);
    if (v->size < EVENT_MIN_SIZE)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-size-invalid", EVENT_OFFSET_SIZE,
                              "The event's size field says %zu bytes, less than the smallest event (%u).", v->size,
                              EVENT_MIN_SIZE);
    if (v->size > len)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-truncated", len,
                              "The event's size field says %zu bytes, but the data ends after %zu.", v->size, len);
    if (exact && v->size != len)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-length-mismatch", v->size,
                              "The data goes on for %zu bytes after the event's %zu (one event per call).",
                              len - v->size, v->size);
    v->kind = d[EVENT_OFFSET_KIND];
    if (v->kind != EVENT_KIND_SUCCESSES && v->kind != EVENT_KIND_FAILURES)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-kind-unknown", EVENT_OFFSET_KIND,
                              "The event's kind is %u; 1 (successes) and 2 (failures) are defined.", v->kind);
    v->policy_type = d[EVENT_OFFSET_POLICY_TYPE];
    if (v->policy_type != TLSRPT_POLICY_STS && v->policy_type != TLSRPT_POLICY_TLSA &&
        v->policy_type != TLSRPT_POLICY_NO_POLICY_FOUND)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-policy-type-unknown", EVENT_OFFSET_POLICY_TYPE,
                              "The event's policy type is %d; 1 (sts), 2 (tlsa) and 3 (no-policy-found) are "
                              "defined.",
                              v->policy_type);
    v->time = to_int64(get_u64(d + EVENT_OFFSET_TIME));
    v->sessions = get_u64(d + EVENT_OFFSET_SESSIONS);

    event_reader r = {d, v->size, EVENT_HEADER_SIZE, diag};
    int rc = read_string(&r, "policy domain", &v->domain);
    if (rc == TLSRPT_OK)
        rc = read_list(&r, "policy strings", "policy string", TLSRPT_MAX_POLICY_STRINGS, "TLSRPT_MAX_POLICY_STRINGS",
                       DIAG_ID("event-too-many-strings"), &v->n_strings, &v->strings_at);
    if (rc == TLSRPT_OK)
        rc = read_list(&r, "mx-hosts", "mx-host", TLSRPT_MAX_MX_HOSTS, "TLSRPT_MAX_MX_HOSTS",
                       DIAG_ID("event-too-many-mx-hosts"), &v->n_mx, &v->mx_at);
    if (rc == TLSRPT_OK && v->kind == EVENT_KIND_FAILURES) {
        rc = read_string(&r, "result type", &v->result_type);
        if (rc == TLSRPT_OK && r.pos == r.end)
            rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-field-overrun", r.pos,
                                "The field flags at offset %zu are past the event's end.", r.pos);
        if (rc == TLSRPT_OK) {
            v->flags = d[r.pos];
            if (v->flags >> EVENT_FIELD_COUNT)
                rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-field-flags-unknown", r.pos,
                                    "The field flags 0x%02x set bits that are not defined (0x3f are).", v->flags);
            r.pos++;
        }
        for (unsigned int i = 0; rc == TLSRPT_OK && i < EVENT_FIELD_COUNT; i++)
            if (v->flags & (1u << i))
                rc = read_string(&r, field_names[i], &v->fields[i]);
    }
    if (rc == TLSRPT_OK && r.pos != r.end)
        rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-trailing-bytes", r.pos,
                            "The event's last field ends at offset %zu, but its size field says %zu bytes.", r.pos,
                            r.end);
    return rc;
}

TLSRPT_API int tlsrpt_event_peek(const void *data, size_t len, size_t *event_len, int64_t *time, tlsrpt_diag *diag)
{
    if (event_len)
        *event_len = 0;
    if (time)
        *time = 0;
    if (!data && len > 0)
        return TLSRPT_EINVAL;
    event_view v;
    int rc = decode(data ? data : "", len, 0, &v, diag);
    if (rc != TLSRPT_OK)
        return rc;
    if (event_len)
        *event_len = v.size;
    if (time)
        *time = v.time;
    return TLSRPT_OK;
}

/* ---- Applying ------------------------------------------------------------------------------------------------- */

/* The event's strings as C strings: copies with a NUL each, in one block, and the arrays the builder takes. */
typedef struct {
    char *block;
    const char **strings; /* n_strings policy strings, then n_mx mx-hosts */
    size_t *offsets;      /* offset in the event of each of them */
    const char *domain;
    const char *result_type;
    const char *fields[EVENT_FIELD_COUNT];
} event_strings;

static const char *copy_span(char **at, const unsigned char *d, event_span s)
{
    char *p = *at;
    memcpy(p, d + s.off, s.len);
    p[s.len] = '\0';
    *at += s.len + 1;
    return p;
}

static int materialize(const unsigned char *d, const event_view *v, event_strings *s)
{
    memset(s, 0, sizeof *s);
    size_t n = v->n_strings + v->n_mx;
    /* every string has a 2-byte length in the event, so size + n bytes hold them all with their NULs */
    s->block = malloc(v->size + n + EVENT_FIELD_COUNT + 2);
    s->strings = malloc((n ? n : 1) * sizeof *s->strings);
    s->offsets = malloc((n ? n : 1) * sizeof *s->offsets);
    if (!s->block || !s->strings || !s->offsets)
        return TLSRPT_ENOMEM;
    char *at = s->block;
    s->domain = copy_span(&at, d, v->domain);
    size_t pos = v->strings_at;
    for (size_t i = 0; i < n; i++) {
        if (i == v->n_strings)
            pos = v->mx_at;
        event_span span = {pos + 2, get_u16(d + pos)};
        s->offsets[i] = span.off;
        s->strings[i] = copy_span(&at, d, span);
        pos = span.off + span.len;
    }
    if (v->kind == EVENT_KIND_FAILURES) {
        s->result_type = copy_span(&at, d, v->result_type);
        for (unsigned int i = 0; i < EVENT_FIELD_COUNT; i++)
            if (v->flags & (1u << i))
                s->fields[i] = copy_span(&at, d, v->fields[i]);
    }
    return TLSRPT_OK;
}

static void release(event_strings *s)
{
    free(s->block);
    free(s->strings);
    free(s->offsets);
}

static int value_invalid(tlsrpt_diag *diag, const char *what, const char *value, size_t offset)
{
    char *q = trpt_quoted(value, strlen(value), 80);
    int rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "event-value-invalid", offset,
                            "The event's %s %s is not accepted by the report builder.", what, q);
    trpt_quoted_free(q);
    return rc;
}

typedef int (*failure_setter)(tlsrpt_failure *f, const char *value);

/* The failure detail the event describes, checked by the builder's own setters. */
static int build_failure(const event_view *v, const event_strings *s, tlsrpt_failure **out, tlsrpt_diag *diag)
{
    static const failure_setter setters[EVENT_FIELD_COUNT] = {
        tlsrpt_failure_set_sending_mta_ip,        tlsrpt_failure_set_receiving_mx_hostname,
        tlsrpt_failure_set_receiving_mx_helo,     tlsrpt_failure_set_receiving_ip,
        tlsrpt_failure_set_additional_information, tlsrpt_failure_set_reason_code,
    };
    int rc = tlsrpt_failure_new(out, s->result_type);
    if (rc == TLSRPT_EINVAL)
        return value_invalid(diag, "result type", s->result_type, v->result_type.off);
    for (unsigned int i = 0; rc == TLSRPT_OK && i < EVENT_FIELD_COUNT; i++) {
        if (!s->fields[i])
            continue;
        rc = setters[i](*out, s->fields[i]);
        if (rc == TLSRPT_EINVAL)
            rc = value_invalid(diag, field_names[i], s->fields[i], v->fields[i].off);
    }
    return rc;
}

/* After tlsrpt_report_add_policy refused the event's policy: which value it was (on a scratch report). */
static int explain_policy(tlsrpt_report *scratch, const event_view *v, const event_strings *s, tlsrpt_diag *diag)
{
    tlsrpt_policy *p;
    int rc = tlsrpt_report_add_policy(scratch, v->policy_type, s->domain, NULL, 0, NULL, 0, &p);
    if (rc == TLSRPT_EINVAL)
        return value_invalid(diag, "policy domain", s->domain, v->domain.off);
    for (size_t i = 0; rc == TLSRPT_OK && i < v->n_mx; i++) {
        rc = tlsrpt_report_add_policy(scratch, v->policy_type, s->domain, NULL, 0, &s->strings[v->n_strings + i], 1,
                                      &p);
        if (rc == TLSRPT_EINVAL)
            return value_invalid(diag, "mx-host", s->strings[v->n_strings + i], s->offsets[v->n_strings + i]);
    }
    return rc == TLSRPT_OK ? value_invalid(diag, "policy", s->domain, v->domain.off) : rc;
}

TLSRPT_API int tlsrpt_report_apply_event(tlsrpt_report *report, const void *data, size_t len, tlsrpt_diag *diag)
{
    if (!report || (!data && len > 0))
        return TLSRPT_EINVAL;
    const unsigned char *d = data ? data : (const unsigned char *)"";
    event_view v;
    int rc = decode(d, len, 1, &v, diag);
    if (rc != TLSRPT_OK)
        return rc;
    int64_t start = tlsrpt_report_start_time(report), end = tlsrpt_report_end_time(report);

    /* The event's outcome as a report of its own over the same period, merged in: tlsrpt_report_merge() changes
     * nothing on error, and finds policies and details exactly as the in-process calls do. */
    tlsrpt_report *one = NULL;
    tlsrpt_failure *failure = NULL;
    event_strings s;
    rc = materialize(d, &v, &s);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_report_new(&one, "event", NULL, "event", start, end); /* EINVAL: the report has no period */
    if (rc == TLSRPT_OK && v.kind == EVENT_KIND_FAILURES)
        rc = build_failure(&v, &s, &failure, diag);
    tlsrpt_policy *policy = NULL;
    if (rc == TLSRPT_OK) {
        rc = tlsrpt_report_add_policy(one, v.policy_type, s.domain, s.strings, v.n_strings, s.strings + v.n_strings,
                                      v.n_mx, &policy);
        if (rc == TLSRPT_EINVAL)
            rc = explain_policy(one, &v, &s, diag);
    }
    if (rc == TLSRPT_OK)
        rc = failure ? tlsrpt_policy_add_failures(policy, failure, v.sessions)
                     : tlsrpt_policy_add_successes(policy, v.sessions);
    if (rc == TLSRPT_OK && (v.time < start || v.time > end))
        rc = trpt_diag_fail(diag, TLSRPT_ESEMANTIC, "event-other-period", EVENT_OFFSET_TIME,
                            "The event's time %lld is outside the report's period %lld..%lld: it belongs to another "
                            "day's report.",
                            (long long)v.time, (long long)start, (long long)end);
    if (rc == TLSRPT_OK) {
        rc = tlsrpt_report_merge(report, one);
        if (rc == TLSRPT_ELIMIT)
            rc = trpt_diag_fail(diag, TLSRPT_ELIMIT, "event-report-limit", EVENT_OFFSET_SESSIONS,
                                "Adding the event's %llu sessions would take a count of the report past 2^64-1, or "
                                "the report past its policy or failure-detail limits.",
                                (unsigned long long)v.sessions);
    }
    tlsrpt_failure_free(failure);
    tlsrpt_report_free(one);
    release(&s);
    return rc;
}
