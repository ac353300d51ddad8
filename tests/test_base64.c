/* base64 (lib/base64.c): the encoder's RFC 4648 test vectors, its 76-character CRLF lines, the alphabet's values,
 * and the decoder (RFC 2045 §6.8: junk skipped and reported once, padding only at the end, each error's offset).
 * SPDX-License-Identifier: MIT */
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

/* The decoder's junk callback: counts the calls, keeps the first offset and byte, stops when asked. */
typedef struct junk_seen {
    int calls, stop;
    size_t at;
    unsigned char byte;
} junk_seen;

static int on_junk(void *ctx, size_t at, unsigned char byte)
{
    junk_seen *j = ctx;
    if (j->calls++ == 0) {
        j->at = at;
        j->byte = byte;
    }
    return j->stop;
}

/* Decodes text; returns the status, the output in out (NUL-terminated) and the offset in *at. */
static int decode(const char *text, char *out, size_t max, size_t *n, size_t *at, junk_seen *j)
{
    int status = trpt_base64_decode((const unsigned char *)text, strlen(text), (unsigned char *)out, max, n, at,
                                    j ? on_junk : NULL, j);
    out[*n] = '\0';
    return status;
}

START_TEST(base64_decode_vectors)
{
    static const char *const vectors[][2] = {
        {"", ""}, {"Zg==", "f"}, {"Zm8=", "fo"}, {"Zm9v", "foo"}, {"Zm9vYg==", "foob"}, {"Zm9vYmE=", "fooba"},
        {"Zm9vYmFy", "foobar"}, {" Zm9v\r\nYmFy\n\t", "foobar"}, {"Zm9vYg = =", "foob"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char out[16];
        size_t n, at;
        ck_assert_int_eq(decode(vectors[i][0], out, sizeof out - 1, &n, &at, NULL), TRPT_BASE64_OK);
        ck_assert_str_eq(out, vectors[i][1]);
        ck_assert_uint_eq(at, strlen(vectors[i][0]));
    }
    /* every length and byte value back through the encoder */
    unsigned char data[200];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 37 + 11);
    for (size_t len = 0; len <= sizeof data; len++) {
        char *text = encode(data, len);
        unsigned char out[sizeof data];
        size_t n, at;
        /* exactly len bytes of room: the decoder needs no more than it writes */
        ck_assert_int_eq(trpt_base64_decode((const unsigned char *)text, strlen(text), out, len, &n, &at, NULL, NULL),
                         TRPT_BASE64_OK);
        ck_assert_uint_eq(n, len);
        ck_assert_int_eq(memcmp(out, data, len), 0);
        free(text);
    }
}
END_TEST

START_TEST(base64_decode_junk)
{
    char out[16];
    size_t n, at;
    junk_seen j = {0, 0, 0, 0};
    /* skipped, reported once, at the first */
    ck_assert_int_eq(decode("Zm!9v*Ym\xe9" "Fy", out, sizeof out - 1, &n, &at, &j), TRPT_BASE64_OK);
    ck_assert_str_eq(out, "foobar");
    ck_assert_int_eq(j.calls, 1);
    ck_assert_uint_eq(j.at, 2);
    ck_assert_uint_eq(j.byte, '!');
    /* without a callback, skipped silently */
    ck_assert_int_eq(decode("Zm9v\fYmFy\f", out, sizeof out - 1, &n, &at, NULL), TRPT_BASE64_OK);
    ck_assert_str_eq(out, "foobar");
    /* the callback stops the decoder */
    junk_seen stop = {0, 1, 0, 0};
    ck_assert_int_eq(decode("Zm9v-YmFy", out, sizeof out - 1, &n, &at, &stop), TRPT_BASE64_STOPPED);
    ck_assert_int_eq(stop.calls, 1);
    ck_assert_uint_eq(stop.at, 4);
    ck_assert_uint_eq(at, 4);
    /* junk does not make a short group whole */
    j.calls = 0;
    ck_assert_int_eq(decode("Zm9v AB*D", out, sizeof out - 1, &n, &at, &j), TRPT_BASE64_TRUNCATED);
    ck_assert_int_eq(j.calls, 1);
    ck_assert_uint_eq(j.at, 7);
    ck_assert_uint_eq(at, 9);
}
END_TEST

START_TEST(base64_decode_errors)
{
    static const struct {
        const char *text;
        int status;
        size_t at;
    } cases[] = {
        {"QUJD\r\nQUI==", TRPT_BASE64_PAD_EXCESS, 10},    {"QUJD QQ== QUJD", TRPT_BASE64_DATA_AFTER_PAD, 10},
        {"QUJD\r\n=QUJD", TRPT_BASE64_PAD_MISPLACED, 6}, {"QUJD\r\nQ===", TRPT_BASE64_PAD_MISPLACED, 7},
        {"QUJD\r\nQUJDRA", TRPT_BASE64_TRUNCATED, 12},   {"QUJD\r\nQUJDRU=", TRPT_BASE64_TRUNCATED, 13},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[16];
        size_t n, at;
        ck_assert_int_eq(decode(cases[i].text, out, sizeof out - 1, &n, &at, NULL), cases[i].status);
        ck_assert_uint_eq(at, cases[i].at);
    }
    /* the output limit, in a full group and in the last, padded one */
    char out[16];
    size_t n, at;
    ck_assert_int_eq(decode("Zm9vYmFy", out, 6, &n, &at, NULL), TRPT_BASE64_OK);
    ck_assert_int_eq(decode("Zm9vYmFy", out, 5, &n, &at, NULL), TRPT_BASE64_FULL);
    ck_assert_uint_eq(at, 7);
    ck_assert_int_eq(decode("Zm9vYg==", out, 4, &n, &at, NULL), TRPT_BASE64_OK);
    ck_assert_int_eq(decode("Zm9vYg==", out, 3, &n, &at, NULL), TRPT_BASE64_FULL);
    ck_assert_uint_eq(at, 8);
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
    tc = tcase_create("decode");
    tcase_add_test(tc, base64_decode_vectors);
    tcase_add_test(tc, base64_decode_junk);
    tcase_add_test(tc, base64_decode_errors);
    suite_add_tcase(s, tc);
    return s;
}
