/* libtlsrpt — the one-pass reader of plain reports (report_fast.h says what it takes and why it exists).
 * SPDX-License-Identifier: MIT
 *
 * Every function here takes the cursor (a pointer into the text) and returns the cursor after what it read, or NULL
 * when the input is not of the plain kind: then trpt_report_read_fast() frees the report and returns 0. Nothing is
 * reported from here; nothing here needs to be right about why the input is not plain, only that it is not.
 *
 * What "plain" checks, next to what the general path checks (report_parse.c, json_reader.c), so that the two agree:
 *   - JSON grammar of exactly this schema: objects, arrays, strings, integers; whitespace is space, tab, LF, CR.
 *   - strings: no backslash, no byte below 0x20, UTF-8 well-formed (RFC 3629, utf8.h: the reader's own rule);
 *   - names: the schema's member names of each object, each at most once (so no duplicate-name finding);
 *   - counts: 0, or 1 to 19 digits without a leading zero, not followed by '.', 'e' or 'E' (exact uint64);
 *   - date-times: trpt_datetime_parse() accepts them and they have a zone;
 *   - policy and result types: registered ones; no "failure-error-code";
 *   - the count limits of report.h, and the memory budget (less a margin, report_fast.h).
 */
#include "report_fast.h"

#include "datetime.h"
#include "report_internal.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

typedef const unsigned char *cursor;

typedef struct fast {
    cursor in;  /* the text: offsets count from here */
    cursor end; /* one past its last byte */
    tlsrpt_report *r;
    trpt_arena *arena;
    trpt_budget budget;
    int strict;
    char **items; /* the strings of the array being read, reused for every array */
    size_t cap_items;
    size_t failure_details; /* in all policies so far */
    char *result_type_copy[TLSRPT_RESULT_STS_WEBPKI_INVALID + 1]; /* as in report_parse.c: one copy per type */
    trpt_fast_result *res;
} fast;

/* The byte at p, or 0 at the end (a NUL byte outside a string is not JSON either: both end the plain path). */
static inline unsigned peek(cursor end, cursor p)
{
    return p < end ? *p : 0u;
}

#if defined(__GNUC__)
#define OUT_OF_LINE __attribute__((noinline))
#else
#define OUT_OF_LINE
#endif

static cursor skip_ws_run(cursor end, cursor p) OUT_OF_LINE;

/* The first byte at or after p that is not JSON whitespace. */
static cursor skip_ws_run(cursor end, cursor p)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

/* skip_ws_run(), inline for no whitespace and for the one space of ", " and ": " (a byte above ' ' is never
 * whitespace). */
static inline cursor skip_ws(cursor end, cursor p)
{
    if (end - p >= 2) {
        if (p[0] > ' ')
            return p;
        if (p[0] == ' ' && p[1] > ' ')
            return p + 1;
    }
    return skip_ws_run(end, p);
}

static inline int plain_byte(unsigned c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static cursor string_end_slow(cursor end, cursor s) OUT_OF_LINE;

/* s is at a byte of a string that is not plain (plain_byte): the closing quote, or NULL when the string has a
 * backslash, a control byte or ill-formed UTF-8, or does not end. */
static cursor string_end_slow(cursor end, cursor s)
{
    for (;;) {
        while (s < end && plain_byte(*s))
            s++;
        if (s >= end)
            return NULL;
        if (*s == '"')
            return s;
        if (*s < 0x80)
            return NULL; /* a backslash or a control byte */
        size_t bad;
        size_t n = trpt_utf8_sequence(s, (size_t)(end - s), &bad);
        if (!n)
            return NULL;
        s += n;
    }
}

/* s is just after an opening quote: string_end_slow(), with the common case inline (plain bytes up to the quote). */
static inline cursor string_end(cursor end, cursor s)
{
#if defined(__SSE2__) && defined(__GNUC__)
    /* 16 bytes at a time: the signed compare with 0x20 also flags every byte >= 0x80 (negative). */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end - s >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask) {
            s += __builtin_ctz(mask);
            return *s == '"' ? s : string_end_slow(end, s);
        }
        s += 16;
    }
#endif
    return string_end_slow(end, s);
}

