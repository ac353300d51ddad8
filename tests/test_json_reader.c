/* The streaming JSON reader (lib/json_reader.c): tokens, decoding, numbers, every diagnostic, limits, paths.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_reader.h"
#include "testutil.h"

/* Renders the whole token stream of `in` as text, so one string comparison asserts every token and value:
 * { } [ ] N:name S:string #number true false null $ (end) and E<status> for an error (the last item). */
static char *render(const char *in, size_t len, unsigned flags, tlsrpt_diag *d)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_json_reader *r;
    int rc = trpt_json_reader_new(&r, in, len, flags, TLSRPT_MAX_REPORT_SIZE, d);
    if (rc != TLSRPT_OK) {
        trpt_buf_printf(&b, "E%d", rc);
    } else {
        for (;;) {
            int t = trpt_json_next(r);
            size_t n;
            const char *s;
            if (b.len)
                trpt_buf_putc(&b, ' ');
            if (t < 0) {
                trpt_buf_printf(&b, "E%d", t);
                break;
            }
            switch (t) {
            case TRPT_JSON_OBJECT_START: trpt_buf_putc(&b, '{'); break;
            case TRPT_JSON_OBJECT_END: trpt_buf_putc(&b, '}'); break;
            case TRPT_JSON_ARRAY_START: trpt_buf_putc(&b, '['); break;
            case TRPT_JSON_ARRAY_END: trpt_buf_putc(&b, ']'); break;
            case TRPT_JSON_NAME:
            case TRPT_JSON_STRING:
                s = trpt_json_string(r, &n);
                trpt_buf_puts(&b, t == TRPT_JSON_NAME ? "N:" : "S:");
                trpt_buf_put_quoted(&b, s, n, 1000);
                break;
            case TRPT_JSON_NUMBER:
                s = trpt_json_number_text(r, &n);
                trpt_buf_putc(&b, '#');
                trpt_buf_append(&b, s, n);
                break;
            case TRPT_JSON_TRUE: trpt_buf_puts(&b, "true"); break;
            case TRPT_JSON_FALSE: trpt_buf_puts(&b, "false"); break;
            case TRPT_JSON_NULL: trpt_buf_puts(&b, "null"); break;
            case TRPT_JSON_END: trpt_buf_putc(&b, '$'); break;
            default: trpt_buf_puts(&b, "?"); break;
            }
            if (t == TRPT_JSON_END)
                break;
        }
        trpt_json_reader_free(r);
    }
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&b, &out, NULL), TLSRPT_OK);
    return out;
}

#define ck_render(flags, d, expected, ...)                                                                            \
    do {                                                                                                              \
        char *got_ = render(__VA_ARGS__, (flags), (d));                                                               \
        ck_assert_str_eq(got_, (expected));                                                                           \
        free(got_);                                                                                                   \
    } while (0)

/* Asserts that entry i of d has this id, severity, offset and path. */
#define ck_assert_entry(d, i, id, sev, off, path)                                                                    \
    do {                                                                                                              \
        ck_assert_uint_gt(tlsrpt_diag_count(d), (i));                                                                 \
        ck_assert_str_eq(tlsrpt_diag_id((d), (i)), (id));                                                             \
        ck_assert_int_eq(tlsrpt_diag_severity((d), (i)), (sev));                                                      \
        ck_assert_uint_eq(tlsrpt_diag_offset((d), (i)), (size_t)(off));                                               \
        ck_assert_str_eq(tlsrpt_diag_path((d), (i)), (path));                                                         \
    } while (0)

/* Reads to the end or the first error; returns the final status (TRPT_JSON_END or < 0). */
static int drain(const char *in, size_t len, unsigned flags, tlsrpt_diag *d)
{
    trpt_json_reader *r;
    int rc = trpt_json_reader_new(&r, in, len, flags, TLSRPT_MAX_REPORT_SIZE, d);
    if (rc != TLSRPT_OK)
        return rc;
    int t;
    do
        t = trpt_json_next(r);
    while (t > 0 && t != TRPT_JSON_END);
    trpt_json_reader_free(r);
    return t;
}

/* Checks that `in` fails with exactly one diagnostic: this error id at this offset and path. */
static void expect_error(const char *in, size_t len, unsigned flags, int status, const char *id, size_t off,
                         const char *path)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(drain(in, len, flags, d), status);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, id, TLSRPT_SEVERITY_ERROR, off, path);
    tlsrpt_diag_free(d);
}

START_TEST(token_sequences)
{
    ck_render(0, NULL, "{ } $", TEXT("{}"));
    ck_render(0, NULL, "[ ] $", TEXT(" [ ] \n"));
    ck_render(0, NULL, "#0 $", TEXT("0"));
    ck_render(0, NULL, "S:a $", TEXT("\t\"a\"\r\n"));
    ck_render(0, NULL, "true $", TEXT("true"));
    ck_render(0, NULL, "null $", TEXT("null"));
    ck_render(0, NULL,
              "{ N:a [ #1 #-2.5e+3 true false null S: { } [ ] ] N:b { N:c S:d } } $",
              TEXT("{\"a\":[1,-2.5e+3,true,false,null,\"\",{},[]],\"b\":{\"c\":\"d\"}}"));
    ck_render(0, NULL, "[ #0 #-0 #0.5 #1E5 #1e-5 #123456789012345678901234567890 ] $",
              TEXT("[0,-0,0.5,1E5,1e-5,123456789012345678901234567890]"));
    ck_render(0, NULL, "[ [ [ ] ] [ { N:x [ ] } ] ] $", TEXT("[[[]],[{\"x\":[]}]]"));
}
END_TEST

