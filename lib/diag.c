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
} diag_entry;

struct tlsrpt_diag {
    diag_entry *entries;
    size_t count;
    size_t cap;
    int truncated; /* "too-many-findings" was added: later warnings and notes are dropped */
};

/* A list never grows without bound: hostile input that triggers one finding per byte must not make the list itself
 * the unbounded allocation. Warnings and notes stop at DIAG_MAX_ENTRIES - 1 entries, and one more entry,
 * "too-many-findings", says that some were dropped. Errors are kept past that point, up to DIAG_ERROR_RESERVE more
 * entries in all (one of them stays free for the marker until it is added); then each new error replaces the newest
 * error. So a call that fails after a flood of findings still lists, as its last entry, the ERROR that explains the
 * failure. */
#define DIAG_MAX_ENTRIES 1000u
#define DIAG_ERROR_RESERVE 16u

TLSRPT_API int tlsrpt_diag_new(tlsrpt_diag **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = calloc(1, sizeof **out);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

static void entry_free(diag_entry *e)
{
    free(e->id);
    free(e->message);
    free(e->path);
}

TLSRPT_API void tlsrpt_diag_clear(tlsrpt_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        entry_free(&d->entries[i]);
    d->count = 0;
    d->truncated = 0;
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
    e->id = trpt_strdup(id);
    e->path = trpt_strdup(path ? path : "");
    if (!e->id || !e->path) {
        entry_free(e);
        return TLSRPT_ENOMEM;
    }
    d->count++;
    return TLSRPT_OK;
}

int trpt_diag_vadd(tlsrpt_diag *d, int severity, const char *id, size_t offset, const char *path, const char *fmt,
                   va_list ap)
{
    if (!d)
        return TLSRPT_OK;
    if (severity == TLSRPT_SEVERITY_ERROR) {
        /* always kept: diag_push makes room in a full list */
    } else if (d->truncated) {
        return TLSRPT_OK;
    } else if (d->count >= DIAG_MAX_ENTRIES - 1) {
        char *msg = trpt_strdup("Too many findings; further warnings and notes were dropped.");
        if (!msg)
            return TLSRPT_ENOMEM;
        d->truncated = 1;
        return diag_push(d, TLSRPT_SEVERITY_WARNING, "too-many-findings", TLSRPT_NO_OFFSET, NULL, msg);
    }
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
