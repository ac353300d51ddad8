/* The streaming JSON writer: exact bytes (compact and pretty), escaping, UTF-8 checks, call-order errors, depth
 * limit, and a seeded round trip of random documents through the JSON reader.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"
#include "json_writer.h"
#include "testutil.h"

/* ---- Exact output ---------------------------------------------------------------------------------------------- */

/* Writes the same small document used by both format tests. */
static void write_sample(trpt_json_writer *w)
{
    trpt_jw_begin_object(w);
    trpt_jw_member_uint64(w, "a", 1);
    trpt_jw_name(w, TEXT("b"));
    trpt_jw_begin_array(w);
    trpt_jw_bool(w, 1);
    trpt_jw_string(w, TEXT("x"));
    trpt_jw_null(w);
    trpt_jw_int64(w, -5);
    trpt_jw_end_array(w);
    trpt_jw_name(w, TEXT("c"));
    trpt_jw_begin_object(w);
    trpt_jw_end_object(w);
    trpt_jw_name(w, TEXT("d"));
    trpt_jw_begin_array(w);
    trpt_jw_end_array(w);
    trpt_jw_name(w, TEXT("e"));
    trpt_jw_begin_object(w);
    trpt_jw_member_string(w, "f", "g");
    trpt_jw_name(w, TEXT("h"));
    trpt_jw_begin_array(w);
    trpt_jw_begin_array(w);
    trpt_jw_bool(w, 0);
    trpt_jw_end_array(w);
    trpt_jw_end_array(w);
    trpt_jw_end_object(w);
    trpt_jw_end_object(w);
}

START_TEST(compact_exact_bytes)
{
    trpt_buf b;
    trpt_json_writer w;
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    write_sample(&w);
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
    ck_assert_str_eq(b.data, "{\"a\":1,\"b\":[true,\"x\",null,-5],\"c\":{},\"d\":[],\"e\":{\"f\":\"g\",\"h\":[[false]]}}");
    trpt_buf_free(&b);
}
END_TEST

START_TEST(pretty_exact_bytes)
{
    trpt_buf b;
    trpt_json_writer w;
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, TRPT_JW_PRETTY);
    write_sample(&w);
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
    ck_assert_str_eq(b.data, "{\n"
                             "  \"a\": 1,\n"
                             "  \"b\": [\n"
                             "    true,\n"
                             "    \"x\",\n"
                             "    null,\n"
                             "    -5\n"
                             "  ],\n"
                             "  \"c\": {},\n"
                             "  \"d\": [],\n"
                             "  \"e\": {\n"
                             "    \"f\": \"g\",\n"
                             "    \"h\": [\n"
                             "      [\n"
                             "        false\n"
                             "      ]\n"
                             "    ]\n"
                             "  }\n"
                             "}\n");
    trpt_buf_free(&b);
}
END_TEST

START_TEST(top_level_scalars_and_existing_buffer)
{
    static const struct {
        unsigned flags;
        const char *expect;
    } cases[] = {{0, "prefix:\"s\""}, {TRPT_JW_PRETTY, "prefix:\"s\"\n"}};
    for (size_t i = 0; i < 2; i++) {
        trpt_buf b;
        trpt_json_writer w;
        trpt_buf_init(&b);
        trpt_buf_puts(&b, "prefix:"); /* data already in the buffer is kept */
        trpt_jw_init(&w, &b, cases[i].flags);
        ck_assert_int_eq(trpt_jw_string(&w, TEXT("s")), TLSRPT_OK);
        ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
        ck_assert_str_eq(b.data, cases[i].expect);
        trpt_buf_free(&b);
    }
}
END_TEST

/* Writes one string value and returns the compact output (caller frees) and the status. */
static char *write_one_string(const char *s, size_t len, int *rc)
{
    trpt_buf b;
    trpt_json_writer w;
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    *rc = trpt_jw_string(&w, s, len);
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&b, &out, NULL), TLSRPT_OK);
    return out;
}