START_TEST(string_decoding)
{
    /* Every escape, a surrogate pair, BMP escapes, \u0000 and raw UTF-8 of 2, 3 and 4 bytes. */
    static const char in[] = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u0041\\u00e9\\u20AC\\ud83d\\ude00 \\u0000 "
                             "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"";
    static const char want[] = "q\" b\\ s/ \b\f\n\r\t A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \0 "
                               "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(in), TRPT_JSON_STRICT, 1000, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    size_t n;
    const char *s = trpt_json_string(r, &n);
    ck_assert_uint_eq(n, sizeof want - 1);
    ck_assert_mem_eq(s, want, n);
    ck_assert(s < in || s >= in + sizeof in); /* decoded into scratch */
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    ck_assert_ptr_null(trpt_json_string(r, &n));
    ck_assert_uint_eq(n, 0);
    trpt_json_reader_free(r);

    /* No escape: the string is a span of the input (zero copy), also with long runs and UTF-8. */
    static const char plain[] = "[\"abcdefghijklmnopqrstuvwxyz0123456789 \xc3\xa9t\xc3\xa9\",\"x\"]";
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(plain), TRPT_JSON_STRICT, 1000, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    s = trpt_json_string(r, &n);
    ck_assert_ptr_eq(s, plain + 2);
    ck_assert_uint_eq(n, 42);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    ck_assert(trpt_json_string_equals(r, "x"));
    ck_assert(!trpt_json_string_equals(r, "xx"));
    ck_assert(!trpt_json_string_equals(r, ""));
    ck_assert_ptr_eq(trpt_json_string(r, NULL), plain + strlen(plain) - 3);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
    ck_assert(!trpt_json_string_equals(r, ""));
    trpt_json_reader_free(r);

    /* Whether the decoded text has a NUL byte: only \u0000 makes one, in names as in values. */
    static const char nul[] = "{\"n\\u0000\":\"a\\u0000b\",\"x\\n\":\"\xc3\xa9\",\"y\":[\"\\u0000\",1]}";
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(nul), TRPT_JSON_STRICT, 1000, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 0); /* no token yet */
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 0);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 1);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 1);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME); /* "x\n": decoded, no NUL */
    ck_assert_int_eq(trpt_json_string_has_nul(r), 0);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING); /* raw UTF-8 */
    ck_assert_int_eq(trpt_json_string_has_nul(r), 0);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 0);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 1);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
    ck_assert_int_eq(trpt_json_string_has_nul(r), 0);
    trpt_json_reader_free(r);

    /* Escapes at every position relative to the 8-byte scan, and a run ending exactly at a word boundary. */
    for (size_t pad = 0; pad < 20; pad++) {
        char buf[64], exp[64];
        size_t k = 0;
        buf[k++] = '"';
        for (size_t i = 0; i < pad; i++)
            buf[k++] = 'a';
        memcpy(buf + k, "\\n\"", 3);
        k += 3;
        memset(exp, 'a', pad);
        exp[pad] = '\n';
        ck_assert_int_eq(trpt_json_reader_new(&r, buf, k, 0, 1000, NULL), TLSRPT_OK);
        ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
        s = trpt_json_string(r, &n);
        ck_assert_uint_eq(n, pad + 1);
        ck_assert_mem_eq(s, exp, n);
        trpt_json_reader_free(r);
    }
}
END_TEST

/* Reads the first string of the array in buf[0..k) and checks its text and whether it points into the input. */
static void check_first_string(const char *buf, size_t k, const char *want, size_t want_len, int in_input)
{
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, buf, k, TRPT_JSON_STRICT, 1000, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    size_t n;
    const char *s = trpt_json_string(r, &n);
    ck_assert_uint_eq(n, want_len);
    ck_assert_mem_eq(s, want, n);
    if (in_input)
        ck_assert_ptr_eq(s, buf + 2);
    else
        ck_assert(s < buf || s >= buf + k);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    trpt_json_reader_free(r);
}