/* p is at a member name: reads it and the ':' after it. Sets *name, *len; returns the cursor at the value. */
static inline cursor member_name(cursor end, cursor p, cursor *name, size_t *len)
{
    if (peek(end, p) != '"')
        return NULL;
    cursor q = string_end(end, p + 1);
    if (!q)
        return NULL;
    *name = p + 1;
    *len = (size_t)(q - p - 1);
    p = skip_ws(end, q + 1);
    if (peek(end, p) != ':')
        return NULL;
    return skip_ws(end, p + 1);
}

/* 1 if the n bytes at s are lit's (n = strlen(lit) >= 4): overlapping word compares, which the compiler turns into
 * compares with constants (a call of memcmp is most of a name's cost otherwise). */
static inline int name_is(cursor s, const char *lit, size_t n)
{
    uint64_t a, b;
    if (n < 8) {
        uint32_t x, y, z, w;
        memcpy(&x, s, 4);
        memcpy(&y, lit, 4);
        memcpy(&z, s + n - 4, 4);
        memcpy(&w, lit + n - 4, 4);
        return ((x ^ y) | (z ^ w)) == 0;
    }
    uint64_t diff = 0;
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        memcpy(&a, s + i, 8);
        memcpy(&b, lit + i, 8);
        diff |= a ^ b;
    }
    memcpy(&a, s + n - 8, 8);
    memcpy(&b, lit + n - 8, 8);
    return (diff | (a ^ b)) == 0;
}

#define NAME_IS(s, lit) name_is((s), (lit), sizeof(lit) - 1u)

/* After a member's value or an array element: the next one (*more 1, cursor at it) or the closing `close` (*more 0,
 * cursor after it). */
static inline cursor next_item(cursor end, cursor p, unsigned close, int *more)
{
    p = skip_ws(end, p);
    unsigned c = peek(end, p);
    if (c == ',') {
        *more = 1;
        return skip_ws(end, p + 1);
    }
    *more = 0;
    return c == close ? p + 1 : NULL;
}

/* p is at '{' or '[': the cursor at the first member or element (*more 1) or after an empty container (*more 0). */
static inline cursor open_container(cursor end, cursor p, unsigned open, int *more)
{
    if (peek(end, p) != open)
        return NULL;
    p = skip_ws(end, p + 1);
    *more = peek(end, p) != open + 2u; /* '}' is '{' + 2, ']' is '[' + 2 */
    return *more ? p : p + 1;
}

/* A string value: its bytes (not copied) in *s, *len; the cursor after it. */
static inline cursor string_value(cursor end, cursor p, cursor *s, size_t *len)
{
    if (peek(end, p) != '"')
        return NULL;
    cursor q = string_end(end, p + 1);
    if (!q)
        return NULL;
    *s = p + 1;
    *len = (size_t)(q - p - 1);
    return q + 1;
}

/* A string value copied into the report's arena (*field). */
static inline cursor take_string(fast *f, cursor end, cursor p, char **field)
{
    cursor s;
    size_t len;
    if (!(p = string_value(end, p, &s, &len)))
        return NULL;
    char *copy = trpt_arena_strndup(f->arena, (const char *)s, len);
    if (!copy)
        return NULL;
    *field = copy;
    return p;
}

/* A count: an exact uint64 written as a plain integer. */
static inline cursor take_count(cursor end, cursor p, uint64_t *out)
{
    unsigned c = peek(end, p);
    uint64_t v = 0;
    if (c == '0') {
        p++;
    } else if (c >= '1' && c <= '9') {
        cursor digits = p;
        while (p < end && *p >= '0' && *p <= '9' && p - digits < 19)
            v = v * 10u + (unsigned)(*p++ - '0');
    } else {
        return NULL; /* a minus sign, another type, null */
    }
    c = peek(end, p);
    if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E')
        return NULL; /* a leading zero, a twentieth digit, a fraction, an exponent */
    *out = v;
    return p;
}

/* A date-time with a zone, as Unix seconds. */
static inline cursor take_datetime(cursor end, cursor p, int64_t *out, int *has)
{
    cursor s;
    size_t len;
    int has_zone;
    if (!(p = string_value(end, p, &s, &len)) || trpt_datetime_parse((const char *)s, len, out, &has_zone) != TLSRPT_OK ||
        !has_zone)
        return NULL;
    *has = 1;
    return p;
}