START_TEST(string_escapes)
{
    int rc;
    /* Every control character, the two that need a backslash, DEL, '/', and non-ASCII passed through. */
    char in[32 + 6];
    for (int i = 0; i < 32; i++)
        in[i] = (char)i;
    memcpy(in + 32, "\"\\\x7f/\xc3\xa9", 6);
    char *out = write_one_string(in, sizeof in, &rc);
    ck_assert_int_eq(rc, TLSRPT_OK);
    ck_assert_str_eq(out, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                          "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019"
                          "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\\x7f/\xc3\xa9\"");
    free(out);

    out = write_one_string("", 0, &rc);
    ck_assert_int_eq(rc, TLSRPT_OK);
    ck_assert_str_eq(out, "\"\"");
    free(out);

    /* Longest characters of each length, and the last valid code point U+10FFFF. */
    out = write_one_string(TEXT("a\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbfz"), &rc);
    ck_assert_int_eq(rc, TLSRPT_OK);
    ck_assert_str_eq(out, "\"a\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbfz\"");
    free(out);
}
END_TEST

START_TEST(invalid_utf8_is_rejected)
{
    static const struct {
        const char *s;
        size_t len;
    } bad[] = {
        {TEXT("\x80")},                 /* lone continuation byte */
        {TEXT("ab\xc3")},               /* truncated at the end */
        {TEXT("\xc3(")},                /* bad continuation */
        {TEXT("\xc0\xaf")},             /* overlong 2-byte */
        {TEXT("\xc1\xbf")},             /* overlong 2-byte */
        {TEXT("\xe0\x80\xaf")},         /* overlong 3-byte */
        {TEXT("\xed\xa0\x80")},         /* surrogate U+D800 */
        {TEXT("\xed\xbf\xbf")},         /* surrogate U+DFFF */
        {TEXT("\xf0\x80\x80\xaf")},     /* overlong 4-byte */
        {TEXT("\xf4\x90\x80\x80")},     /* above U+10FFFF */
        {TEXT("\xf5\x80\x80\x80")},     /* never a lead byte */
        {TEXT("\xff")},
        {TEXT("ok\xe2\x82")},           /* 3-byte sequence cut short */
        {TEXT("\xf0\x9f\x98")},         /* 4-byte sequence cut short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        trpt_buf b;
        trpt_json_writer w;
        trpt_buf_init(&b);
        trpt_jw_init(&w, &b, 0);
        ck_assert_int_eq(trpt_jw_begin_array(&w), TLSRPT_OK);
        ck_assert_int_eq(trpt_jw_string(&w, "fine", 4), TLSRPT_OK);
        ck_assert_msg(trpt_jw_string(&w, bad[i].s, bad[i].len) == TLSRPT_EINVAL, "case %zu accepted", i);
        /* Nothing of the failed string was written; the error is sticky. */
        ck_assert_str_eq(b.data, "[\"fine\"");
        ck_assert_int_eq(trpt_jw_end_array(&w), TLSRPT_EINVAL);
        ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_EINVAL);
        ck_assert_str_eq(b.data, "[\"fine\"");
        trpt_buf_free(&b);
        /* The same bytes as a member name fail the same way. */
        trpt_buf_init(&b);
        trpt_jw_init(&w, &b, 0);
        trpt_jw_begin_object(&w);
        ck_assert_int_eq(trpt_jw_name(&w, bad[i].s, bad[i].len), TLSRPT_EINVAL);
        ck_assert_str_eq(b.data, "{");
        trpt_buf_free(&b);
    }
}
END_TEST

