/* libtlsrpt — the streaming JSON reader (internal, never installed, never exported).
 * SPDX-License-Identifier: MIT
 *
 * A pull reader for RFC 8259 JSON with the I-JSON checks of RFC 7493. There is no DOM: the caller pulls one token
 * at a time with trpt_json_next() and builds its own objects. The whole input is in memory (a report is at most
 * TLSRPT_MAX_REPORT_SIZE bytes), so strings without escapes are handed out as pointers into the input.
 *
 * Typical schema-driven use:
 *
 *     trpt_json_reader *r;
 *     int rc = trpt_json_reader_new(&r, data, len, flags, TLSRPT_MAX_REPORT_SIZE, diag);
 *     if (rc != TLSRPT_OK) return rc;
 *     int t = trpt_json_next(r);                      // TRPT_JSON_OBJECT_START, or < 0
 *     while ((t = trpt_json_next(r)) == TRPT_JSON_NAME) {
 *         if (trpt_json_string_equals(r, "policies")) { ... parse the value ... }
 *         else if ((rc = trpt_json_skip(r)) != TLSRPT_OK) ...;   // unknown member: skip its value
 *     }
 *     // t is TRPT_JSON_OBJECT_END here, or a negative status
 *     t = trpt_json_next(r);                          // TRPT_JSON_END: nothing but whitespace follows
 *     trpt_json_reader_free(r);
 *
 * Errors. Every failure adds one ERROR entry to the diag list given to trpt_json_reader_new() (id, byte offset of
 * the offending byte, JSON pointer of the value being read) and is sticky: every later trpt_json_next() or
 * trpt_json_skip() returns the same status and adds nothing. Status codes: TLSRPT_ESYNTAX (not JSON, or not I-JSON
 * in strict mode), TLSRPT_ELIMIT (nesting depth or input size), TLSRPT_ENOMEM.
 *
 * Strict and lenient mode differ only in the I-JSON checks (RFC 7493) and the byte order mark:
 *
 *   finding                                   strict (TRPT_JSON_STRICT)     lenient (default)
 *   invalid UTF-8 in a string                 ERROR json-invalid-utf8       WARNING, each maximal ill-formed
 *                                                                           subsequence becomes U+FFFD
 *   lone or ill-ordered surrogate escape      ERROR json-lone-surrogate     WARNING, each lone escape is U+FFFD
 *   duplicate member name in one object       ERROR json-duplicate-name     WARNING, both members are delivered
 *   UTF-8 byte order mark before the value    ERROR json-bom                WARNING, the three bytes are skipped
 *
 * A lenient warning is added at most once per string (the first finding in it). Everything else (grammar, control
 * characters, bad escapes, invalid UTF-8 outside strings, limits) is an ERROR in both modes. The diag ids are listed
 * in doc/diagnostics.md ("JSON reader").
 *
 * Memory: one allocation for the reader (with the state of the first 8 nesting levels; deeper levels, up to
 * TLSRPT_MAX_JSON_DEPTH, take 40 bytes each in one array allocated when first reached), one scratch buffer that
 * grows to the longest string with escapes or invalid UTF-8, and duplicate-name tracking for the open objects: 8
 * bytes per distinct member name (a repeated name takes none), the decoded copy of names that contain escapes, and
 * for objects with more than TRPT_JSON_LINEAR_NAMES members a hash index of at most 10.7 bytes per name (4-byte
 * slots, load 3/8..3/4). The index hashes with SipHash-1-3 under a key drawn per reader (siphash.h), so lookups are
 * O(1) expected whatever names the input chooses. A closed object's names are dropped. Nothing is allocated per
 * token. Every buffer can be charged to a budget (trpt_json_reader_set_budget).
 *
 * Thread-safety: a reader is used by one thread at a time; distinct readers are independent.
 */
#ifndef TLSRPT_JSON_READER_H
#define TLSRPT_JSON_READER_H

#include <stddef.h>
#include <stdint.h>

#include <tlsrpt/common.h>

#include "internal.h"

/* trpt_json_reader_new() flags. */
#define TRPT_JSON_STRICT 1u /* I-JSON violations and a BOM are errors instead of warnings */

/* Objects with at most this many members find duplicate names by a linear scan; larger ones through a hash index. */
#define TRPT_JSON_LINEAR_NAMES 16u

/* A member name longer than this many bytes is cut (at a UTF-8 boundary) and followed by "..." in
 * trpt_json_path(): paths are copied into every diagnostic, and a diagnostic must not copy megabytes. */
#define TRPT_JSON_PATH_NAME_MAX 128u

/* Tokens returned by trpt_json_next() (always > 0; errors are negative TLSRPT_E* codes). */
typedef enum trpt_json_token {
    TRPT_JSON_OBJECT_START = 1, /* '{' */
    TRPT_JSON_OBJECT_END,       /* '}' */
    TRPT_JSON_ARRAY_START,      /* '[' */
    TRPT_JSON_ARRAY_END,        /* ']' */
    TRPT_JSON_NAME,             /* a member name (the ':' after it is consumed too); trpt_json_string() */
    TRPT_JSON_STRING,           /* a string value; trpt_json_string() */
    TRPT_JSON_NUMBER,           /* a number; trpt_json_number_text(), trpt_json_uint64() */
    TRPT_JSON_TRUE,
    TRPT_JSON_FALSE,
    TRPT_JSON_NULL,
    TRPT_JSON_END /* the top-level value is complete and only whitespace follows; returned again on every call */
} trpt_json_token;

