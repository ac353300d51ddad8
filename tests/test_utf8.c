/* UTF-8 (lib/utf8.c, lib/utf8.h): the sequence rule against a decoder written from RFC 3629's table, over every
 * one- to four-byte sequence of interesting bytes; the valid prefix; the encoder over every scalar value.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "utf8.h"

/* RFC 3629 §4: the length of the well-formed sequence at s[0..n), or 0. */
static size_t reference_sequence(const unsigned char *s, size_t n)
{
    if (n == 0 || s[0] < 0x80)
        return 0;
    size_t need = s[0] >= 0xF8 ? 0 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (need == 0 || n < need)
        return 0;
    uint32_t cp = s[0] & (0x7F >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

/* The longest well-formed prefix, by the reference decoder. */
static size_t reference_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t k = s[i] < 0x80 ? 1 : reference_sequence(s + i, n - i);
        if (k == 0)
            break;
        i += k;
    }
    return i;
}

START_TEST(utf8_sequence_matches_rfc3629)
{
    /* Every lead byte with every second byte, and third and fourth bytes at the edges of the continuation range. */
    static const unsigned char edge[] = {0x7F, 0x80, 0xBF, 0xC0};
    unsigned char s[4];
    for (unsigned a = 0x80; a < 0x100; a++)
        for (unsigned b = 0; b < 0x100; b++)
            for (size_t c = 0; c < sizeof edge; c++)
                for (size_t d = 0; d < sizeof edge; d++) {
                    s[0] = (unsigned char)a;
                    s[1] = (unsigned char)b;
                    s[2] = edge[c];
                    s[3] = edge[d];
                    for (size_t n = 1; n <= 4; n++) {
                        /* plain tests, and an assertion only on a difference: millions of cases */
                        size_t bad = 0, got = trpt_utf8_sequence(s, n, &bad);
                        if (got != reference_sequence(s, n) || (!got && (bad < 1 || bad > n)) ||
                            trpt_utf8_valid_prefix((const char *)s, n) != reference_prefix(s, n))
                            ck_abort_msg("%02x %02x %02x %02x, %zu bytes: length %zu, bad %zu", s[0], s[1], s[2],
                                         s[3], n, got, bad);
                    }
                }
}
END_TEST

START_TEST(utf8_valid_prefix_and_encoder)
{
    ck_assert_uint_eq(trpt_utf8_valid_prefix("", 0), 0);
    ck_assert_uint_eq(trpt_utf8_valid_prefix("a\0b", 3), 3); /* NUL is well-formed */
    ck_assert_uint_eq(trpt_utf8_valid_prefix("ab\xC3\xA9z", 5), 5);
    ck_assert_uint_eq(trpt_utf8_valid_prefix("ab\xC3", 3), 2);         /* truncated at the end */
    ck_assert_uint_eq(trpt_utf8_valid_prefix("ab\xED\xA0\x80", 5), 2); /* a surrogate */
    ck_assert_uint_eq(trpt_utf8_valid_prefix("\xF4\x90\x80\x80", 4), 0); /* above U+10FFFF */
    ck_assert_uint_eq(trpt_utf8_valid_prefix("\xC0\x80", 2), 0);      /* overlong NUL */
    char out[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t n = trpt_utf8_encode(out, cp);
        if (n != (cp < 0x80 ? 1u : cp < 0x800 ? 2u : cp < 0x10000 ? 3u : 4u) ||
            trpt_utf8_valid_prefix(out, n) != n ||
            reference_sequence((const unsigned char *)out, n) != (cp < 0x80 ? 0 : n))
            ck_abort_msg("U+%04X encoded as %zu bytes", (unsigned)cp, n);
        uint32_t back = n == 1 ? (unsigned char)out[0] : (unsigned char)out[0] & (0x7Fu >> n);
        for (size_t i = 1; i < n; i++)
            back = back << 6 | ((unsigned char)out[i] & 0x3Fu);
        if (back != cp)
            ck_abort_msg("U+%04X reads back as U+%04X", (unsigned)cp, (unsigned)back);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("utf8");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, utf8_sequence_matches_rfc3629);
    tcase_add_test(tc, utf8_valid_prefix_and_encoder);
    suite_add_tcase(s, tc);
    return s;
}