START_TEST(string_scan_boundaries)
{
    /* Each kind of byte that ends a plain run, at every position from 0 to 40 (across the 16- and 8-byte scans
     * and the byte loop), after a run made of the byte values next to the special ones, which must not stop it:
     * 0x20 ' ', 0x21 '!', 0x23 '#', 0x5B '[', 0x5D ']', 0x7F. A long second string follows, so that every wide
     * load past the first string reads real bytes. */
    static const char run_bytes[] = " !#[]\x7f";
    static const char tail[] = ",\"0123456789abcdef0123456789abcdef\"]";
    for (size_t pos = 0; pos <= 40; pos++) {
        char run[64], buf[160], want[64];
        for (size_t i = 0; i < pos; i++)
            run[i] = run_bytes[i % (sizeof run_bytes - 1)];
        /* The closing quote: a span of the input. */
        int k = sprintf(buf, "[\"%.*s\"%s", (int)pos, run, tail);
        check_first_string(buf, (size_t)k, run, pos, 1);
        /* Valid UTF-8 (2, 3 and 4 bytes): still a span. */
        k = sprintf(buf, "[\"%.*s\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"%s", (int)pos, run, tail);
        memcpy(want, run, pos);
        memcpy(want + pos, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);
        check_first_string(buf, (size_t)k, want, pos + 9, 1);
        /* An escape: decoded into scratch. */
        k = sprintf(buf, "[\"%.*s\\tz\"%s", (int)pos, run, tail);
        memcpy(want + pos, "\tz", 2);
        check_first_string(buf, (size_t)k, want, pos + 2, 0);
        /* A raw control byte (0x1F, the largest, and 0x00): an error at its offset. */
        k = sprintf(buf, "[\"%.*s\x1f\"%s", (int)pos, run, tail);
        expect_error(buf, (size_t)k, 0, TLSRPT_ESYNTAX, "json-control-character", 2 + pos, "/0");
        memcpy(buf, "[\"", 2);
        memcpy(buf + 2, run, pos);
        buf[2 + pos] = '\0';
        memcpy(buf + 3 + pos, "\"]", 2);
        expect_error(buf, 5 + pos, 0, TLSRPT_ESYNTAX, "json-control-character", 2 + pos, "/0");
        /* Invalid UTF-8 (0x80, the smallest non-ASCII byte; 0xFF, the largest): an error when strict. */
        k = sprintf(buf, "[\"%.*s\x80\"%s", (int)pos, run, tail);
        expect_error(buf, (size_t)k, TRPT_JSON_STRICT, TLSRPT_ESYNTAX, "json-invalid-utf8", 2 + pos, "/0");
        k = sprintf(buf, "[\"%.*s\xff\"%s", (int)pos, run, tail);
        expect_error(buf, (size_t)k, TRPT_JSON_STRICT, TLSRPT_ESYNTAX, "json-invalid-utf8", 2 + pos, "/0");
        /* The input ends inside the string, right after the run. */
        k = sprintf(buf, "[\"%.*s", (int)pos, run);
        expect_error(buf, (size_t)k, 0, TLSRPT_ESYNTAX, "json-unexpected-end", (size_t)k, "/0");
    }
}
END_TEST

static void check_u64(const char *text, trpt_json_u64_status st, uint64_t value)
{
    uint64_t v = 12345;
    ck_assert_int_eq(trpt_json_number_to_uint64(text, strlen(text), &v), st);
    ck_assert_uint_eq(v, value);
}

/* trpt_json_uint64 takes plain integers of at most 19 digits from the scan (lib/json_reader.c read_number) and
 * everything else through trpt_json_number_to_uint64: both give the same values, on both sides of the boundary. */
START_TEST(uint64_scan_boundary)
{
    static const char in[] = "[0,7,1234567890123456789,9999999999999999999,10000000000000000000,"
                             "18446744073709551615,00000]";
    static const struct {
        int rc;
        uint64_t v;
    } want[] = {
        {TLSRPT_OK, 0},
        {TLSRPT_OK, 7},
        {TLSRPT_OK, UINT64_C(1234567890123456789)},
        {TLSRPT_OK, UINT64_C(9999999999999999999)},
        {TLSRPT_OK, UINT64_C(10000000000000000000)},
        {TLSRPT_OK, UINT64_MAX},
    };
    trpt_json_reader *r;
    uint64_t v;
    /* "00000" is a grammar error (leading zero): the rest is checked in a second document. */
    ck_assert_int_eq(trpt_json_reader_new(&r, in, sizeof in - 1, 0, 1000, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
        ck_assert_int_eq(trpt_json_uint64(r, &v), want[i].rc);
        ck_assert_uint_eq(v, want[i].v);
        size_t n;
        const char *text = trpt_json_number_text(r, &n);
        uint64_t slow;
        ck_assert_int_eq(trpt_json_number_to_uint64(text, n, &slow), TRPT_JSON_U64_OK);
        ck_assert_uint_eq(slow, v);
    }
    ck_assert_int_eq(trpt_json_next(r), TLSRPT_ESYNTAX); /* 00000 */
    trpt_json_reader_free(r);

    static const char in2[] = "[-0,5,2.5,6,1e1,18446744073709551616,12345678901234567890,-5]";
    static const struct {
        int rc;
        uint64_t v;
    } want2[] = {
        {TLSRPT_OK, 0}, {TLSRPT_OK, 5}, {TLSRPT_ESEMANTIC, 0}, {TLSRPT_OK, 6}, {TLSRPT_ESEMANTIC, 0},
        {TLSRPT_ESEMANTIC, 0}, {TLSRPT_OK, UINT64_C(12345678901234567890)}, {TLSRPT_ESEMANTIC, 0},
    };
    ck_assert_int_eq(trpt_json_reader_new(&r, in2, sizeof in2 - 1, 0, 1000, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    for (size_t i = 0; i < sizeof want2 / sizeof want2[0]; i++) {
        ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
        v = 1;
        ck_assert_int_eq(trpt_json_uint64(r, &v), want2[i].rc);
        ck_assert_uint_eq(v, want2[i].v);
    }
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
    trpt_json_reader_free(r);
}
END_TEST

START_TEST(uint64_edges)
{
    check_u64("0", TRPT_JSON_U64_OK, 0);
    check_u64("7", TRPT_JSON_U64_OK, 7);
    check_u64("18446744073709551615", TRPT_JSON_U64_OK, UINT64_MAX);
    check_u64("18446744073709551616", TRPT_JSON_U64_TOO_LARGE, 0);
    check_u64("99999999999999999999999", TRPT_JSON_U64_TOO_LARGE, 0);
    check_u64("-0", TRPT_JSON_U64_OK, 0); /* -0 equals 0 (issue 10) */
    check_u64("-00", TRPT_JSON_U64_NEGATIVE, 0); /* never from the reader: not the grammar */
    check_u64("-0.0", TRPT_JSON_U64_NEGATIVE, 0);
    check_u64("-0e0", TRPT_JSON_U64_NEGATIVE, 0);
    check_u64("-1", TRPT_JSON_U64_NEGATIVE, 0);
    check_u64("1.0", TRPT_JSON_U64_FRACTION, 0);
    check_u64("1.5e3", TRPT_JSON_U64_FRACTION, 0);
    check_u64("1e2", TRPT_JSON_U64_EXPONENT, 0);
    check_u64("1E+0", TRPT_JSON_U64_EXPONENT, 0);
    check_u64("", TRPT_JSON_U64_SYNTAX, 0);
    check_u64("x", TRPT_JSON_U64_SYNTAX, 0);
    check_u64("1x", TRPT_JSON_U64_SYNTAX, 0);

    /* Through the reader: value, and each failure's diagnostic with offset and path. */
    static const char in[] = "{\"n\":[0,18446744073709551615,18446744073709551616,-1,1.0,1e2],\"s\":\"1\"}";
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_json_reader *r;
    uint64_t v;
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(in), TRPT_JSON_STRICT, 1000, d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_uint64(r, &v), TLSRPT_EINVAL);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
    ck_assert_int_eq(trpt_json_uint64(r, &v), TLSRPT_OK);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
    ck_assert_int_eq(trpt_json_uint64(r, &v), TLSRPT_OK);
    ck_assert_uint_eq(v, UINT64_MAX);
    static const struct {
        const char *id;
        size_t off;
        const char *path;
    } fails[] = {
        {"json-number-too-large", 29, "/n/2"},
        {"json-number-negative", 50, "/n/3"},
        {"json-number-fraction", 53, "/n/4"},
        {"json-number-exponent", 57, "/n/5"},
    };
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
        v = 1;
        ck_assert_int_eq(trpt_json_uint64(r, &v), TLSRPT_ESEMANTIC);
        ck_assert_uint_eq(v, 0);
        ck_assert_uint_eq(tlsrpt_diag_count(d), i + 1);
        ck_assert_entry(d, i, fails[i].id, TLSRPT_SEVERITY_ERROR, fails[i].off, fails[i].path);
    }
    /* A number failure does not stop the reader. */
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    ck_assert_int_eq(trpt_json_uint64(r, &v), TLSRPT_EINVAL); /* a string is not a number */
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_END);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 4);
    trpt_json_reader_free(r);
    tlsrpt_diag_free(d);

    /* Malformed numbers are grammar errors of the reader, at the offending byte. */
    expect_error(TEXT("[01]"), 0, TLSRPT_ESYNTAX, "json-invalid-number", 2, "/0");
    expect_error(TEXT("[-01]"), 0, TLSRPT_ESYNTAX, "json-invalid-number", 3, "/0");
    expect_error(TEXT("[1.]"), 0, TLSRPT_ESYNTAX, "json-invalid-number", 3, "/0");
    expect_error(TEXT("[.5]"), 0, TLSRPT_ESYNTAX, "json-syntax", 1, "/0");
    expect_error(TEXT("[1e]"), 0, TLSRPT_ESYNTAX, "json-invalid-number", 3, "/0");
    expect_error(TEXT("[1e+]"), 0, TLSRPT_ESYNTAX, "json-invalid-number", 4, "/0");
    expect_error(TEXT("[-]"), 0, TLSRPT_ESYNTAX, "json-invalid-number", 2, "/0");
    expect_error(TEXT("[+1]"), 0, TLSRPT_ESYNTAX, "json-syntax", 1, "/0");
    expect_error(TEXT("-"), 0, TLSRPT_ESYNTAX, "json-unexpected-end", 1, "");
    expect_error(TEXT("1e"), 0, TLSRPT_ESYNTAX, "json-unexpected-end", 2, "");
    expect_error(TEXT("1."), 0, TLSRPT_ESYNTAX, "json-unexpected-end", 2, "");
}
END_TEST