/* Why a number is not an exact uint64 (trpt_json_number_to_uint64()). */
typedef enum trpt_json_u64_status {
    TRPT_JSON_U64_OK = 0,
    TRPT_JSON_U64_NEGATIVE, /* has a minus sign and is not "-0" ("-0" is 0) */
    TRPT_JSON_U64_FRACTION, /* has a '.' part, "1.0" included (checked before the exponent) */
    TRPT_JSON_U64_EXPONENT, /* has an 'e'/'E' part, "1e2" included */
    TRPT_JSON_U64_TOO_LARGE, /* an integer above 18446744073709551615 */
    TRPT_JSON_U64_SYNTAX     /* the text is not an RFC 8259 number (never for text from the reader) */
} trpt_json_u64_status;

typedef struct trpt_json_reader trpt_json_reader;

/* The current token. A reader starts with this struct (json_reader.c), so that the accessors below are inline: the
 * report parser asks for the current string several times per token. Read it through the accessors only. */
typedef struct trpt_json_current {
    int token;       /* the last result of trpt_json_next() when > 0, else 0 */
    int str_has_nul; /* NAME/STRING: the decoded text contains a NUL byte */
    const char *str; /* NAME/STRING: decoded text; NUMBER: raw text */
    size_t str_len;
    size_t tok_off; /* byte offset of the current token */
} trpt_json_current;

static inline const trpt_json_current *trpt_json_cur_(const trpt_json_reader *r)
{
    return (const trpt_json_current *)(const void *)r;
}

/**
 * trpt_json_reader_new - start reading one JSON text.
 * @out: receives the new reader (free with trpt_json_reader_free); NULL on failure.
 * @data, @len: the input, borrowed: it must stay unchanged until the reader is freed. No NUL terminator needed.
 * @flags: 0 (lenient) or TRPT_JSON_STRICT.
 * @max_size: largest accepted @len, usually TLSRPT_MAX_REPORT_SIZE (values above 2 GiB - 2 count as 2 GiB - 2: the
 *            reader's name offsets are 32-bit).
 * @diag: list that receives every finding (may be NULL); borrowed for the reader's lifetime.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out NULL, data NULL with len > 0, unknown flag), TLSRPT_ENOMEM, or
 * TLSRPT_ELIMIT when len > max_size (ERROR json-size-limit at offset max_size).
 * A UTF-8 byte order mark at the start is handled here: lenient, a WARNING json-bom and the three bytes are
 * skipped (offsets still count them); strict, an ERROR json-bom and the first trpt_json_next() returns
 * TLSRPT_ESYNTAX (this function still returns TLSRPT_OK).
 */
int trpt_json_reader_new(trpt_json_reader **out, const char *data, size_t len, unsigned flags, size_t max_size,
                         tlsrpt_diag *diag);

/** trpt_json_reader_free - release the reader. NULL is a no-op. */
void trpt_json_reader_free(trpt_json_reader *r);

/**
 * trpt_json_reader_set_budget - charge every buffer the reader allocates from now on (name tracking, hash indexes,
 * decoded strings, paths) to budget (NULL: none; borrowed, must outlive the reader). When the budget is spent the
 * reader fails with TLSRPT_ELIMIT and an ERROR json-memory-limit. trpt_json_reader_free gives the bytes back.
 */
void trpt_json_reader_set_budget(trpt_json_reader *r, trpt_budget *budget);

/** trpt_json_reader_stats - the reader's work so far, which tests hold to their bounds: *name_work, hash index
 * slots examined and member names compared (O(names) whatever names the input chooses); *paths_rendered, JSON
 * pointers built (never for a finding that the diag list drops). */
void trpt_json_reader_stats(const trpt_json_reader *r, uint64_t *name_work, uint64_t *paths_rendered);

/**
 * trpt_json_next - read the next token.
 * Returns a trpt_json_token (> 0), or TLSRPT_ESYNTAX, TLSRPT_ELIMIT or TLSRPT_ENOMEM with an ERROR diagnostic
 * (sticky, see above). After TRPT_JSON_NAME the next token is that member's value.
 */
int trpt_json_next(trpt_json_reader *r);

/** trpt_json_next_member, trpt_json_next_value, trpt_json_next_element - trpt_json_next() (exactly: same tokens,
 * state and findings), with a shortcut for the common input where the caller expects the next member of an object
 * (after a member's value), a member's value (after TRPT_JSON_NAME) or the next element of an array. The report
 * parser uses them. */
int trpt_json_next_member(trpt_json_reader *r);
int trpt_json_next_value(trpt_json_reader *r);
int trpt_json_next_element(trpt_json_reader *r);

