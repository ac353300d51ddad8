/* libtlsrpt — the diagnostics list. SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct diag_entry {
    int severity;
    size_t offset;
    char *id;
    char *message;
    char *path;
    char *hint; /* a one-line suggested fix, or NULL (then tlsrpt_diag_hint() looks in default_hints) */
} diag_entry;

struct tlsrpt_diag {
    diag_entry *entries;
    size_t count;
    size_t cap;
    int truncated; /* "too-many-findings" was added: later warnings and notes are dropped */
    size_t text_bytes; /* bytes of the ids, messages and paths of the entries (for DIAG_MAX_TEXT) */
};

/* A list never grows without bound: hostile input that triggers one finding per byte must not make the list itself
 * the unbounded allocation. Warnings and notes stop at DIAG_MAX_ENTRIES - 1 entries, and one more entry,
 * "too-many-findings", says that some were dropped. Errors are kept past that point, up to DIAG_ERROR_RESERVE more
 * entries in all (one of them stays free for the marker until it is added); then each new error replaces the newest
 * error. So a call that fails after a flood of findings still lists, as its last entry, the ERROR that explains the
 * failure. */
#define DIAG_MAX_ENTRIES 1000u
#define DIAG_ERROR_RESERVE 16u
/* Warnings and notes also stop (with the marker) once the entries' text (ids, messages, paths) reaches this many
 * bytes, so that the list's memory is bounded by a constant, not by entries times the longest path. */
#define DIAG_MAX_TEXT (256u * 1024u)
/* A hint is one line; a longer one (one that quotes a long destination) is stored cut to this many bytes less one. */
#define DIAG_MAX_HINT 512u
/* A path longer than TRPT_DIAG_PATH_MAX (internal.h) is stored cut in the middle at segment boundaries. */
#define DIAG_MAX_PATH TRPT_DIAG_PATH_MAX
#define DIAG_PATH_HEAD TRPT_DIAG_PATH_HEAD

TLSRPT_API int tlsrpt_diag_new(tlsrpt_diag **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = calloc(1, sizeof **out);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

static size_t entry_text_bytes(const diag_entry *e)
{
    return strlen(e->id) + strlen(e->message) + strlen(e->path) + (e->hint ? strlen(e->hint) : 0);
}

static void entry_free(diag_entry *e)
{
    free(e->id);
    free(e->message);
    free(e->path);
    free(e->hint);
}

TLSRPT_API void tlsrpt_diag_clear(tlsrpt_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        entry_free(&d->entries[i]);
    d->count = 0;
    d->truncated = 0;
    d->text_bytes = 0;
}

TLSRPT_API void tlsrpt_diag_free(tlsrpt_diag *d)
{
    if (!d)
        return;
    tlsrpt_diag_clear(d);
    free(d->entries);
    free(d);
}

TLSRPT_API size_t tlsrpt_diag_count(const tlsrpt_diag *d)
{
    return d ? d->count : 0;
}

static const diag_entry *entry_at(const tlsrpt_diag *d, size_t i)
{
    return (d && i < d->count) ? &d->entries[i] : NULL;
}

TLSRPT_API int tlsrpt_diag_severity(const tlsrpt_diag *d, size_t i)
{
    const diag_entry *e = entry_at(d, i);
    return e ? e->severity : TLSRPT_EINVAL;
}

TLSRPT_API const char *tlsrpt_diag_id(const tlsrpt_diag *d, size_t i)
{
    const diag_entry *e = entry_at(d, i);
    return e ? e->id : NULL;
}

TLSRPT_API const char *tlsrpt_diag_message(const tlsrpt_diag *d, size_t i)
{
    const diag_entry *e = entry_at(d, i);
    return e ? e->message : NULL;
}

TLSRPT_API size_t tlsrpt_diag_offset(const tlsrpt_diag *d, size_t i)
{
    const diag_entry *e = entry_at(d, i);
    return e ? e->offset : TLSRPT_NO_OFFSET;
}

TLSRPT_API const char *tlsrpt_diag_path(const tlsrpt_diag *d, size_t i)
{
    const diag_entry *e = entry_at(d, i);
    return e ? e->path : NULL;
}

/* A copy of path, cut in the middle when it is longer than DIAG_MAX_PATH: the segments that start in the first
 * DIAG_PATH_HEAD bytes, a "/..." segment, and the segments that fit in the rest. Cuts fall on '/' only, so escapes
 * ("~0", "~1") and UTF-8 sequences stay whole. */
static char *path_copy(const char *path)
{
    size_t len = strlen(path);
    if (len <= DIAG_MAX_PATH)
        return trpt_strdup(path);
    size_t head = DIAG_PATH_HEAD;
    while (head > 0 && path[head] != '/')
        head--;
    size_t tail = len - (DIAG_MAX_PATH - head - 4);
    while (tail < len && path[tail] != '/')
        tail++;
    if (tail == len) /* one segment longer than the room: keep its last part after the marker anyway */
        tail = len - (DIAG_MAX_PATH - head - 5);
    char *out = malloc(head + 4 + (len - tail) + 2);
    if (!out)
        return NULL;
    memcpy(out, path, head);
    memcpy(out + head, "/...", 4);
    size_t n = head + 4;
    if (path[tail] != '/')
        out[n++] = '/';
    memcpy(out + n, path + tail, len - tail + 1);
    return out;
}

static int diag_push(tlsrpt_diag *d, int severity, const char *id, size_t offset, const char *path, char *message)
{
    size_t error_bound = DIAG_MAX_ENTRIES + DIAG_ERROR_RESERVE - (d->truncated ? 0 : 1);
    if (severity == TLSRPT_SEVERITY_ERROR && d->count >= error_bound) {
        /* Full: drop the newest error (only the marker can follow it; a full list holds at most DIAG_MAX_ENTRIES
         * warnings, notes and marker, so it has an error) and append this one, so the error that ended the call is
         * always the last one listed. */
        size_t i = d->count - 1;
        while (d->entries[i].severity != TLSRPT_SEVERITY_ERROR)
            i--;
        d->text_bytes -= entry_text_bytes(&d->entries[i]);
        entry_free(&d->entries[i]);
        memmove(&d->entries[i], &d->entries[i + 1], (d->count - 1 - i) * sizeof d->entries[0]);
        d->count--;
    }
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        diag_entry *p = realloc(d->entries, cap * sizeof *p);
        if (!p) {
            free(message);
            return TLSRPT_ENOMEM;
        }
        d->entries = p;
        d->cap = cap;
    }
    diag_entry *e = &d->entries[d->count];
    e->severity = severity;
    e->offset = offset;
    e->message = message;
    e->hint = NULL;
    e->id = trpt_strdup(id);
    e->path = path_copy(path ? path : "");
    if (!e->id || !e->path) {
        entry_free(e);
        return TLSRPT_ENOMEM;
    }
    d->text_bytes += entry_text_bytes(e);
    d->count++;
    return TLSRPT_OK;
}