/* Lists a finding of the report (report_fast.h); in strict mode every one of them is an error: give up. */
static int note(fast *f, trpt_missing kind, cursor at, size_t pi, size_t fi)
{
    trpt_fast_result *res = f->res;
    if (f->strict || res->n_notes == TRPT_FAST_MAX_NOTES)
        return 0;
    trpt_fast_note *n = &res->notes[res->n_notes++];
    n->kind = kind;
    n->offset = (uint32_t)(at - f->in);
    n->pi = (uint32_t)pi;
    n->fi = (uint32_t)fi;
    return 1;
}

/* An array of strings (policy-string, mx-host; `limit` entries at most), or for mx-host also one string, handed to
 * set() as in report_parse.c. */
static cursor string_list(fast *f, cursor end, cursor p, tlsrpt_policy *pol, int (*set)(tlsrpt_policy *, char *const *, size_t),
                          unsigned limit, int one_string_too)
{
    size_t n = 0;
    if (one_string_too && peek(end, p) == '"') {
        if (!f->cap_items) {
            if (!trpt_budget_take(&f->budget, 16 * sizeof *f->items) || !(f->items = malloc(16 * sizeof *f->items)))
                return NULL;
            f->cap_items = 16;
        }
        if (!(p = take_string(f, end, p, &f->items[0])))
            return NULL;
        return set(pol, f->items, 1) == TLSRPT_OK ? p : NULL;
    }
    int more;
    if (!(p = open_container(end, p, '[', &more)))
        return NULL;
    while (more) {
        if (n == limit)
            return NULL;
        if (n == f->cap_items) {
            size_t cap = f->cap_items ? f->cap_items * 2 : 16;
            if (!trpt_budget_take(&f->budget, (cap - f->cap_items) * sizeof *f->items))
                return NULL;
            char **grown = realloc(f->items, cap * sizeof *grown);
            if (!grown) {
                trpt_budget_give(&f->budget, (cap - f->cap_items) * sizeof *f->items);
                return NULL;
            }
            f->items = grown;
            f->cap_items = cap;
        }
        if (!(p = take_string(f, end, p, &f->items[n])) || !(p = next_item(end, p, ']', &more)))
            return NULL;
        n++;
    }
    return set(pol, f->items, n) == TLSRPT_OK ? p : NULL;
}

/* ---- The schema ------------------------------------------------------------------------------------------------ */

static cursor failure_detail(fast *f, cursor p, tlsrpt_policy *pol, size_t pi, size_t fi)
{
    const cursor end = f->end;
    enum { TYPE = 1, COUNT = 2, SMI = 4, RMH = 8, HELO = 16, RIP = 32, INFO = 64, REASON = 128 };
    cursor at = p;
    int more;
    if (!(p = open_container(end, p, '{', &more)))
        return NULL;
    tlsrpt_failure *d = trpt_arena_alloc(f->arena, sizeof *d);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    d->arena = f->arena;
    if (trpt_policy_take_failure(pol, d) != TLSRPT_OK)
        return NULL;
    unsigned seen = 0;
    while (more) {
        cursor name;
        size_t len;
        unsigned bit = 0;
        char **field = NULL;
        if (!(p = member_name(end, p, &name, &len)))
            return NULL;
        switch (len) {
        case 11: /* the result type: a registered one, its copy shared by every detail of that type */
            if (!NAME_IS(name, "result-type") || (seen & TYPE))
                return NULL;
            seen |= TYPE;
            {
                cursor s;
                size_t n;
                if (!(p = string_value(end, p, &s, &n)))
                    return NULL;
                int code = trpt_result_code_from_text((const char *)s, n);
                if (code == TLSRPT_RESULT_OTHER)
                    return NULL;
                if (!f->result_type_copy[code] &&
                    !(f->result_type_copy[code] = trpt_arena_strndup(f->arena, (const char *)s, n)))
                    return NULL;
                d->result_type = f->result_type_copy[code];
                d->result_code = code;
            }
            break;
        case 20:
            if (!NAME_IS(name, "failed-session-count") || (seen & COUNT))
                return NULL;
            seen |= COUNT;
            if (!(p = take_count(end, p, &d->session_count)))
                return NULL;
            break;
        case 14:
            bit = SMI, field = &d->sending_mta_ip;
            if (!NAME_IS(name, "sending-mta-ip"))
                return NULL;
            break;
        case 21:
            bit = RMH, field = &d->receiving_mx_hostname;
            if (!NAME_IS(name, "receiving-mx-hostname"))
                return NULL;
            break;
        case 17:
            bit = HELO, field = &d->receiving_mx_helo;
            if (!NAME_IS(name, "receiving-mx-helo"))
                return NULL;
            break;
        case 12:
            bit = RIP, field = &d->receiving_ip;
            if (!NAME_IS(name, "receiving-ip"))
                return NULL;
            break;
        case 22:
            bit = INFO, field = &d->additional_information;
            if (!NAME_IS(name, "additional-information"))
                return NULL;
            break;
        case 19:
            bit = REASON, field = &d->reason_code;
            if (!NAME_IS(name, "failure-reason-code"))
                return NULL;
            break;
        default: /* "failure-error-code" (a deviation) and every unknown member */
            return NULL;
        }
        if (field) {
            if (seen & bit)
                return NULL;
            seen |= bit;
            if (!(p = take_string(f, end, p, field)))
                return NULL;
        }
        if (!(p = next_item(end, p, '}', &more)))
            return NULL;
    }
    if (!(seen & TYPE))
        return NULL; /* an error: the general path says so */
    if ((!(seen & COUNT) && !note(f, TRPT_MISSING_SESSION_COUNT, at, pi, fi)) ||
        (!(seen & SMI) && !note(f, TRPT_MISSING_SENDING_MTA_IP, at, pi, fi)) ||
        (!(seen & RMH) && !note(f, TRPT_MISSING_RECEIVING_MX_HOSTNAME, at, pi, fi)))
        return NULL;
    return p;
}