START_TEST(every_error_id)
{
    unsigned S = TRPT_JSON_STRICT;
    for (unsigned mode = 0; mode < 2; mode++) {
        unsigned f = mode ? S : 0;
        /* The same in both modes. */
        expect_error(TEXT("{\"a\":1,}"), f, TLSRPT_ESYNTAX, "json-syntax", 7, "/a");
        expect_error(TEXT("[1,]"), f, TLSRPT_ESYNTAX, "json-syntax", 3, "/1");
        expect_error(TEXT("{\"a\" 1}"), f, TLSRPT_ESYNTAX, "json-syntax", 5, "/a");
        expect_error(TEXT("{1:2}"), f, TLSRPT_ESYNTAX, "json-syntax", 1, "");
        expect_error(TEXT("[1 2]"), f, TLSRPT_ESYNTAX, "json-syntax", 3, "/0");
        expect_error(TEXT("{\"a\":[1}"), f, TLSRPT_ESYNTAX, "json-syntax", 7, "/a/0");
        expect_error(TEXT("[tru]"), f, TLSRPT_ESYNTAX, "json-syntax", 4, "/0");
        expect_error(TEXT("[\xc3\xa9]"), f, TLSRPT_ESYNTAX, "json-syntax", 1, "/0");
        expect_error(TEXT("{\"a\":[1,"), f, TLSRPT_ESYNTAX, "json-unexpected-end", 8, "/a/1");
        expect_error(TEXT("{\"a\":\"xy"), f, TLSRPT_ESYNTAX, "json-unexpected-end", 8, "/a");
        expect_error(TEXT("nul"), f, TLSRPT_ESYNTAX, "json-unexpected-end", 3, "");
        expect_error(TEXT(""), f, TLSRPT_ESYNTAX, "json-unexpected-end", 0, "");
        expect_error(TEXT(" \n"), f, TLSRPT_ESYNTAX, "json-unexpected-end", 2, "");
        expect_error(TEXT("{\"k\":\"a\\x\"}"), f, TLSRPT_ESYNTAX, "json-invalid-escape", 7, "/k");
        expect_error(TEXT("{\"k\":\"\\u12G4\"}"), f, TLSRPT_ESYNTAX, "json-invalid-escape", 6, "/k");
        expect_error(TEXT("[\"\\uD800\\u12x4\"]"), f, TLSRPT_ESYNTAX, "json-invalid-escape", 8, "/0");
        expect_error(TEXT("[\"\\uD800\\"), f, TLSRPT_ESYNTAX, "json-unexpected-end", 9, "/0");
        expect_error(TEXT("[\"a\tb\"]"), f, TLSRPT_ESYNTAX, "json-control-character", 3, "/0");
        expect_error("[\"a\0b\"]", 7, f, TLSRPT_ESYNTAX, "json-control-character", 3, "/0");
        expect_error(TEXT("{} x"), f, TLSRPT_ESYNTAX, "json-trailing-data", 3, "");
        expect_error(TEXT("1 2"), f, TLSRPT_ESYNTAX, "json-trailing-data", 2, "");
        expect_error(TEXT("\xef\xbb"), f, TLSRPT_ESYNTAX, "json-syntax", 0, "");
    }
    /* I-JSON findings are errors in strict mode. */
    expect_error(TEXT("[\"ok\",\"a\xc0\xaf\"]"), S, TLSRPT_ESYNTAX, "json-invalid-utf8", 8, "/1");
    expect_error(TEXT("{\"k\":\"\\uD800x\"}"), S, TLSRPT_ESYNTAX, "json-lone-surrogate", 6, "/k");
    expect_error(TEXT("{\"k\":\"\\uDC00\\uD800\"}"), S, TLSRPT_ESYNTAX, "json-lone-surrogate", 6, "/k");
    expect_error(TEXT("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}"), S, TLSRPT_ESYNTAX, "json-duplicate-name", 18, "/b/c");
    expect_error(TEXT("{\"a\":1,\"\\u0061\":2}"), S, TLSRPT_ESYNTAX, "json-duplicate-name", 7, "/a");
    expect_error(TEXT("\xef\xbb\xbf{}"), S, TLSRPT_ESYNTAX, "json-bom", 0, "");

    /* Size limit: at new(), offset = the limit. */
    tlsrpt_diag *d;
    trpt_json_reader *r = (trpt_json_reader *)1;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT("[1,2,3,4,5]"), 0, 10, d), TLSRPT_ELIMIT);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, "json-size-limit", TLSRPT_SEVERITY_ERROR, 10, "");
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lenient_warnings)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);

    /* Invalid UTF-8: each maximal ill-formed subpart becomes one U+FFFD; one warning per string. Covers an
     * overlong (C0 AF), an encoded surrogate (ED A0 80), above U+10FFFF (F4 90 80 80), a truncated sequence
     * (E2 82 then 'x') and a stray continuation byte (80). */
    ck_render(0, d,
              "[ S:a\\xEF\\xBF\\xBD\\xEF\\xBF\\xBDb S:\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD"
              " S:\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD S:\\xEF\\xBF\\xBDx\\xEF\\xBF\\xBD ] $",
              TEXT("[\"a\xc0\xaf" "b\",\"\xed\xa0\x80\",\"\xf4\x90\x80\x80\",\"\xe2\x82x\x80\"]"));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 4);
    ck_assert_entry(d, 0, "json-invalid-utf8", TLSRPT_SEVERITY_WARNING, 3, "/0");
    ck_assert_entry(d, 1, "json-invalid-utf8", TLSRPT_SEVERITY_WARNING, 9, "/1");
    ck_assert_entry(d, 2, "json-invalid-utf8", TLSRPT_SEVERITY_WARNING, 15, "/2");
    ck_assert_entry(d, 3, "json-invalid-utf8", TLSRPT_SEVERITY_WARNING, 22, "/3");
    tlsrpt_diag_clear(d);

    /* Lone and ill-ordered surrogate escapes become U+FFFD; a good pair after a lone high one still decodes. */
    ck_render(0, d,
              "{ N:k S:\\xEF\\xBF\\xBDx N:l S:\\xEF\\xBF\\xBD\\xEF\\xBF\\xBD N:m S:\\xEF\\xBF\\xBD\\xF0\\x9F\\x98\\x80 } $",
              TEXT("{\"k\":\"\\uD800x\",\"l\":\"\\uDC00\\uD800\",\"m\":\"\\uD800\\uD83D\\uDE00\"}"));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_entry(d, 0, "json-lone-surrogate", TLSRPT_SEVERITY_WARNING, 6, "/k");
    ck_assert_entry(d, 1, "json-lone-surrogate", TLSRPT_SEVERITY_WARNING, 20, "/l");
    ck_assert_entry(d, 2, "json-lone-surrogate", TLSRPT_SEVERITY_WARNING, 39, "/m");
    tlsrpt_diag_clear(d);

    /* Duplicate names: a warning, both members delivered. */
    ck_render(0, d, "{ N:a #1 N:b { N:c #1 N:c #2 } N:a #3 } $", TEXT("{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"a\":3}"));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_entry(d, 0, "json-duplicate-name", TLSRPT_SEVERITY_WARNING, 18, "/b/c");
    ck_assert_entry(d, 1, "json-duplicate-name", TLSRPT_SEVERITY_WARNING, 25, "/a");
    tlsrpt_diag_clear(d);

    /* Same names in different (sibling or nested) objects are fine. */
    ck_render(TRPT_JSON_STRICT, d, "[ { N:a #1 } { N:a { N:a #2 } } ] $", TEXT("[{\"a\":1},{\"a\":{\"a\":2}}]"));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);

    /* BOM: skipped with a warning, offsets stay those of the input. */
    ck_render(0, d, "{ N:a E-3", TEXT("\xef\xbb\xbf{\"a\":\xef\xbb\xbf}"));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_entry(d, 0, "json-bom", TLSRPT_SEVERITY_WARNING, 0, "");
    ck_assert_entry(d, 1, "json-syntax", TLSRPT_SEVERITY_ERROR, 8, "/a");
    tlsrpt_diag_clear(d);
    ck_render(0, d, "S:\\xEF\\xBB\\xBF $", TEXT("\xef\xbb\xbf\"\xef\xbb\xbf\""));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, "json-bom", TLSRPT_SEVERITY_WARNING, 0, "");
    tlsrpt_diag_clear(d);
    ck_render(0, d, "E-3", TEXT("\xef\xbb\xbf"));
    ck_assert_entry(d, 1, "json-unexpected-end", TLSRPT_SEVERITY_ERROR, 3, "");
    tlsrpt_diag_free(d);
}
END_TEST

