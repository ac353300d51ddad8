/* The parse helpers of the suites for text parsers with the shape `int parse(T **out, const char *text, size_t len,
 * tlsrpt_diag *diag)` (tlsrpt_record_parse, tlsrpt_sts_record_parse, tlsrpt_sts_policy_parse).
 * SPDX-License-Identifier: MIT
 *
 * TEXT_PARSE_HELPERS(T, parse) defines, for that type and function:
 *   T *parse_ok_n(text, len, d)   must succeed with no ERROR; findings go to d (may be NULL)
 *   T *parse_ok(text, d)          the same for a C string
 *   T *parse_clean(text)          must succeed without any finding at all
 *   void parse_fail_n(text, len, want_rc, id, offset)
 *                                 must fail with want_rc and exactly one ERROR with this id and offset; *out is
 *                                 NULL, also when it held something before, and also without a diag list
 *   void parse_fail(text, id, offset)   the same for a C string and TLSRPT_ESYNTAX */
#ifndef TLSRPT_TEST_PARSE_HELPERS_H
#define TLSRPT_TEST_PARSE_HELPERS_H

#include <string.h>

#include "internal.h"
#include "testutil.h"

#define TEXT_PARSE_HELPERS(T, parse)                                                                                  \
    static inline T *parse_ok_n(const char *text, size_t len, tlsrpt_diag *d)                                         \
    {                                                                                                                 \
        tlsrpt_diag *own = NULL;                                                                                      \
        if (!d) {                                                                                                     \
            tlsrpt_diag_new(&own);                                                                                    \
            d = own;                                                                                                  \
        }                                                                                                             \
        size_t before = tlsrpt_diag_count(d);                                                                         \
        T *r = NULL;                                                                                                  \
        int rc = parse(&r, text, len, d);                                                                             \
        ck_assert_msg(rc == TLSRPT_OK, "'%.*s': rc %d, %s", (int)(len > 200 ? 200 : len), text, rc,                   \
                      tlsrpt_diag_count(d) > before ? tlsrpt_diag_message(d, before) : "no diagnostic");              \
        ck_assert_ptr_nonnull(r);                                                                                     \
        ck_assert_uint_eq(trpt_diag_errors_since(d, before), 0);                                                      \
        tlsrpt_diag_free(own);                                                                                        \
        return r;                                                                                                     \
    }                                                                                                                 \
                                                                                                                      \
    static inline T *parse_ok(const char *text, tlsrpt_diag *d)                                                       \
    {                                                                                                                 \
        return parse_ok_n(text, strlen(text), d);                                                                     \
    }                                                                                                                 \
                                                                                                                      \
    static inline T *parse_clean(const char *text)                                                                    \
    {                                                                                                                 \
        tlsrpt_diag *d = NULL;                                                                                        \
        tlsrpt_diag_new(&d);                                                                                          \
        T *r = parse_ok(text, d);                                                                                     \
        ck_assert_msg(tlsrpt_diag_count(d) == 0, "'%s': unexpected %s", text, tlsrpt_diag_id(d, 0));                  \
        tlsrpt_diag_free(d);                                                                                          \
        return r;                                                                                                     \
    }                                                                                                                 \
                                                                                                                      \
    static inline void parse_fail_n(const char *text, size_t len, int want_rc, const char *id, size_t offset)         \
    {                                                                                                                 \
        tlsrpt_diag *d = NULL;                                                                                        \
        tlsrpt_diag_new(&d);                                                                                          \
        T *r = (T *)d;                                                                                                \
        int rc = parse(&r, text, len, d);                                                                             \
        ck_assert_msg(rc == want_rc, "'%.*s': rc %d, want %d (%s)", (int)(len > 200 ? 200 : len), text, rc, want_rc,  \
                      tlsrpt_diag_count(d) ? tlsrpt_diag_id(d, tlsrpt_diag_count(d) - 1) : "-");                      \
        ck_assert_ptr_null(r);                                                                                        \
        ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 1);                                                           \
        ck_assert_diag(d, id, TLSRPT_SEVERITY_ERROR, offset);                                                         \
        tlsrpt_diag_free(d);                                                                                          \
        r = (T *)&rc;                                                                                                 \
        ck_assert_int_eq(parse(&r, text, len, NULL), want_rc);                                                        \
        ck_assert_ptr_null(r);                                                                                        \
    }                                                                                                                 \
                                                                                                                      \
    static inline void parse_fail(const char *text, const char *id, size_t offset)                                    \
    {                                                                                                                 \
        parse_fail_n(text, strlen(text), TLSRPT_ESYNTAX, id, offset);                                                 \
    }

#endif