static cursor failure_details(fast *f, cursor p, tlsrpt_policy *pol, size_t pi)
{
    const cursor end = f->end;
    int more;
    if (!(p = open_container(end, p, '[', &more)))
        return NULL;
    pol->has_failures = 1;
    for (size_t fi = 0; more; fi++) {
        if (++f->failure_details > TLSRPT_MAX_FAILURE_DETAILS || !(p = failure_detail(f, p, pol, pi, fi)) ||
            !(p = next_item(end, p, ']', &more)))
            return NULL;
    }
    return p;
}

/* "policy": sets *policy_seen to the members read (bits as below). */
static cursor policy_object(fast *f, cursor p, tlsrpt_policy *pol, unsigned *seen_out)
{
    const cursor end = f->end;
    enum { TYPE = 1, DOMAIN = 2, STRINGS = 4, MX = 8 };
    int more;
    if (!(p = open_container(end, p, '{', &more)))
        return NULL;
    unsigned seen = 0;
    while (more) {
        cursor name;
        size_t len;
        if (!(p = member_name(end, p, &name, &len)))
            return NULL;
        if (len == 11 && NAME_IS(name, "policy-type") && !(seen & TYPE)) {
            seen |= TYPE;
            if (!(p = take_string(f, end, p, &pol->type_name)))
                return NULL;
            pol->type = trpt_policy_type_from_name(pol->type_name);
            if (pol->type == TLSRPT_POLICY_OTHER)
                return NULL;
        } else if (len == 13 && NAME_IS(name, "policy-domain") && !(seen & DOMAIN)) {
            seen |= DOMAIN;
            if (!(p = take_string(f, end, p, &pol->domain)))
                return NULL;
        } else if (len == 13 && NAME_IS(name, "policy-string") && !(seen & STRINGS)) {
            seen |= STRINGS;
            if (!(p = string_list(f, end, p, pol, trpt_policy_set_strings, TLSRPT_MAX_POLICY_STRINGS, 0)))
                return NULL;
        } else if (len == 7 && NAME_IS(name, "mx-host") && !(seen & MX)) {
            seen |= MX;
            if (!(p = string_list(f, end, p, pol, trpt_policy_set_mx_hosts, TLSRPT_MAX_MX_HOSTS, 1)))
                return NULL;
        } else {
            return NULL;
        }
        if (!(p = next_item(end, p, '}', &more)))
            return NULL;
    }
    *seen_out = seen;
    return p;
}