START_TEST(integers)
{
    static const struct {
        int is_signed;
        uint64_t u;
        int64_t i;
        const char *expect;
    } cases[] = {
        {0, 0, 0, "[0]"},
        {0, 9, 0, "[9]"},
        {0, 10, 0, "[10]"},
        {0, UINT64_MAX, 0, "[18446744073709551615]"},
        {1, 0, 0, "[0]"},
        {1, 0, -1, "[-1]"},
        {1, 0, INT64_MAX, "[9223372036854775807]"},
        {1, 0, INT64_MIN, "[-9223372036854775808]"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        trpt_buf b;
        trpt_json_writer w;
        trpt_buf_init(&b);
        trpt_jw_init(&w, &b, 0);
        trpt_jw_begin_array(&w);
        if (cases[k].is_signed)
            trpt_jw_int64(&w, cases[k].i);
        else
            trpt_jw_uint64(&w, cases[k].u);
        trpt_jw_end_array(&w);
        ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
        ck_assert_str_eq(b.data, cases[k].expect);
        trpt_buf_free(&b);
    }
}
END_TEST

/* Each misuse fails with TLSRPT_EINVAL at the call that is out of order, leaving the output before it. */
START_TEST(call_order_errors)
{
    trpt_buf b;
    trpt_json_writer w;

    /* A value where a name is expected. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    trpt_jw_begin_object(&w);
    ck_assert_int_eq(trpt_jw_uint64(&w, 1), TLSRPT_EINVAL);
    ck_assert_str_eq(b.data, "{");
    trpt_buf_free(&b);

    /* Two names in a row. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    trpt_jw_begin_object(&w);
    ck_assert_int_eq(trpt_jw_name(&w, TEXT("a")), TLSRPT_OK);
    ck_assert_int_eq(trpt_jw_name(&w, TEXT("b")), TLSRPT_EINVAL);
    ck_assert_str_eq(b.data, "{\"a\"");
    trpt_buf_free(&b);

    /* Closing an object right after a name. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    trpt_jw_begin_object(&w);
    trpt_jw_name(&w, TEXT("a"));
    ck_assert_int_eq(trpt_jw_end_object(&w), TLSRPT_EINVAL);
    trpt_buf_free(&b);

    /* A name in an array, and at top level. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    trpt_jw_begin_array(&w);
    ck_assert_int_eq(trpt_jw_name(&w, TEXT("a")), TLSRPT_EINVAL);
    trpt_buf_free(&b);
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    ck_assert_int_eq(trpt_jw_name(&w, TEXT("a")), TLSRPT_EINVAL);
    ck_assert_ptr_null(b.data);
    trpt_buf_free(&b);

    /* Mismatched and unopened ends. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    trpt_jw_begin_array(&w);
    ck_assert_int_eq(trpt_jw_end_object(&w), TLSRPT_EINVAL);
    ck_assert_str_eq(b.data, "[");
    trpt_buf_free(&b);
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    ck_assert_int_eq(trpt_jw_end_array(&w), TLSRPT_EINVAL);
    trpt_buf_free(&b);

    /* A second top-level value. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    ck_assert_int_eq(trpt_jw_uint64(&w, 1), TLSRPT_OK);
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
    ck_assert_int_eq(trpt_jw_uint64(&w, 2), TLSRPT_EINVAL);
    ck_assert_str_eq(b.data, "1");
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_EINVAL);
    trpt_buf_free(&b);

    /* Finishing with nothing written, or with a container open. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0);
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_EINVAL);
    trpt_jw_begin_object(&w);
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_EINVAL);
    trpt_buf_free(&b);

    /* An unknown flag. */
    trpt_buf_init(&b);
    trpt_jw_init(&w, &b, 0x2);
    ck_assert_int_eq(trpt_jw_uint64(&w, 1), TLSRPT_EINVAL);
    ck_assert_ptr_null(b.data);
    trpt_buf_free(&b);

    /* A buffer that has already failed to grow. */
    trpt_buf_init(&b);
    b.failed = 1;
    trpt_jw_init(&w, &b, 0);
    ck_assert_int_eq(trpt_jw_uint64(&w, 1), TLSRPT_ENOMEM);
    ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_ENOMEM);
    trpt_buf_free(&b);
}
END_TEST

START_TEST(depth_limit)
{
    for (int pretty = 0; pretty < 2; pretty++) {
        trpt_buf b;
        trpt_json_writer w;
        trpt_buf_init(&b);
        trpt_jw_init(&w, &b, pretty ? TRPT_JW_PRETTY : 0);
        for (unsigned i = 0; i < TRPT_JW_MAX_DEPTH; i++)
            ck_assert_int_eq(trpt_jw_begin_array(&w), TLSRPT_OK);
        size_t len = b.len;
        ck_assert_int_eq(trpt_jw_begin_object(&w), TLSRPT_ELIMIT); /* level 65 */
        ck_assert_uint_eq(b.len, len);
        ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_ELIMIT);
        trpt_buf_free(&b);

        /* Exactly the limit closes fine, and the reader accepts it (same limit). */
        trpt_buf_init(&b);
        trpt_jw_init(&w, &b, pretty ? TRPT_JW_PRETTY : 0);
        for (unsigned i = 0; i < TRPT_JW_MAX_DEPTH; i++)
            trpt_jw_begin_array(&w);
        for (unsigned i = 0; i < TRPT_JW_MAX_DEPTH; i++)
            trpt_jw_end_array(&w);
        ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
        ck_assert_uint_eq(b.len, pretty ? 2u * 64 * 64 + 1 : 128u); /* 63 line breaks and indents of 2*level */
        trpt_json_reader *r;
        ck_assert_int_eq(trpt_json_reader_new(&r, b.data, b.len, TRPT_JSON_STRICT, b.len, NULL), TLSRPT_OK);
        int t;
        while ((t = trpt_json_next(r)) > 0 && t != TRPT_JSON_END)
            ;
        ck_assert_int_eq(t, TRPT_JSON_END);
        trpt_json_reader_free(r);
        trpt_buf_free(&b);
    }
}
END_TEST

