/* libtlsrpt — private helpers shared by the library's files. Never installed.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_INTERNAL_H
#define TLSRPT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <tlsrpt/tlsrpt.h>

#if defined(__GNUC__)
#define TRPT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TRPT_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define TRPT_PRINTF(f, a)
#define TRPT_WARN_UNUSED
#endif

/* ---- Growable byte buffer ------------------------------------------------------------------------------------
 * Appends never fail loudly: the first allocation failure sets `failed`, later appends are no-ops, and the caller
 * checks once at the end with trpt_buf_finish(). The data is always NUL-terminated once anything was appended. */
typedef struct trpt_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} trpt_buf;

void trpt_buf_init(trpt_buf *b);
void trpt_buf_free(trpt_buf *b);
void trpt_buf_append(trpt_buf *b, const void *data, size_t len);
void trpt_buf_puts(trpt_buf *b, const char *s);
void trpt_buf_putc(trpt_buf *b, char c);
void trpt_buf_printf(trpt_buf *b, const char *fmt, ...) TRPT_PRINTF(2, 3);
/* Hands the NUL-terminated data to *out (caller frees with free()/tlsrpt_free()) and its length to *out_len (may
 * be NULL). Returns TLSRPT_OK or TLSRPT_ENOMEM (then the buffer is released and *out is NULL). */
int trpt_buf_finish(trpt_buf *b, char **out, size_t *out_len) TRPT_WARN_UNUSED;

/* Appends `len` bytes of untrusted text for use inside a diagnostic message: printable ASCII as is, everything
 * else as \xHH, cut after `max` bytes with "...". */
void trpt_buf_put_quoted(trpt_buf *b, const char *text, size_t len, size_t max);

/* ---- Strings ------------------------------------------------------------------------------------------------- */
/* Untrusted text quoted for a diagnostic message (see trpt_buf_put_quoted), as a new string; "" on allocation
 * failure (the returned pointer is then static and must still be passed to trpt_quoted_free). */
char *trpt_quoted(const char *text, size_t len, size_t max);
void trpt_quoted_free(char *q);

char *trpt_strdup(const char *s);
char *trpt_strndup(const char *s, size_t n);
int trpt_ascii_lower(int c);
/* The murmur3 64-bit finalizer: a bijection that spreads every input bit over the output (hash tables, ids). */
static inline uint64_t trpt_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}
int trpt_ascii_strcasecmp(const char *a, const char *b);
int trpt_ascii_strncasecmp(const char *a, const char *b, size_t n);

/* ---- Diagnostics --------------------------------------------------------------------------------------------- */
/* Appends one finding to d (a NULL d is allowed and ignored). The message is printf-formatted. `path` may be NULL
 * (stored as ""). Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_diag_add(tlsrpt_diag *d, int severity, const char *id, size_t offset, const char *path, const char *fmt,
                  ...) TRPT_PRINTF(6, 7);
int trpt_diag_vadd(tlsrpt_diag *d, int severity, const char *id, size_t offset, const char *path, const char *fmt,
                   va_list ap) TRPT_PRINTF(6, 0);
/* 1 when a finding of this severity would be stored in d now, 0 when it would be dropped (d NULL, or a full list:
 * then the list's "too-many-findings" marker is added if it is not there yet). Callers check it before building
 * anything for a finding (a JSON path, a quoted value, a message), so that findings that are dropped cost nothing:
 * a parse costs O(input) however many findings the input provokes. ERROR findings are always kept. */
int trpt_diag_keeps(tlsrpt_diag *d, int severity);
/* Appends an ERROR finding and returns `rc`, or TLSRPT_ENOMEM when the finding could not be stored. */
int trpt_diag_fail(tlsrpt_diag *d, int rc, const char *id, size_t offset, const char *fmt, ...) TRPT_PRINTF(5, 6);

/* A deviation from the standard a parser reads, one it can read past: a WARNING, or an ERROR when the caller asked
 * for strict parsing (TLSRPT_PARSE_STRICT). Every parser reports its deviations through these, so that the rule is
 * one: what a strict failure does to the call's status (stop at once, or fail at the end) stays the parser's.
 * trpt_diag_deviation_keeps() is trpt_diag_keeps() for that severity: ask it before building a path or a quoted
 * value for a deviation, so that a dropped warning costs nothing. trpt_diag_deviation() adds the finding (its
 * message is formatted only when it is kept) and returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_diag_deviation_keeps(tlsrpt_diag *d, int strict);
int trpt_diag_deviation(tlsrpt_diag *d, int strict, const char *id, size_t offset, const char *path, const char *fmt,
                        ...) TRPT_PRINTF(6, 7);
int trpt_diag_vdeviation(tlsrpt_diag *d, int strict, const char *id, size_t offset, const char *path,
                         const char *fmt, va_list ap) TRPT_PRINTF(6, 0);

/* A path longer than TRPT_DIAG_PATH_MAX bytes is stored in a finding cut in the middle, at '/' boundaries: the
 * segments that end within the first TRPT_DIAG_PATH_HEAD bytes, a "/..." segment, and as many of the last segments
 * as fit in the rest (a JSON pointer of 64 levels of 128-byte names would otherwise take ~24 KiB in every entry).
 * The JSON reader renders its paths in that form directly (trpt_json_path), so a finding costs O(1) to describe. */
#define TRPT_DIAG_PATH_MAX 512u
#define TRPT_DIAG_PATH_HEAD 128u

/* Marks a diagnostic id that reaches trpt_diag_add through a variable or helper, so that tests/docs-test.py finds
 * it and checks that doc/diagnostics.md lists it. */
#define DIAG_ID(id) (id)

/* Attaches a one-line fix-it hint (printf-formatted, cut at 511 bytes) to the newest finding with this id at index
 * `from` or later, replacing the default hint of its id (tlsrpt_diag_hint). Nothing happens when there is no such
 * finding (d NULL, or the finding was dropped from a full list). Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_diag_hint(tlsrpt_diag *d, size_t from, const char *id, const char *fmt, ...) TRPT_PRINTF(4, 5);

/* Number of ERROR entries in d from index `from` on. */
size_t trpt_diag_errors_since(const tlsrpt_diag *d, size_t from);

/* ---- Memory budgets -------------------------------------------------------------------------------------------
 * A parser of untrusted input charges what it allocates to a budget that the caller sized from the input
 * (tlsrpt_report_parse: a factor of the JSON size, doc/limits.md), so that peak memory is a documented multiple of
 * the input whatever shapes the input chooses. NULL means no budget. */
typedef struct trpt_budget {
    size_t used;  /* bytes charged now */
    size_t limit; /* bytes that may be charged at once */
    size_t peak;  /* the most charged at any time (tests assert it) */
    int exceeded; /* a charge was refused */
} trpt_budget;

/* Charges n bytes: 1, or 0 (and nothing charged, exceeded set) when that would pass the limit. */
static inline int trpt_budget_take(trpt_budget *b, size_t n)
{
    if (!b)
        return 1;
    if (n > b->limit - b->used) {
        b->exceeded = 1;
        return 0;
    }
    b->used += n;
    if (b->used > b->peak)
        b->peak = b->used;
    return 1;
}

static inline void trpt_budget_give(trpt_budget *b, size_t n)
{
    if (b)
        b->used -= n;
}

#endif