/* 1 when a finding of this severity would be stored now, 0 when it would be dropped (adding the marker if this is
 * the first one dropped), -1 when the marker could not be stored (out of memory). */
static int diag_keeps(tlsrpt_diag *d, int severity)
{
    if (!d)
        return 0;
    if (severity == TLSRPT_SEVERITY_ERROR)
        return 1; /* always kept: diag_push makes room in a full list */
    if (d->truncated)
        return 0;
    if (d->count < DIAG_MAX_ENTRIES - 1 && d->text_bytes < DIAG_MAX_TEXT)
        return 1;
    char *msg = trpt_strdup("Too many findings; further warnings and notes were dropped.");
    if (!msg)
        return -1;
    d->truncated = 1;
    return diag_push(d, TLSRPT_SEVERITY_WARNING, "too-many-findings", TLSRPT_NO_OFFSET, NULL, msg) == TLSRPT_OK ? 0
                                                                                                            : -1;
}

int trpt_diag_keeps(tlsrpt_diag *d, int severity)
{
    return diag_keeps(d, severity) > 0;
}

int trpt_diag_vadd(tlsrpt_diag *d, int severity, const char *id, size_t offset, const char *path, const char *fmt,
                   va_list ap)
{
    int keep = diag_keeps(d, severity);
    if (keep <= 0)
        return keep < 0 ? TLSRPT_ENOMEM : TLSRPT_OK;
    trpt_buf b;
    trpt_buf_init(&b);
    char small[512];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof small) {
        trpt_buf_append(&b, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            trpt_buf_append(&b, big, (size_t)n);
            free(big);
        } else {
            b.failed = 1;
        }
    }
    /* A sentence that ends in a fully qualified name ("... for _smtp._tls.example.com.") gets one period, not two. */
    if (b.len >= 2 && b.data[b.len - 1] == '.' && b.data[b.len - 2] == '.' && (b.len < 3 || b.data[b.len - 3] != '.'))
        b.data[--b.len] = '\0';
    char *msg;
    if (trpt_buf_finish(&b, &msg, NULL) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    return diag_push(d, severity, id, offset, path, msg);
}

int trpt_diag_add(tlsrpt_diag *d, int severity, const char *id, size_t offset, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = trpt_diag_vadd(d, severity, id, offset, path, fmt, ap);
    va_end(ap);
    return rc;
}

size_t trpt_diag_errors_since(const tlsrpt_diag *d, size_t from)
{
    size_t n = 0;
    if (!d)
        return 0;
    for (size_t i = from; i < d->count; i++)
        if (d->entries[i].severity == TLSRPT_SEVERITY_ERROR)
            n++;
    return n;
}

int trpt_diag_fail(tlsrpt_diag *d, int rc, const char *id, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = trpt_diag_vadd(d, TLSRPT_SEVERITY_ERROR, id, offset, NULL, fmt, ap);
    va_end(ap);
    return r == TLSRPT_OK ? rc : TLSRPT_ENOMEM;
}