/* ---- Round trip of random documents through the reader ------------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *g)
{
    /* splitmix64: good enough and reproducible from the seed. */
    uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned below(rng *g, unsigned n)
{
    return (unsigned)(next_u64(g) % n);
}

/* One expected token: its type and, for names, strings and numbers, its text. */
typedef struct expected {
    int type;
    char *text;
    size_t len;
} expected;

typedef struct doc {
    expected *items;
    size_t n, cap;
} doc;

static void expect(doc *d, int type, const char *text, size_t len)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->items = realloc(d->items, d->cap * sizeof *d->items);
        ck_assert_ptr_nonnull(d->items);
    }
    expected *e = &d->items[d->n++];
    e->type = type;
    e->len = len;
    e->text = NULL;
    if (text) {
        e->text = malloc(len + 1);
        ck_assert_ptr_nonnull(e->text);
        memcpy(e->text, text, len);
        e->text[len] = '\0';
    }
}

/* Appends one random code point as UTF-8: mostly ASCII (control characters, quotes and backslashes included), some
 * 2-, 3- and 4-byte characters. Never a surrogate. */
static size_t random_char(rng *g, char *out)
{
    unsigned kind = below(g, 10);
    uint32_t cp;
    if (kind < 5)
        cp = below(g, 0x80);
    else if (kind < 6)
        cp = (const uint32_t[]){'"', '\\', '/', 0x7f, 0, '\n'}[below(g, 6)];
    else if (kind < 8)
        cp = 0x80 + below(g, 0x800 - 0x80);
    else if (kind < 9) {
        do
            cp = 0x800 + below(g, 0x10000 - 0x800);
        while (cp >= 0xd800 && cp <= 0xdfff);
    } else
        cp = 0x10000 + below(g, 0x110000 - 0x10000);
    unsigned char *p = (unsigned char *)out;
    if (cp < 0x80) {
        p[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (unsigned char)(0xc0 | (cp >> 6));
        p[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (unsigned char)(0xe0 | (cp >> 12));
        p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        p[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    p[0] = (unsigned char)(0xf0 | (cp >> 18));
    p[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    p[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    p[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

static size_t random_string(rng *g, char *out, size_t max_chars)
{
    size_t n = below(g, (unsigned)max_chars + 1), len = 0;
    for (size_t i = 0; i < n; i++)
        len += random_char(g, out + len);
    return len;
}

static void random_value(rng *g, trpt_json_writer *w, doc *d, unsigned depth)
{
    char s[4 * 40 + 32];
    unsigned kind = below(g, depth >= 6 ? 6 : 8);
    switch (kind) {
    case 0:
    case 1: {
        size_t len = random_string(g, s, 40);
        ck_assert_int_eq(trpt_jw_string(w, s, len), TLSRPT_OK);
        expect(d, TRPT_JSON_STRING, s, len);
        break;
    }
    case 2: {
        uint64_t v = below(g, 3) == 0 ? UINT64_MAX - below(g, 3) : next_u64(g) >> below(g, 64);
        ck_assert_int_eq(trpt_jw_uint64(w, v), TLSRPT_OK);
        int n = snprintf(s, sizeof s, "%" PRIu64, v);
        expect(d, TRPT_JSON_NUMBER, s, (size_t)n);
        break;
    }
    case 3: {
        int64_t v = below(g, 4) == 0 ? INT64_MIN + (int64_t)below(g, 2) : (int64_t)next_u64(g) >> below(g, 63);
        ck_assert_int_eq(trpt_jw_int64(w, v), TLSRPT_OK);
        int n = snprintf(s, sizeof s, "%" PRId64, v);
        expect(d, TRPT_JSON_NUMBER, s, (size_t)n);
        break;
    }
    case 4: {
        int v = (int)below(g, 2);
        ck_assert_int_eq(trpt_jw_bool(w, v), TLSRPT_OK);
        expect(d, v ? TRPT_JSON_TRUE : TRPT_JSON_FALSE, NULL, 0);
        break;
    }
    case 5:
        ck_assert_int_eq(trpt_jw_null(w), TLSRPT_OK);
        expect(d, TRPT_JSON_NULL, NULL, 0);
        break;
    case 6: {
        ck_assert_int_eq(trpt_jw_begin_array(w), TLSRPT_OK);
        expect(d, TRPT_JSON_ARRAY_START, NULL, 0);
        unsigned n = below(g, 5);
        for (unsigned i = 0; i < n; i++)
            random_value(g, w, d, depth + 1);
        ck_assert_int_eq(trpt_jw_end_array(w), TLSRPT_OK);
        expect(d, TRPT_JSON_ARRAY_END, NULL, 0);
        break;
    }
    default: {
        ck_assert_int_eq(trpt_jw_begin_object(w), TLSRPT_OK);
        expect(d, TRPT_JSON_OBJECT_START, NULL, 0);
        unsigned n = below(g, 5);
        for (unsigned i = 0; i < n; i++) {
            /* Names are unique in their object (the reader is strict about duplicates): a distinct prefix byte. */
            s[0] = (char)('A' + i);
            size_t len = 1 + random_string(g, s + 1, 12);
            ck_assert_int_eq(trpt_jw_name(w, s, len), TLSRPT_OK);
            expect(d, TRPT_JSON_NAME, s, len);
            random_value(g, w, d, depth + 1);
        }
        ck_assert_int_eq(trpt_jw_end_object(w), TLSRPT_OK);
        expect(d, TRPT_JSON_OBJECT_END, NULL, 0);
        break;
    }
    }
}

START_TEST(random_documents_round_trip)
{
    rng g = {0x5eed0001ULL + (uint64_t)_i};
    for (int round = 0; round < 200; round++) {
        for (int pretty = 0; pretty < 2; pretty++) {
            rng copy = g; /* the same document in both formats */
            trpt_buf b;
            trpt_json_writer w;
            doc d = {NULL, 0, 0};
            trpt_buf_init(&b);
            trpt_jw_init(&w, &b, pretty ? TRPT_JW_PRETTY : 0);
            random_value(&copy, &w, &d, 0);
            ck_assert_int_eq(trpt_jw_finish(&w), TLSRPT_OK);
            if (pretty)
                g = copy;

            tlsrpt_diag *diag;
            ck_assert_int_eq(tlsrpt_diag_new(&diag), TLSRPT_OK);
            trpt_json_reader *r;
            ck_assert_int_eq(trpt_json_reader_new(&r, b.data, b.len, TRPT_JSON_STRICT, b.len, diag), TLSRPT_OK);
            for (size_t i = 0; i < d.n; i++) {
                int t = trpt_json_next(r);
                ck_assert_msg(t == d.items[i].type, "round %d token %zu: got %d, want %d in %s", round, i, t,
                              d.items[i].type, b.data);
                size_t len;
                const char *text = NULL;
                if (t == TRPT_JSON_NAME || t == TRPT_JSON_STRING)
                    text = trpt_json_string(r, &len);
                else if (t == TRPT_JSON_NUMBER)
                    text = trpt_json_number_text(r, &len);
                if (text) {
                    ck_assert_uint_eq(len, d.items[i].len);
                    ck_assert_msg(memcmp(text, d.items[i].text, len) == 0, "round %d token %zu differs", round, i);
                }
                free(d.items[i].text);
            }
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
            ck_assert_uint_eq(tlsrpt_diag_count(diag), 0);
            trpt_json_reader_free(r);
            tlsrpt_diag_free(diag);
            free(d.items);
            trpt_buf_free(&b);
        }
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("json_writer");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, compact_exact_bytes);
    tcase_add_test(tc, pretty_exact_bytes);
    tcase_add_test(tc, top_level_scalars_and_existing_buffer);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, invalid_utf8_is_rejected);
    tcase_add_test(tc, integers);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, call_order_errors);
    tcase_add_test(tc, depth_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("round-trip");
    tcase_add_loop_test(tc, random_documents_round_trip, 0, 5);
    suite_add_tcase(s, tc);
    return s;
}
