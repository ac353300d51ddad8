/* libtlsrpt — the streaming JSON writer (internal, never installed, never exported).
 * SPDX-License-Identifier: MIT
 *
 * Writes one RFC 8259 JSON text onto a trpt_buf, token by token, with no tree in between:
 *
 *     trpt_buf b;
 *     trpt_json_writer w;
 *     trpt_buf_init(&b);
 *     trpt_jw_init(&w, &b, TRPT_JW_PRETTY);
 *     trpt_jw_begin_object(&w);
 *     trpt_jw_name(&w, "count", 5);
 *     trpt_jw_uint64(&w, 42);
 *     trpt_jw_end_object(&w);
 *     int rc = trpt_jw_finish(&w);    // TLSRPT_OK, or the first error of any call above
 *
 * Commas, colons and (in pretty mode) line breaks and indentation are written automatically. Every call returns the
 * writer's status, and errors are sticky: after the first failure every call does nothing and returns the same
 * code, so a caller may check only the result of trpt_jw_finish(). A failed call leaves the buffer as it was before
 * that call (a string with invalid UTF-8 is not half-written).
 *
 * Output, byte for byte (the check suite tests/test_json_writer.c pins it):
 *   compact (flags 0): no whitespace at all: {"a":1,"b":[true,"x"],"c":{}}
 *   pretty (TRPT_JW_PRETTY): each member and element on its own line, indented by 2 spaces per level, ": " after a
 *     name, an empty object or array as {} or [], and a final "\n" after the top-level value:
 *         {
 *           "a": 1,
 *           "b": [
 *             true,
 *             "x"
 *           ],
 *           "c": {}
 *         }
 * Strings: '"' and '\\' are escaped with a backslash; the control characters U+0000..U+001F as \b \t \n \f \r or
 * \u00XX (lower-case hex) for the others; everything else, DEL (0x7f) and non-ASCII included, is copied as is. The
 * input must be well-formed UTF-8 (RFC 3629); otherwise the call fails with TLSRPT_EINVAL. '/' is not escaped.
 * Numbers: integers in decimal, no sign for zero, no leading zeros.
 *
 * Status codes: TLSRPT_EINVAL (invalid UTF-8; a call out of order: a value where a member name is expected, a name
 * outside an object, an end that does not match the open container, a second top-level value, finishing with open
 * containers or without a value), TLSRPT_ELIMIT (more than TRPT_JW_MAX_DEPTH open containers), TLSRPT_ENOMEM (the
 * buffer could not grow). The writer allocates nothing itself; only the buffer grows.
 */
#ifndef TLSRPT_JSON_WRITER_H
#define TLSRPT_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* trpt_jw_init() flags. */
#define TRPT_JW_PRETTY 1u /* line breaks and 2-space indentation */

/* Most containers open at once. Matches the reader's TLSRPT_MAX_JSON_DEPTH, so everything written can be read. */
#define TRPT_JW_MAX_DEPTH 64u

typedef struct trpt_json_writer {
    trpt_buf *buf;
    unsigned flags;
    unsigned depth;                        /* open containers */
    int status;                            /* TLSRPT_OK or the first error (sticky) */
    int done;                              /* the top-level value is complete */
    int after_name;                        /* a member name was written; its value comes next */
    unsigned char is_object[TRPT_JW_MAX_DEPTH]; /* per open level: 1 object, 0 array */
    unsigned char has_items[TRPT_JW_MAX_DEPTH]; /* per open level: something was written inside */
} trpt_json_writer;

/* Starts a writer that appends to b (borrowed; b may already hold data, which is kept). flags: 0 or TRPT_JW_PRETTY;
 * other bits make every call fail with TLSRPT_EINVAL. */
void trpt_jw_init(trpt_json_writer *w, trpt_buf *b, unsigned flags);

int trpt_jw_begin_object(trpt_json_writer *w);
int trpt_jw_end_object(trpt_json_writer *w);
int trpt_jw_begin_array(trpt_json_writer *w);
int trpt_jw_end_array(trpt_json_writer *w);

/* A member name (only directly inside an object, and not twice in a row). s[0..len) is UTF-8, NULs allowed (written
 * as \u0000). The writer does not check for duplicate names. */
int trpt_jw_name(trpt_json_writer *w, const char *s, size_t len);
/* Name and value in one call, for C strings: trpt_jw_name(w, name, strlen(name)) then the value. */
int trpt_jw_member_string(trpt_json_writer *w, const char *name, const char *value);
int trpt_jw_member_uint64(trpt_json_writer *w, const char *name, uint64_t value);

/* Values. */
int trpt_jw_string(trpt_json_writer *w, const char *s, size_t len);
int trpt_jw_uint64(trpt_json_writer *w, uint64_t v);
int trpt_jw_int64(trpt_json_writer *w, int64_t v);
int trpt_jw_bool(trpt_json_writer *w, int v);
int trpt_jw_null(trpt_json_writer *w);

/* Returns TLSRPT_OK when exactly one complete top-level value was written and no call failed; otherwise the first
 * error (TLSRPT_EINVAL when the document is incomplete). Does not free the buffer. */
int trpt_jw_finish(const trpt_json_writer *w);

#endif