/**
 * trpt_json_skip - skip the current value, validating it fully.
 * After TRPT_JSON_NAME: reads and skips the member's value. After TRPT_JSON_OBJECT_START/ARRAY_START: reads up to
 * and including the matching end token. After a scalar (or an end token): does nothing. Afterwards the current
 * token is the last one consumed. Returns TLSRPT_OK or the error of trpt_json_next().
 */
int trpt_json_skip(trpt_json_reader *r);

/** trpt_json_token_type - the current token (the last result of trpt_json_next(), 0 before the first). */
static inline int trpt_json_token_type(const trpt_json_reader *r)
{
    return trpt_json_cur_(r)->token;
}

/**
 * trpt_json_string - the decoded text of the current TRPT_JSON_NAME or TRPT_JSON_STRING token: escapes resolved,
 * surrogate pairs joined, UTF-8 (with U+FFFD replacements in lenient mode). Not NUL-terminated and may contain NUL
 * bytes ("\u0000"). Borrowed: valid until the next trpt_json_next()/trpt_json_skip() call. When the string has no
 * escape and no replacement, this points into the input (no copy). NULL (and *len 0) for any other token.
 */
static inline const char *trpt_json_string(const trpt_json_reader *r, size_t *len)
{
    const trpt_json_current *c = trpt_json_cur_(r);
    int is_text = c->token == TRPT_JSON_NAME || c->token == TRPT_JSON_STRING;
    if (len)
        *len = is_text ? c->str_len : 0;
    return is_text ? c->str : NULL;
}

/** trpt_json_string_has_nul - 1 if the decoded text of the current NAME/STRING contains a NUL byte (only a
 * "\u0000" escape can put one there), else 0 (also for any other token). */
static inline int trpt_json_string_has_nul(const trpt_json_reader *r)
{
    const trpt_json_current *c = trpt_json_cur_(r);
    return (c->token == TRPT_JSON_NAME || c->token == TRPT_JSON_STRING) && c->str_has_nul;
}

/** trpt_json_string_equals - 1 if the current NAME/STRING decodes to exactly the C string s, else 0. */
int trpt_json_string_equals(const trpt_json_reader *r, const char *s);

/**
 * trpt_json_number_text - the raw text of the current TRPT_JSON_NUMBER token as written (it follows the RFC 8259
 * number grammar), pointing into the input, not NUL-terminated. NULL (and *len 0) for any other token.
 */
const char *trpt_json_number_text(const trpt_json_reader *r, size_t *len);

/**
 * trpt_json_number_to_uint64 - convert the text of a valid RFC 8259 number (as from trpt_json_number_text) to an
 * exact uint64. Adds no diagnostic. *out is the value on TRPT_JSON_U64_OK and 0 otherwise.
 */
trpt_json_u64_status trpt_json_number_to_uint64(const char *text, size_t len, uint64_t *out);

/**
 * trpt_json_uint64 - the current TRPT_JSON_NUMBER as an exact uint64.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (current token is not a number; no diagnostic) or TLSRPT_ESEMANTIC with an
 * ERROR json-number-negative / json-number-fraction / json-number-exponent / json-number-too-large at the number's
 * offset and path. *out is 0 on failure. Does not make the reader fail: the caller may go on reading.
 */
int trpt_json_uint64(trpt_json_reader *r, uint64_t *out);

/** trpt_json_offset - byte offset in the input of the current token's first byte (a string's opening quote). */
static inline size_t trpt_json_offset(const trpt_json_reader *r)
{
    return trpt_json_cur_(r)->tok_off;
}

/**
 * trpt_json_depth - number of open objects and arrays: 0 at top level, 1 after the first '{'
 * (OBJECT_START counts its own level; the matching OBJECT_END is reported at the parent's depth).
 */
unsigned trpt_json_depth(const trpt_json_reader *r);

/**
 * trpt_json_path - the JSON pointer (RFC 6901; '~' written "~0", '/' written "~1") of the current value, e.g.
 * "/policies/3/failure-details/0/result-type"; "" for the top-level value.
 * After TRPT_JSON_NAME and for that member's value it ends with the member's name; for OBJECT_START/ARRAY_START and
 * their END it is the container's own path; in an array it ends with the element's index. The reader keeps only
 * the per-level name/index (updated as tokens pass, no string work per token); the text is built on demand, cached
 * until the next token. Names longer than TRPT_JSON_PATH_NAME_MAX are cut and marked "...", a NUL byte in a name
 * is shown as U+FFFD. A pointer longer than TRPT_DIAG_PATH_MAX bytes is returned cut in the middle exactly as a
 * diag list stores it (internal.h: the first segments, "/...", the last segments), and the levels in the cut are
 * never rendered: a path costs O(TRPT_DIAG_PATH_MAX) however deep the input. Borrowed, valid until the next call on the reader. NULL only when memory runs out (callers
 * pass it straight to trpt_diag_add, which stores NULL as "").
 */
const char *trpt_json_path(trpt_json_reader *r);

#endif