/* "[[[...1...]]]" with n arrays, or objects {"a":{"a":...}} when obj. */
static char *nested(size_t n, int obj, size_t *len)
{
    char *s = malloc(n * 6 + 2);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (obj) {
            memcpy(s + k, "{\"a\":", 5);
            k += 5;
        } else {
            s[k++] = '[';
        }
    }
    s[k++] = '1';
    for (size_t i = 0; i < n; i++)
        s[k++] = obj ? '}' : ']';
    *len = k;
    return s;
}

START_TEST(depth_limit)
{
    for (int obj = 0; obj < 2; obj++) {
        size_t len;
        char *s = nested(TLSRPT_MAX_JSON_DEPTH, obj, &len);
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        trpt_json_reader *r;
        ck_assert_int_eq(trpt_json_reader_new(&r, s, len, TRPT_JSON_STRICT, len, d), TLSRPT_OK);
        unsigned maxdepth = 0;
        int t;
        while ((t = trpt_json_next(r)) > 0 && t != TRPT_JSON_END)
            if (trpt_json_depth(r) > maxdepth)
                maxdepth = trpt_json_depth(r);
        ck_assert_int_eq(t, TRPT_JSON_END);
        ck_assert_uint_eq(maxdepth, TLSRPT_MAX_JSON_DEPTH);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
        trpt_json_reader_free(r);
        free(s);

        s = nested(TLSRPT_MAX_JSON_DEPTH + 1, obj, &len);
        ck_assert_int_eq(drain(s, len, 0, d), TLSRPT_ELIMIT);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
        char path[TLSRPT_MAX_JSON_DEPTH * 2 + 1];
        for (size_t i = 0; i < TLSRPT_MAX_JSON_DEPTH; i++)
            memcpy(path + 2 * i, obj ? "/a" : "/0", 2);
        path[TLSRPT_MAX_JSON_DEPTH * 2] = '\0';
        ck_assert_entry(d, 0, "json-depth-limit", TLSRPT_SEVERITY_ERROR, TLSRPT_MAX_JSON_DEPTH * (obj ? 5 : 1),
                        path);
        tlsrpt_diag_free(d);
        free(s);
    }
    /* Far deeper input fails the same way, without recursion. */
    size_t len;
    char *s = nested(100000, 0, &len);
    ck_assert_int_eq(drain(s, len, 0, NULL), TLSRPT_ELIMIT);
    free(s);
}
END_TEST