static int deviation_severity(int strict)
{
    return strict ? TLSRPT_SEVERITY_ERROR : TLSRPT_SEVERITY_WARNING;
}

int trpt_diag_deviation_keeps(tlsrpt_diag *d, int strict)
{
    return trpt_diag_keeps(d, deviation_severity(strict));
}

int trpt_diag_vdeviation(tlsrpt_diag *d, int strict, const char *id, size_t offset, const char *path,
                         const char *fmt, va_list ap)
{
    return trpt_diag_vadd(d, deviation_severity(strict), id, offset, path, fmt, ap);
}

int trpt_diag_deviation(tlsrpt_diag *d, int strict, const char *id, size_t offset, const char *path, const char *fmt,
                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = trpt_diag_vdeviation(d, strict, id, offset, path, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- Fix-it hints ---------------------------------------------------------------------------------------------
 * A finding may carry a hint that the code which found it wrote for this input (trpt_diag_hint below: "did you mean
 * \"mailto:a@example.com\"?"). Otherwise tlsrpt_diag_hint() gives the hint of its id from this table, written for
 * every input that draws the id, or NULL. The mistakes behind them, and where they were seen, are in
 * doc/diagnostics.md ("Fix-it hints"). */
static const struct {
    const char *id;
    const char *hint;
} default_hints[] = {
    {"record-version-missing", "Begin the record with v=TLSRPTv1; (exactly so, case-sensitive)."},
    {"record-version-invalid", "Begin the record with v=TLSRPTv1; (exactly so, case-sensitive)."},
    {"record-rua-missing", "Add a destination: v=TLSRPTv1; rua=mailto:tlsrpt@example.com (your own address)."},
    {"record-field-empty", "Remove the extra ';'."},
    {"record-field-space", "Remove the whitespace around '=': write rua=mailto:... with nothing between."},
    {"record-space-before-semicolon", "Remove the whitespace: begin the record with v=TLSRPTv1; exactly."},
    {"record-trailing-whitespace", "Remove the whitespace at the end of the record."},
    {"record-rua-wrong-case", "Write the field name in lower case: rua=."},
    {"record-version-repeated",
     "Publish one record: put every destination in its one rua= field, separated by ','."},
    {"rua-repeated", "Put every destination in one rua= field, separated by ',': rua=URI,URI."},
    {"rua-empty", "Put a mailto: or https: destination after rua= (or remove the extra ',')."},
    {"rua-none-usable", "Use a mailto: address or an https: URL as the destination."},
    {"rua-scheme-unsupported", "Use a mailto: address or an https: URL instead."},
    {"uri-no-scheme", "Write the scheme: mailto: before an e-mail address, https:// before a web address."},
    {"uri-unencoded-delimiter",
     "Write ',' '!' ';' inside a destination as %2C %21 %3B; separate destinations with ','."},
    {"lint-rua-duplicate", "Remove the repeated destination."},
    {"lint-rua-scheme-unsupported", "Use a mailto: address or an https: URL instead."},
    {"lint-no-mailto", "Consider adding a mailto: destination next to the https: one."},
    {"lint-record-long", "Publish the record as several quoted strings of at most 255 bytes in one TXT record."},
    {"dns-nxdomain", "Publish a TXT record such as \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\" at _smtp._tls. "
                     "followed by the domain."},
    {"dns-no-data", "Publish a TXT record such as \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\" at _smtp._tls. "
                    "followed by the domain."},
    {"dns-no-tlsrpt-record", "The TXT record there must begin with v=TLSRPTv1; (without quotes or a name before it)."},
    {"dns-multiple-records",
     "Keep one TLSRPT record: delete the others and list every destination in its rua=, separated by ','."},
};

TLSRPT_API const char *tlsrpt_diag_hint(const tlsrpt_diag *d, size_t i)
{
    const diag_entry *e = entry_at(d, i);
    if (!e)
        return NULL;
    if (e->hint)
        return e->hint;
    for (size_t k = 0; k < sizeof default_hints / sizeof default_hints[0]; k++)
        if (strcmp(default_hints[k].id, e->id) == 0)
            return default_hints[k].hint;
    return NULL;
}

int trpt_diag_hint(tlsrpt_diag *d, size_t from, const char *id, const char *fmt, ...)
{
    if (!d)
        return TLSRPT_OK;
    size_t i = d->count;
    while (i > from && strcmp(d->entries[i - 1].id, id) != 0)
        i--;
    if (i == from)
        return TLSRPT_OK; /* the finding was dropped (a full list), or not made */
    diag_entry *e = &d->entries[i - 1];
    char small[DIAG_MAX_HINT];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return TLSRPT_OK;
    char *hint = trpt_strdup(small);
    if (!hint)
        return TLSRPT_ENOMEM;
    if (e->hint) {
        d->text_bytes -= strlen(e->hint);
        free(e->hint);
    }
    e->hint = hint;
    d->text_bytes += strlen(hint);
    return TLSRPT_OK;
}