/* "summary": *failed_at is the total-failure-session-count's offset when it was read. */
static cursor summary_object(fast *f, cursor p, tlsrpt_policy *pol, unsigned *seen_out, cursor *failed_at)
{
    const cursor end = f->end;
    enum { SUCCESSFUL = 1, FAILED = 2 };
    int more;
    if (!(p = open_container(end, p, '{', &more)))
        return NULL;
    unsigned seen = 0;
    while (more) {
        cursor name;
        size_t len;
        if (!(p = member_name(end, p, &name, &len)))
            return NULL;
        if (len == 30 && NAME_IS(name, "total-successful-session-count") && !(seen & SUCCESSFUL)) {
            seen |= SUCCESSFUL;
            if (!(p = take_count(end, p, &pol->successful_sessions)))
                return NULL;
        } else if (len == 27 && NAME_IS(name, "total-failure-session-count") && !(seen & FAILED)) {
            seen |= FAILED;
            *failed_at = p;
            if (!(p = take_count(end, p, &pol->failed_sessions)))
                return NULL;
        } else {
            return NULL;
        }
        if (!(p = next_item(end, p, '}', &more)))
            return NULL;
    }
    *seen_out = seen;
    return p;
}

static cursor policy_entry(fast *f, cursor p, size_t pi)
{
    const cursor end = f->end;
    enum { POLICY = 1, SUMMARY = 2, DETAILS = 4 };
    cursor at = p, policy_at = p, summary_at = p, failed_at = NULL;
    int more;
    if (!(p = open_container(end, p, '{', &more)))
        return NULL;
    tlsrpt_policy *pol = trpt_arena_alloc(f->arena, sizeof *pol);
    if (!pol)
        return NULL;
    memset(pol, 0, sizeof *pol);
    pol->arena = f->arena;
    if (trpt_report_take_policy(f->r, pol) != TLSRPT_OK)
        return NULL;
    unsigned seen = 0, policy_seen = 0, summary_seen = 0;
    while (more) {
        cursor name;
        size_t len;
        if (!(p = member_name(end, p, &name, &len)))
            return NULL;
        if (len == 6 && NAME_IS(name, "policy") && !(seen & POLICY)) {
            seen |= POLICY;
            policy_at = p;
            p = policy_object(f, p, pol, &policy_seen);
        } else if (len == 7 && NAME_IS(name, "summary") && !(seen & SUMMARY)) {
            seen |= SUMMARY;
            summary_at = p;
            p = summary_object(f, p, pol, &summary_seen, &failed_at);
        } else if (len == 15 && NAME_IS(name, "failure-details") && !(seen & DETAILS)) {
            seen |= DETAILS;
            p = failure_details(f, p, pol, pi);
        } else {
            return NULL;
        }
        if (!p || !(p = next_item(end, p, '}', &more)))
            return NULL;
    }
    /* The checks at the end of a policy, in report_parse.c's order (parse_policy_entry). */
    if (!(seen & POLICY) || !(policy_seen & 1))
        return NULL; /* "policy" or "policy-type" missing: errors */
    if ((!(policy_seen & 2) && !note(f, TRPT_MISSING_POLICY_DOMAIN, policy_at, pi, 0)) ||
        (!(policy_seen & 4) && (pol->type == TLSRPT_POLICY_STS || pol->type == TLSRPT_POLICY_TLSA) &&
         !note(f, TRPT_MISSING_POLICY_STRING, policy_at, pi, 0)) ||
        (!(policy_seen & 8) && pol->type == TLSRPT_POLICY_STS && !note(f, TRPT_MISSING_MX_HOST, policy_at, pi, 0)))
        return NULL;
    if (!(seen & SUMMARY)) {
        if (!note(f, TRPT_MISSING_SUMMARY, at, pi, 0))
            return NULL;
    } else if ((!(summary_seen & 1) && !note(f, TRPT_MISSING_SUCCESSFUL, summary_at, pi, 0)) ||
               (!(summary_seen & 2) && !note(f, TRPT_MISSING_FAILED, summary_at, pi, 0))) {
        return NULL;
    }
    if ((summary_seen & 2) && pol->n_failures > 0) {
        uint64_t sum;
        if ((trpt_policy_details_sum(pol, &sum) != TLSRPT_OK || sum != pol->failed_sessions) &&
            !note(f, TRPT_NOTE_SUMMARY_MISMATCH, failed_at, pi, 0))
            return NULL;
    }
    return p;
}