START_TEST(size_limit)
{
    static const char in[] = "[1,2,3]";
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(in), 0, 7, NULL), TLSRPT_OK);
    trpt_json_reader_free(r);
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(in), 0, 6, NULL), TLSRPT_ELIMIT);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(trpt_json_reader_new(&r, in, 0, 0, 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TLSRPT_ESYNTAX);
    trpt_json_reader_free(r);
    /* Bad arguments. */
    ck_assert_int_eq(trpt_json_reader_new(NULL, TEXT(in), 0, 100, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(trpt_json_reader_new(&r, NULL, 1, 0, 100, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(in), 2, 100, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(trpt_json_reader_new(&r, NULL, 0, 0, 100, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TLSRPT_ESYNTAX);
    trpt_json_reader_free(r);
    trpt_json_reader_free(NULL);
}
END_TEST

static const char sample[] =
    "{\"organization-name\":\"Company-X\",\"date-range\":{\"start-datetime\":\"2016-04-01T00:00:00Z\","
    "\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"contact-info\":\"sts-reporting@company-x.example\","
    "\"report-id\":\"5065427c-23d3-47ca-b6e0-946ea0e8c4be\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\","
    "\"policy-string\":[\"version: STSv1\",\"mode: testing\"],\"policy-domain\":\"company-y.example\","
    "\"mx-host\":[\"*.mail.company-y.example\"]},\"summary\":{\"total-successful-session-count\":5326,"
    "\"total-failure-session-count\":303},\"failure-details\":[{\"result-type\":\"certificate-expired\","
    "\"sending-mta-ip\":\"2001:db8:abcd:0012::1\",\"failed-session-count\":100,\"x\":[true,false,null,-1.5e-3],"
    "\"esc\":\"\\u00e9\\ud83d\\ude00\\n\\\"\",\"utf8\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}]}]}";

START_TEST(every_prefix_fails_cleanly)
{
    size_t n = sizeof sample - 1;
    ck_assert_int_eq(drain(sample, n, TRPT_JSON_STRICT, NULL), TRPT_JSON_END);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    for (unsigned f = 0; f <= TRPT_JSON_STRICT; f++) {
        for (size_t k = 0; k < n; k++) {
            /* A copy of exactly k bytes, so that valgrind/ASan catch any read past the end. */
            char *p = malloc(k ? k : 1);
            memcpy(p, sample, k);
            tlsrpt_diag_clear(d);
            ck_assert_int_eq(drain(p, k, f, d), TLSRPT_ESYNTAX);
            ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 1);
            long i = tlsrpt_diag_count(d) - 1;
            ck_assert_int_eq(tlsrpt_diag_severity(d, (size_t)i), TLSRPT_SEVERITY_ERROR);
            /* A cut inside a UTF-8 sequence is invalid UTF-8 in strict mode; everything else ends early. */
            if (strcmp(tlsrpt_diag_id(d, (size_t)i), "json-unexpected-end") == 0) {
                ck_assert_uint_eq(tlsrpt_diag_offset(d, (size_t)i), k);
            } else {
                ck_assert_str_eq(tlsrpt_diag_id(d, (size_t)i), "json-invalid-utf8");
                ck_assert_uint_eq(f, TRPT_JSON_STRICT);
            }
            free(p);
        }
    }
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(skip_values)
{
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(sample), TRPT_JSON_STRICT, sizeof sample, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
    int names = 0, t;
    while ((t = trpt_json_next(r)) == TRPT_JSON_NAME) {
        names++;
        if (trpt_json_string_equals(r, "policies")) {
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
            ck_assert_int_eq(trpt_json_skip(r), TLSRPT_OK); /* the whole "policy" object */
            ck_assert_int_eq(trpt_json_token_type(r), TRPT_JSON_OBJECT_END);
            ck_assert_uint_eq(trpt_json_depth(r), 3);
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
            ck_assert(trpt_json_string_equals(r, "summary"));
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
            ck_assert_int_eq(trpt_json_skip(r), TLSRPT_OK); /* from the start token */
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
            ck_assert(trpt_json_string_equals(r, "failure-details"));
            ck_assert_str_eq(trpt_json_path(r), "/policies/0/failure-details");
            ck_assert_int_eq(trpt_json_skip(r), TLSRPT_OK);
            ck_assert_int_eq(trpt_json_token_type(r), TRPT_JSON_ARRAY_END);
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_END);
            ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
        } else {
            ck_assert_int_eq(trpt_json_skip(r), TLSRPT_OK);
            t = trpt_json_token_type(r);
            ck_assert(t == TRPT_JSON_STRING || t == TRPT_JSON_OBJECT_END);
            ck_assert_int_eq(trpt_json_skip(r), TLSRPT_OK); /* on a scalar or an end: nothing */
            ck_assert_int_eq(trpt_json_token_type(r), t);
        }
    }
    ck_assert_int_eq(t, TRPT_JSON_OBJECT_END);
    ck_assert_int_eq(names, 5);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    ck_assert_int_eq(trpt_json_skip(r), TLSRPT_OK);
    trpt_json_reader_free(r);

    /* skip validates and reports errors inside the skipped value; errors are sticky. */
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT("{\"a\":[1,{\"b\":[tx]}],\"c\":1}"), 0, 100, d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
    ck_assert_int_eq(trpt_json_skip(r), TLSRPT_ESYNTAX);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, "json-syntax", TLSRPT_SEVERITY_ERROR, 15, "/a/1/b/0");
    ck_assert_int_eq(trpt_json_next(r), TLSRPT_ESYNTAX);
    ck_assert_int_eq(trpt_json_skip(r), TLSRPT_ESYNTAX);
    ck_assert_int_eq(trpt_json_token_type(r), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    trpt_json_reader_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(paths_and_offsets)
{
    static const char in[] = "{\"a/b\":[10,{\"~x\":\"v\"}],\"\\u0000\":null}";
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT(in), TRPT_JSON_STRICT, 100, NULL), TLSRPT_OK);
    ck_assert_str_eq(trpt_json_path(r), "");
    static const struct {
        int token;
        size_t off;
        unsigned depth;
        const char *path;
    } want[] = {
        {TRPT_JSON_OBJECT_START, 0, 1, ""},     {TRPT_JSON_NAME, 1, 1, "/a~1b"},
        {TRPT_JSON_ARRAY_START, 7, 2, "/a~1b"}, {TRPT_JSON_NUMBER, 8, 2, "/a~1b/0"},
        {TRPT_JSON_OBJECT_START, 11, 3, "/a~1b/1"}, {TRPT_JSON_NAME, 12, 3, "/a~1b/1/~0x"},
        {TRPT_JSON_STRING, 17, 3, "/a~1b/1/~0x"}, {TRPT_JSON_OBJECT_END, 20, 2, "/a~1b/1"},
        {TRPT_JSON_ARRAY_END, 21, 1, "/a~1b"},  {TRPT_JSON_NAME, 23, 1, "/\xef\xbf\xbd"},
        {TRPT_JSON_NULL, 32, 1, "/\xef\xbf\xbd"}, {TRPT_JSON_OBJECT_END, 36, 0, ""},
        {TRPT_JSON_END, 37, 0, ""},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_int_eq(trpt_json_next(r), want[i].token);
        ck_assert_uint_eq(trpt_json_offset(r), want[i].off);
        ck_assert_uint_eq(trpt_json_depth(r), want[i].depth);
        ck_assert_str_eq(trpt_json_path(r), want[i].path);
        ck_assert_str_eq(trpt_json_path(r), want[i].path); /* cached */
    }
    trpt_json_reader_free(r);

    /* A long name is cut in the path, never inside a UTF-8 sequence. */
    char big[400];
    size_t k = 0;
    memcpy(big, "{\"", 2);
    k = 2;
    big[k++] = 'x';
    for (int i = 0; i < 100; i++) {
        memcpy(big + k, "\xc3\xa9", 2);
        k += 2;
    }
    memcpy(big + k, "\":[}", 4);
    k += 4;
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(drain(big, k, 0, d), TLSRPT_ESYNTAX);
    char want_path[200] = "/x";
    for (int i = 0; i < 63; i++)
        strcat(want_path, "\xc3\xa9");
    strcat(want_path, ".../0");
    ck_assert_entry(d, 0, "json-syntax", TLSRPT_SEVERITY_ERROR, k - 1, want_path);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(many_members)
{
    /* 200000 distinct members (hash index), then a duplicate of an early one far into the object. */
    size_t n = 200000;
    char *s = malloc(n * 24 + 64);
    size_t k = 0;
    s[k++] = '{';
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(s + k, "%s\"m%zu\":%zu", i ? "," : "", i, i);
    size_t dup_off = k + 1;
    k += (size_t)sprintf(s + k, ",\"m17\":0,\"n\":{\"m17\":1}}");
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(drain(s, k, 0, d), TRPT_JSON_END);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, "json-duplicate-name", TLSRPT_SEVERITY_WARNING, dup_off, "/m17");
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(drain(s, k, TRPT_JSON_STRICT, d), TLSRPT_ESYNTAX);
    ck_assert_entry(d, 0, "json-duplicate-name", TLSRPT_SEVERITY_ERROR, dup_off, "/m17");
    tlsrpt_diag_clear(d);

    /* Duplicates at every count around the switch from scan to hash index, also after the table grows. */
    size_t sizes[] = {1, TRPT_JSON_LINEAR_NAMES - 1, TRPT_JSON_LINEAR_NAMES, TRPT_JSON_LINEAR_NAMES + 1, 31, 32, 33,
                      100, 1000};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        for (size_t which = 0; which < sizes[z]; which += (sizes[z] / 7) + 1) {
            k = 0;
            s[k++] = '[';
            s[k++] = '{';
            for (size_t i = 0; i < sizes[z]; i++)
                k += (size_t)sprintf(s + k, "%s\"%zu\":{}", i ? "," : "", i * 7919);
            size_t off = k + 1;
            k += (size_t)sprintf(s + k, ",\"%zu\":1}]", which * 7919);
            ck_assert_int_eq(drain(s, k, TRPT_JSON_STRICT, d), TLSRPT_ESYNTAX);
            ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
            char path[40];
            sprintf(path, "/0/%zu", which * 7919);
            ck_assert_entry(d, 0, "json-duplicate-name", TLSRPT_SEVERITY_ERROR, off, path);
            tlsrpt_diag_clear(d);
        }
    }
    tlsrpt_diag_free(d);
    free(s);
}
END_TEST

START_TEST(sticky_and_end)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, TEXT("[1]]"), 0, 100, d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_token_type(r), 0);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
    size_t n;
    ck_assert_ptr_null(trpt_json_string(r, &n));
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
    ck_assert_ptr_null(trpt_json_number_text(r, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(trpt_json_next(r), TLSRPT_ESYNTAX);
    ck_assert_int_eq(trpt_json_next(r), TLSRPT_ESYNTAX);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, "json-trailing-data", TLSRPT_SEVERITY_ERROR, 3, "");
    trpt_json_reader_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(escaped_names_and_long_strings)
{
    /* 40 members whose names need decoding (kept in the name arena, found through the hash index), the last one
     * a duplicate of member 3 written differently. */
    char *s = malloc(4096);
    size_t k = 0;
    s[k++] = '{';
    for (int i = 0; i < 40; i++)
        k += (size_t)sprintf(s + k, "%s\"\\u00%02x-%d\":%d", i ? "," : "", 0x41 + i % 26, i, i);
    size_t off = k + 1;
    k += (size_t)sprintf(s + k, ",\"D-3\":true}");
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_json_reader *r;
    ck_assert_int_eq(trpt_json_reader_new(&r, s, k, 0, k, d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_START);
    for (int i = 0; i < 40; i++) {
        char want[16];
        sprintf(want, "%c-%d", 'A' + i % 26, i);
        ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME);
        ck_assert(trpt_json_string_equals(r, want));
        ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NUMBER);
    }
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_NAME); /* lenient: the duplicate is delivered */
    ck_assert(trpt_json_string_equals(r, "D-3"));
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_TRUE);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_OBJECT_END);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_entry(d, 0, "json-duplicate-name", TLSRPT_SEVERITY_WARNING, off, "/D-3");
    trpt_json_reader_free(r);
    tlsrpt_diag_free(d);
    free(s);

    /* A long string with escapes grows the scratch buffer; then a short one reuses it. */
    size_t n = 20000;
    s = malloc(n * 6 + 16);
    k = 0;
    s[k++] = '[';
    s[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        memcpy(s + k, i % 2 ? "\\u00e9" : "x\\n", i % 2 ? 6 : 3);
        k += i % 2 ? 6 : 3;
    }
    memcpy(s + k, "\",\"\\t\"]", 7);
    k += 7;
    ck_assert_int_eq(trpt_json_reader_new(&r, s, k, TRPT_JSON_STRICT, k, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_START);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    size_t len;
    const char *v = trpt_json_string(r, &len);
    ck_assert_uint_eq(len, n / 2 * 4);
    for (size_t i = 0; i < n / 2; i++)
        ck_assert_mem_eq(v + 4 * i, "x\n\xc3\xa9", 4);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_STRING);
    v = trpt_json_string(r, &len);
    ck_assert_uint_eq(len, 1);
    ck_assert_int_eq(v[0], '\t');
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_ARRAY_END);
    ck_assert_int_eq(trpt_json_next(r), TRPT_JSON_END);
    trpt_json_reader_free(r);
    free(s);
}
END_TEST

