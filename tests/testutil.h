/* Helpers shared by the Check suites. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_TESTUTIL_H
#define TLSRPT_TESTUTIL_H

#include <check.h>
#include <string.h>

#include <tlsrpt/tlsrpt.h>

/* Each suite file defines this; tap_main.c runs it. */
Suite *make_suite(void);

/* Parses a C string literal as input text (length without the NUL). */
#define TEXT(s) (s), (sizeof(s) - 1)

/* Index of the first entry with this id, or -1. */
static inline long diag_find(const tlsrpt_diag *d, const char *id)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (strcmp(tlsrpt_diag_id(d, i), id) == 0)
            return (long)i;
    return -1;
}

/* Asserts that d holds an entry with this id, severity and offset. */
#define ck_assert_diag(d, id, sev, off)                                                                               \
    do {                                                                                                              \
        long ck_i_ = diag_find((d), (id));                                                                            \
        ck_assert_msg(ck_i_ >= 0, "diagnostic '%s' not found", (id));                                                 \
        ck_assert_int_eq(tlsrpt_diag_severity((d), (size_t)ck_i_), (sev));                                            \
        ck_assert_uint_eq(tlsrpt_diag_offset((d), (size_t)ck_i_), (size_t)(off));                                     \
    } while (0)

#endif