static cursor date_range(fast *f, cursor p)
{
    const cursor end = f->end;
    enum { START = 1, END = 2 };
    cursor at = p;
    tlsrpt_report *r = f->r;
    int more;
    if (!(p = open_container(end, p, '{', &more)))
        return NULL;
    unsigned seen = 0;
    while (more) {
        cursor name;
        size_t len;
        if (!(p = member_name(end, p, &name, &len)))
            return NULL;
        if (len == 14 && NAME_IS(name, "start-datetime") && !(seen & START)) {
            seen |= START;
            p = take_datetime(end, p, &r->start_time, &r->has_start_time);
        } else if (len == 12 && NAME_IS(name, "end-datetime") && !(seen & END)) {
            seen |= END;
            p = take_datetime(end, p, &r->end_time, &r->has_end_time);
        } else {
            return NULL;
        }
        if (!p || !(p = next_item(end, p, '}', &more)))
            return NULL;
    }
    if ((!(seen & START) && !note(f, TRPT_MISSING_START_DATETIME, at, 0, 0)) ||
        (!(seen & END) && !note(f, TRPT_MISSING_END_DATETIME, at, 0, 0)))
        return NULL;
    return p;
}

static cursor policies(fast *f, cursor p)
{
    const cursor end = f->end;
    int more;
    if (!(p = open_container(end, p, '[', &more)))
        return NULL;
    for (size_t pi = 0; more; pi++) {
        if (pi >= TLSRPT_MAX_POLICIES || !(p = policy_entry(f, p, pi)) || !(p = next_item(end, p, ']', &more)))
            return NULL;
    }
    return p;
}

static cursor report_object(fast *f, cursor p)
{
    const cursor end = f->end;
    enum { ORG = 1, RANGE = 2, CONTACT = 4, ID = 8, POLICIES = 16 };
    tlsrpt_report *r = f->r;
    cursor at = p;
    int more;
    if (!(p = open_container(end, p, '{', &more)))
        return NULL;
    unsigned seen = 0;
    while (more) {
        cursor name;
        size_t len;
        if (!(p = member_name(end, p, &name, &len)))
            return NULL;
        if (len == 17 && NAME_IS(name, "organization-name") && !(seen & ORG)) {
            seen |= ORG;
            p = take_string(f, end, p, &r->organization_name);
        } else if (len == 10 && NAME_IS(name, "date-range") && !(seen & RANGE)) {
            seen |= RANGE;
            p = date_range(f, p);
        } else if (len == 12 && NAME_IS(name, "contact-info") && !(seen & CONTACT)) {
            seen |= CONTACT;
            p = take_string(f, end, p, &r->contact_info);
        } else if (len == 9 && NAME_IS(name, "report-id") && !(seen & ID)) {
            seen |= ID;
            p = take_string(f, end, p, &r->report_id);
        } else if (len == 8 && NAME_IS(name, "policies") && !(seen & POLICIES)) {
            seen |= POLICIES;
            p = policies(f, p);
        } else {
            return NULL;
        }
        if (!p || !(p = next_item(end, p, '}', &more)))
            return NULL;
    }
    if (!(seen & POLICIES))
        return NULL; /* an error */
    if ((!(seen & ORG) && !note(f, TRPT_MISSING_ORGANIZATION_NAME, at, 0, 0)) ||
        (!(seen & RANGE) && !note(f, TRPT_MISSING_DATE_RANGE, at, 0, 0)) ||
        (!(seen & CONTACT) && !note(f, TRPT_MISSING_CONTACT_INFO, at, 0, 0)) ||
        (!(seen & ID) && !note(f, TRPT_MISSING_REPORT_ID, at, 0, 0)))
        return NULL;
    return p;
}

int trpt_report_read_fast(const char *text, size_t len, int strict, size_t memory_limit, trpt_fast_result *res)
{
    fast f;
    memset(&f, 0, sizeof f);
    res->report = NULL;
    res->n_notes = 0;
    res->memory_peak = 0;
    if (memory_limit <= TRPT_FAST_MEMORY_MARGIN || trpt_report_create(&f.r) != TLSRPT_OK)
        return 0;
    f.in = (cursor)text;
    f.end = f.in + len;
    f.strict = strict;
    f.res = res;
    f.budget.limit = memory_limit - TRPT_FAST_MEMORY_MARGIN;
    f.arena = &f.r->arena;
    f.r->arena.budget = &f.budget;
    cursor p = report_object(&f, skip_ws(f.end, f.in));
    int taken = p && skip_ws(f.end, p) == f.end;
    f.r->arena.budget = NULL;
    free(f.items);
    res->memory_peak = f.budget.peak;
    if (!taken) {
        tlsrpt_report_free(f.r);
        res->n_notes = 0;
        return 0;
    }
    res->report = f.r;
    return 1;
}