/* ---- The shortcuts (trpt_json_next_member/_value/_element) are trpt_json_next() -------------------------------- */

/* Reads `in` with two readers: A calls only trpt_json_next(), B one of the four next functions chosen by a
 * pseudo-random sequence (each must be exactly trpt_json_next() in every state, the shortcut or not). Every token,
 * its text, offset, depth and path, and in the end every diagnostic, must be the same. Returns the tokens read. */
static size_t same_as_next(const char *in, size_t len, unsigned flags, uint64_t *seed)
{
    /* Plain comparisons and one assertion per document: Check records every assertion, which would dominate. */
#define SAME(cond, what)                                                                                              \
    do {                                                                                                              \
        if (!(cond))                                                                                                  \
            ck_abort_msg("%s differs at token %zu (shortcut %u) of a %zu-byte input", (what), steps, pick, len);      \
    } while (0)
    tlsrpt_diag *da, *db;
    ck_assert_int_eq(tlsrpt_diag_new(&da), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_diag_new(&db), TLSRPT_OK);
    trpt_json_reader *a, *b;
    ck_assert_int_eq(trpt_json_reader_new(&a, in, len, flags, 1 << 20, da), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_reader_new(&b, in, len, flags, 1 << 20, db), TLSRPT_OK);
    size_t steps = 0;
    unsigned pick = 0;
    for (;;) {
        *seed = *seed * 6364136223846793005u + 1442695040888963407u;
        pick = (unsigned)(*seed >> 61) % 4;
        int ta = trpt_json_next(a);
        int tb = pick == 0 ? trpt_json_next(b)
                 : pick == 1 ? trpt_json_next_member(b)
                 : pick == 2 ? trpt_json_next_value(b)
                             : trpt_json_next_element(b);
        steps++;
        SAME(ta == tb, "the token");
        SAME(trpt_json_token_type(a) == trpt_json_token_type(b), "the token type");
        SAME(trpt_json_offset(a) == trpt_json_offset(b), "the offset");
        SAME(trpt_json_depth(a) == trpt_json_depth(b), "the depth");
        size_t na, nb;
        const char *sa = trpt_json_string(a, &na), *sb = trpt_json_string(b, &nb);
        SAME(na == nb && (na == 0 || memcmp(sa, sb, na) == 0), "the string");
        SAME(trpt_json_string_has_nul(a) == trpt_json_string_has_nul(b), "the NUL flag");
        sa = trpt_json_number_text(a, &na);
        sb = trpt_json_number_text(b, &nb);
        SAME(na == nb && (na == 0 || memcmp(sa, sb, na) == 0), "the number");
        if (ta == TRPT_JSON_NUMBER) {
            uint64_t va, vb;
            int ra = trpt_json_uint64(a, &va), rb = trpt_json_uint64(b, &vb);
            SAME(ra == rb && va == vb, "the number's value");
        }
        if ((*seed >> 32) % 8 == 0 || ta < 0) { /* the path too, now and then (rendering it costs) */
            const char *pa = trpt_json_path(a), *pb = trpt_json_path(b);
            SAME(strcmp(pa ? pa : "(null)", pb ? pb : "(null)") == 0, "the path");
        }
        if (ta < 0 || ta == TRPT_JSON_END)
            break;
    }
    SAME(tlsrpt_diag_count(da) == tlsrpt_diag_count(db), "the number of findings");
    for (size_t i = 0; i < tlsrpt_diag_count(da); i++) {
        SAME(strcmp(tlsrpt_diag_id(da, i), tlsrpt_diag_id(db, i)) == 0, "a finding's id");
        SAME(tlsrpt_diag_offset(da, i) == tlsrpt_diag_offset(db, i), "a finding's offset");
        SAME(strcmp(tlsrpt_diag_path(da, i), tlsrpt_diag_path(db, i)) == 0, "a finding's path");
        SAME(strcmp(tlsrpt_diag_message(da, i), tlsrpt_diag_message(db, i)) == 0, "a finding's message");
    }
#undef SAME
    trpt_json_reader_free(a);
    trpt_json_reader_free(b);
    tlsrpt_diag_free(da);
    tlsrpt_diag_free(db);
    return steps;
}

