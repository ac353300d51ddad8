/* base64 (lib/base64.c): the encoder's RFC 4648 test vectors, its 76-character CRLF lines, and the alphabet's
 * values that the decoder reads. SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "testutil.h"

/* The encoding of data[0..len) as a new string. */
static char *encode(const void *data, size_t len)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_base64_put_lines(&b, data, len);
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&b, &out, NULL), TLSRPT_OK);
    return out;
}

static void assert_encodes(const char *data, const char *want)
{
    char *got = encode(data, strlen(data));
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(base64_rfc4648_vectors)
{
    assert_encodes("", "");
    assert_encodes("f", "Zg==\r\n");
    assert_encodes("fo", "Zm8=\r\n");
    assert_encodes("foo", "Zm9v\r\n");
    assert_encodes("foob", "Zm9vYg==\r\n");
    assert_encodes("fooba", "Zm9vYmE=\r\n");
    assert_encodes("foobar", "Zm9vYmFy\r\n");
    unsigned char high[3] = {0xfb, 0xff, 0xfe};
    char *got = encode(high, 3);
    ck_assert_str_eq(got, "+//+\r\n");
    free(got);
}
END_TEST

START_TEST(base64_lines_of_76)
{
    /* 57 bytes make one full line; one more byte starts a second. Every byte value, to check each sextet. */
    unsigned char data[57 * 5 + 1];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    for (size_t len = 55; len <= sizeof data; len++) {
        char *got = encode(data, len);
        size_t n = strlen(got), full = len / 57, rest = len % 57;
        ck_assert_uint_eq(n, full * 78 + (rest ? (rest + 2) / 3 * 4 + 2 : 0));
        for (size_t line = 0; line * 78 < n; line++) {
            const char *l = got + line * 78;
            const char *crlf = strstr(l, "\r\n");
            ck_assert_ptr_nonnull(crlf);
            ck_assert_uint_le((size_t)(crlf - l), 76);
            if (line < full)
                ck_assert_uint_eq((size_t)(crlf - l), 76);
        }
        /* Decoded back through the alphabet's values. */
        size_t out = 0, bits = 0;
        unsigned acc = 0;
        for (size_t i = 0; i < n; i++) {
            int v = trpt_base64_value((unsigned char)got[i]);
            if (v < 0)
                continue; /* CR, LF, '=' */
            acc = acc << 6 | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                ck_assert_uint_lt(out, len);
                ck_assert_uint_eq((acc >> bits) & 0xff, data[out]);
                out++;
            }
        }
        ck_assert_uint_eq(out, len);
        free(got);
    }
}
END_TEST

START_TEST(base64_alphabet_values)
{
    static const char alphabet[] = TRPT_BASE64_ALPHABET;
    ck_assert_uint_eq(sizeof alphabet - 1, 64);
    int seen = 0;
    for (int c = 0; c < 256; c++) {
        int v = trpt_base64_value(c);
        const char *at = c ? memchr(alphabet, c, 64) : NULL;
        if (at) {
            ck_assert_int_eq(v, (int)(at - alphabet));
            seen++;
        } else {
            ck_assert_int_eq(v, -1);
        }
    }
    ck_assert_int_eq(seen, 64);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("base64");
    TCase *tc = tcase_create("encode");
    tcase_add_test(tc, base64_rfc4648_vectors);
    tcase_add_test(tc, base64_lines_of_76);
    tcase_add_test(tc, base64_alphabet_values);
    suite_add_tcase(s, tc);
    return s;
}