START_TEST(shortcuts_are_next)
{
    /* A report-shaped document with ", " and ": " (the shortcuts' input), other whitespace, every kind of value,
     * nesting, a duplicate name, escapes, non-ASCII, a long string and short strings near the end. */
    static const char base[] =
        "{\"organization-name\": \"Example\", \"date-range\": {\"start-datetime\": \"2024-03-01T00:00:00Z\", "
        "\"end-datetime\":\"2024-03-01T23:59:59Z\"},\"policies\": [{\"policy\": {\"policy-type\": \"sts\", "
        "\"policy-string\": [\"version: STSv1\", \"mode: enforce\",\"mx: *.example\"], \"mx-host\": [] }, "
        "\"summary\": {\"total-successful-session-count\": 5326, \"total-failure-session-count\": 0, "
        "\"total-failure-session-count\": 1e3}, \"failure-details\": [ {\"result-type\": \"x\\u00e9\\n\", "
        "\"n\": [1, -0, 2.5, true, false, null, {}, [[]], \"caf\xc3\xa9\"], \"k\\\"e\": 18446744073709551616 },\n"
        "{\"additional-information\": \"https://reports.example/tlsrpt/detail?p=0&k=0&x=aaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\t, {} ]}], \"x\": \"a\", \"y\": [\"b\", \"c\"] }  ";
    const size_t n = sizeof base - 1;
    static const unsigned char bytes[] = {' ', '\n', ',', '"', '\\', ':', '}', ']', '{', '0', 0x80};
    char *buf = malloc(n);
    ck_assert_ptr_nonnull(buf);
    uint64_t seed = 1;
    size_t tokens = 0;
    for (unsigned flags = 0; flags <= TRPT_JSON_STRICT; flags += TRPT_JSON_STRICT) {
        tokens += same_as_next(base, n, flags, &seed);
        for (size_t cut = 0; cut < n; cut++) /* every prefix */
            tokens += same_as_next(base, cut, flags, &seed);
        for (size_t i = 0; i < n; i++) { /* every position, each byte that matters to the reader */
            for (size_t k = 0; k < sizeof bytes; k++) {
                memcpy(buf, base, n);
                buf[i] = (char)bytes[k];
                tokens += same_as_next(buf, n, flags, &seed);
            }
        }
    }
    /* Deep documents: the frames beyond the reader's first levels are allocated as they are reached (8, 16, 32,
     * 64 levels), and the 65th level is the depth limit. */
    for (size_t levels = 1; levels <= TLSRPT_MAX_JSON_DEPTH / 2 + 1; levels++) {
        trpt_buf d;
        trpt_buf_init(&d);
        for (size_t i = 0; i < levels; i++)
            trpt_buf_printf(&d, i % 3 ? "{\"k%zu\": [1, " : "{\"k%zu\":[\"s\",", i);
        for (size_t i = 0; i < levels; i++)
            trpt_buf_puts(&d, i % 2 ? "]}" : "], \"z\": 2}");
        ck_assert(!d.failed);
        for (unsigned flags = 0; flags <= TRPT_JSON_STRICT; flags += TRPT_JSON_STRICT)
            tokens += same_as_next(d.data, d.len, flags, &seed);
        trpt_buf_free(&d);
    }
    ck_assert_uint_gt(tokens, 100000); /* the readers did go through the documents */
    free(buf);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("json_reader");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, token_sequences);
    tcase_add_test(tc, string_decoding);
    tcase_add_test(tc, string_scan_boundaries);
    tcase_add_test(tc, uint64_edges);
    tcase_add_test(tc, uint64_scan_boundary);
    tcase_add_test(tc, every_error_id);
    tcase_add_test(tc, lenient_warnings);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, size_limit);
    tcase_add_test(tc, every_prefix_fails_cleanly);
    tcase_add_test(tc, skip_values);
    tcase_add_test(tc, paths_and_offsets);
    tcase_add_test(tc, many_members);
    tcase_add_test(tc, sticky_and_end);
    tcase_add_test(tc, escaped_names_and_long_strings);
    tcase_add_test(tc, shortcuts_are_next);
    suite_add_tcase(s, tc);
    return s;
}
