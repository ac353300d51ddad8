/* The MTA-STS policy file: RFC 8461 §3.2 grammar (erratum 6253 line ends), limits, builder, serializer, the
 * report's policy-string lines, MX matching (§4.1), lint, and tlsrpt_report_add_sts_policy.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parse_helpers.h"
#include "testutil.h"

/* ---- Allocation failure injection and a heap meter: tests/alloc_hooks.h (tests/meson.build wraps the allocator) -- */
#include "alloc_hooks.h"

/* RFC 8461 §3.2's example policy. */
#define RFC_POLICY                                                                                                    \
    "version: STSv1\n"                                                                                                \
    "mode: enforce\n"                                                                                                 \
    "mx: mail.example.com\n"                                                                                          \
    "mx: *.example.net\n"                                                                                             \
    "mx: backupmx.example.com\n"                                                                                      \
    "max_age: 604800\n"

TEXT_PARSE_HELPERS(tlsrpt_sts_policy, tlsrpt_sts_policy_parse)

/* A policy of the required lines and one more line `line` (no terminator), which must fail. The offset is
 * relative to `line`. */
#define HEAD "version: STSv1\nmode: testing\nmax_age: 86400\nmx: mx.example.com\n"
static void line_fail(const char *line, int want_rc, const char *id, size_t offset_in_line)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s\n", HEAD, line);
    parse_fail_n(text, strlen(text), want_rc, id, strlen(HEAD) + offset_in_line);
}

static void assert_strings(const tlsrpt_sts_policy *p, size_t n, const char *const *want)
{
    ck_assert_uint_eq(tlsrpt_sts_policy_string_count(p), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(tlsrpt_sts_policy_string(p, i), want[i]);
    ck_assert_ptr_null(tlsrpt_sts_policy_string(p, n));
}

static char *serialize(const tlsrpt_sts_policy *p)
{
    char *s = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_sts_policy_serialize(p, &s, &len), TLSRPT_OK);
    ck_assert_uint_eq(len, strlen(s));
    return s;
}

static void assert_equal(const tlsrpt_sts_policy *a, const tlsrpt_sts_policy *b)
{
    ck_assert_int_eq(tlsrpt_sts_policy_mode(a), tlsrpt_sts_policy_mode(b));
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(a), tlsrpt_sts_policy_max_age(b));
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(a), tlsrpt_sts_policy_mx_count(b));
    for (size_t i = 0; i < tlsrpt_sts_policy_mx_count(a); i++)
        ck_assert_str_eq(tlsrpt_sts_policy_mx(a, i), tlsrpt_sts_policy_mx(b, i));
    ck_assert_uint_eq(tlsrpt_sts_policy_extension_count(a), tlsrpt_sts_policy_extension_count(b));
    for (size_t i = 0; i < tlsrpt_sts_policy_extension_count(a); i++) {
        ck_assert_str_eq(tlsrpt_sts_policy_extension_name(a, i), tlsrpt_sts_policy_extension_name(b, i));
        ck_assert_str_eq(tlsrpt_sts_policy_extension_value(a, i), tlsrpt_sts_policy_extension_value(b, i));
    }
    ck_assert_uint_eq(tlsrpt_sts_policy_string_count(a), tlsrpt_sts_policy_string_count(b));
    for (size_t i = 0; i < tlsrpt_sts_policy_string_count(a); i++)
        ck_assert_str_eq(tlsrpt_sts_policy_string(a, i), tlsrpt_sts_policy_string(b, i));
}

static void assert_round_trip(const tlsrpt_sts_policy *p)
{
    char *s = serialize(p);
    tlsrpt_sts_policy *back = parse_ok(s, NULL);
    assert_equal(p, back);
    char *s2 = serialize(back);
    ck_assert_str_eq(s, s2);
    tlsrpt_free(s);
    tlsrpt_free(s2);
    tlsrpt_sts_policy_free(back);
}

/* ---- the grammar ---------------------------------------------------------------------------------------------- */

START_TEST(rfc_example)
{
    tlsrpt_sts_policy *p = parse_clean(RFC_POLICY);
    ck_assert_int_eq(tlsrpt_sts_policy_mode(p), TLSRPT_STS_MODE_ENFORCE);
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(p), 604800);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 3);
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 0), "mail.example.com");
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 1), "*.example.net");
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 2), "backupmx.example.com");
    ck_assert_ptr_null(tlsrpt_sts_policy_mx(p, 3));
    ck_assert_uint_eq(tlsrpt_sts_policy_extension_count(p), 0);
    const char *want[] = {"version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net",
                          "mx: backupmx.example.com", "max_age: 604800"};
    assert_strings(p, 6, want);
    char *s = serialize(p);
    ck_assert_str_eq(s, "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                        "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
    tlsrpt_free(s);
    assert_round_trip(p);
    tlsrpt_sts_policy_free(p);
}
END_TEST

/* Erratum 6253: LF or CRLF, mixed, with or without a final terminator; the canonical strings are the same. */
START_TEST(line_terminators_and_whitespace)
{
    const char *texts[] = {
        RFC_POLICY,
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
        "mx: backupmx.example.com\r\nmax_age: 604800\r\n",
        "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmx: *.example.net\n"
        "mx: backupmx.example.com\r\nmax_age: 604800",
        "max_age:604800\nmx:\tmail.example.com \t\nversion:  STSv1\t\nmx: *.example.net\nmode: enforce \n"
        "mx: backupmx.example.com",
    };
    tlsrpt_sts_policy *first = parse_clean(texts[0]);
    for (size_t i = 1; i < sizeof texts / sizeof *texts; i++) {
        tlsrpt_sts_policy *p = parse_clean(texts[i]);
        assert_equal(first, p);
        tlsrpt_sts_policy_free(p);
    }
    tlsrpt_sts_policy_free(first);
    parse_fail("version: STSv1\rmode: enforce\n", "sts-policy-bare-cr", 14);
    parse_fail("version: STSv1\nmode: none\r", "sts-policy-bare-cr", 25);
    parse_fail_n("version: STSv1\nmode: none\0\nmax_age: 1\n", 38, TLSRPT_ESYNTAX, "sts-policy-nul", 25);
    /* no whitespace before ':' and none at the start of a line */
    parse_fail("version : STSv1\n", "sts-policy-colon-expected", 7);
    parse_fail(" version: STSv1\n", "sts-policy-key-invalid", 0);
    parse_fail("version STSv1\n", "sts-policy-colon-expected", 7);
    parse_fail("version\n", "sts-policy-colon-expected", 7);
}
END_TEST

START_TEST(empty_lines_warned)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_policy *p = parse_ok("version: STSv1\n\nmode: none\n \t\r\nmax_age: 0\n\n", d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "sts-policy-empty-line");
    ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_WARNING);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), 15);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1), 27);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 2), 42);
    ck_assert_int_eq(tlsrpt_sts_policy_mode(p), TLSRPT_STS_MODE_NONE);
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(p), 0);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 0);
    const char *want[] = {"version: STSv1", "mode: none", "max_age: 0"};
    assert_strings(p, 3, want);
    assert_round_trip(p);
    tlsrpt_sts_policy_free(p);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(required_keys)
{
    parse_fail("", "sts-policy-version-missing", TLSRPT_NO_OFFSET);
    parse_fail("mode: enforce\nmax_age: 1\nmx: a.example\n", "sts-policy-version-missing", TLSRPT_NO_OFFSET);
    parse_fail("version: STSv1\nmax_age: 1\nmx: a.example\n", "sts-policy-mode-missing", TLSRPT_NO_OFFSET);
    parse_fail("version: STSv1\nmode: enforce\nmx: a.example\n", "sts-policy-max-age-missing", TLSRPT_NO_OFFSET);
    parse_fail("version: STSv1\nmode: enforce\nmax_age: 1\n", "sts-policy-mx-missing", TLSRPT_NO_OFFSET);
    parse_fail("version: STSv1\nmode: testing\nmax_age: 1\n", "sts-policy-mx-missing", TLSRPT_NO_OFFSET);
    /* a key in the wrong case is an extension with a warning, and the real key is still missing */
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_policy *p = (tlsrpt_sts_policy *)d;
    ck_assert_int_eq(tlsrpt_sts_policy_parse(&p, TEXT("version: STSv1\nMode: enforce\nmax_age: 1\nmx: a.example\n"), d),
                     TLSRPT_ESYNTAX);
    ck_assert_ptr_null(p);
    ck_assert_diag(d, "sts-policy-key-wrong-case", TLSRPT_SEVERITY_WARNING, 15);
    ck_assert_diag(d, "sts-policy-mode-missing", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(duplicates)
{
    parse_fail("version: STSv1\nversion: STSv1\n", "sts-policy-key-duplicate", 15);
    line_fail("mode: testing", TLSRPT_ESYNTAX, "sts-policy-key-duplicate", 0);
    line_fail("max_age: 86400", TLSRPT_ESYNTAX, "sts-policy-key-duplicate", 0);
    /* mx repeats by design, extensions may repeat too */
    tlsrpt_sts_policy *p = parse_ok(HEAD "mx: mx.example.com\nfoo: 1\nfoo: 2\n", NULL);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 2);
    ck_assert_uint_eq(tlsrpt_sts_policy_extension_count(p), 2);
    tlsrpt_sts_policy_free(p);
}
END_TEST

START_TEST(version_and_mode_values)
{
    parse_fail("version: STSv2\n", "sts-policy-version-invalid", 13);
    parse_fail("version: stsv1\n", "sts-policy-version-invalid", 9);
    parse_fail("version: STSv1 x\n", "sts-policy-version-invalid", 14);
    parse_fail("version:\n", "sts-policy-version-invalid", 8);
    parse_fail("mode: Enforce\n", "sts-policy-mode-invalid", 6);
    parse_fail("mode: enforced\n", "sts-policy-mode-invalid", 13);
    parse_fail("mode: test\n", "sts-policy-mode-invalid", 10);
    parse_fail("mode: \n", "sts-policy-mode-invalid", 6);
    tlsrpt_sts_policy *p = parse_clean("version: STSv1\nmode: testing\nmax_age: 1\nmx: a.example\n");
    ck_assert_int_eq(tlsrpt_sts_policy_mode(p), TLSRPT_STS_MODE_TESTING);
    ck_assert_str_eq(tlsrpt_sts_policy_string(p, 1), "mode: testing");
    tlsrpt_sts_policy_free(p);
}
END_TEST

START_TEST(max_age_values)
{
    tlsrpt_sts_policy *p = parse_clean("version: STSv1\nmode: none\nmax_age: 31557600\n");
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(p), TLSRPT_MAX_STS_MAX_AGE);
    tlsrpt_sts_policy_free(p);
    parse_fail_n(TEXT("version: STSv1\nmode: none\nmax_age: 31557601\n"), TLSRPT_ESEMANTIC,
                 "sts-policy-max-age-too-large", 35);
    parse_fail_n(TEXT("version: STSv1\nmode: none\nmax_age: 9999999999\n"), TLSRPT_ESEMANTIC,
                 "sts-policy-max-age-too-large", 35);
    /* 1*10 DIGIT: leading zeros are digits too; the canonical line drops them */
    p = parse_clean("version: STSv1\nmode: none\nmax_age: 0000086400\n");
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(p), 86400);
    ck_assert_str_eq(tlsrpt_sts_policy_string(p, 2), "max_age: 86400");
    tlsrpt_sts_policy_free(p);
    parse_fail("max_age: 00000864000\n", "sts-policy-max-age-invalid", 19);
    parse_fail("max_age: -1\n", "sts-policy-max-age-invalid", 9);
    parse_fail("max_age: +1\n", "sts-policy-max-age-invalid", 9);
    parse_fail("max_age: 12a\n", "sts-policy-max-age-invalid", 11);
    parse_fail("max_age: 1 2\n", "sts-policy-max-age-invalid", 10);
    parse_fail("max_age:\n", "sts-policy-max-age-invalid", 8);
}
END_TEST

START_TEST(mx_patterns)
{
    tlsrpt_sts_policy *p = parse_clean(HEAD "mx: *.example.net\nmx: MX2.Example.COM\nmx: xn--mnchen-3ya.de\n"
                                            "mx: *.xn--55qx5d.cn\nmx: a\nmx: 1-2.x9\n");
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 7);
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 2), "MX2.Example.COM"); /* as written */
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 5), "a");
    tlsrpt_sts_policy_free(p);
    line_fail("mx: ", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    line_fail("mx: *", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    line_fail("mx: *.", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 6);
    line_fail("mx: *example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    line_fail("mx: a*.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 5);
    line_fail("mx: *.*.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 6);
    line_fail("mx: mail.*.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 9);
    line_fail("mx: mail.example.com.", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 21);
    line_fail("mx: .example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    line_fail("mx: a..example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 6);
    line_fail("mx: -a.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    line_fail("mx: a-.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 5);
    line_fail("mx: a_b.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 5);
    line_fail("mx: mail.example.com x", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 20);
    line_fail("mx: [192.0.2.1]", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    /* U-labels are refused with a hint at A-labels; xn-- labels must be valid IDNA2008 */
    line_fail("mx: mail.m\xc3\xbcnchen.de", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 10);
    line_fail("mx: xn--a.example.com", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    line_fail("mx: *.XN--ZZ.de", TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4);
    /* 63-octet labels, 253 octets in all */
    char label[64], line[300];
    memset(label, 'a', 63);
    label[63] = '\0';
    snprintf(line, sizeof line, "mx: %s.example", label);
    char text[600];
    snprintf(text, sizeof text, HEAD "%s\n", line);
    tlsrpt_sts_policy_free(parse_clean(text));
    snprintf(line, sizeof line, "mx: %sa.example", label);
    line_fail(line, TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4 + 63);
    /* 4 labels of 63 and one of 1: 4*64 + 1 = 257 > 253; 3*64 + 61 = 253 fits */
    snprintf(line, sizeof line, "mx: %s.%s.%s.%.61s", label, label, label, label);
    snprintf(text, sizeof text, HEAD "%s\n", line);
    tlsrpt_sts_policy_free(parse_clean(text));
    snprintf(line, sizeof line, "mx: %s.%s.%s.%.62s", label, label, label, label);
    line_fail(line, TLSRPT_ESYNTAX, "sts-policy-mx-invalid", 4 + 253);
}
END_TEST

START_TEST(extensions)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_policy *p =
        parse_ok(HEAD "contact: postmaster@example.com \t\nnote.1_x-y: caf\xc3\xa9  au lait\nZ: !\n", d);
    ck_assert_uint_eq(tlsrpt_sts_policy_extension_count(p), 3);
    ck_assert_str_eq(tlsrpt_sts_policy_extension_name(p, 0), "contact");
    ck_assert_str_eq(tlsrpt_sts_policy_extension_value(p, 0), "postmaster@example.com");
    ck_assert_str_eq(tlsrpt_sts_policy_extension_name(p, 1), "note.1_x-y");
    ck_assert_str_eq(tlsrpt_sts_policy_extension_value(p, 1), "caf\xc3\xa9  au lait");
    ck_assert_ptr_null(tlsrpt_sts_policy_extension_name(p, 3));
    ck_assert_ptr_null(tlsrpt_sts_policy_extension_value(p, 3));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "sts-policy-extension-unknown");
    ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_INFO);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), strlen(HEAD));
    const char *want[] = {"version: STSv1", "mode: testing", "mx: mx.example.com", "max_age: 86400",
                          "contact: postmaster@example.com", "note.1_x-y: caf\xc3\xa9  au lait", "Z: !"};
    assert_strings(p, 7, want);
    assert_round_trip(p);
    tlsrpt_sts_policy_free(p);
    tlsrpt_diag_free(d);
    line_fail("x:", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 2);
    line_fail("x: a\tb", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 4);
    line_fail("x: a\x01", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 4);
    line_fail("x: a\x7f", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 4);
    line_fail("x: a\xc3", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 4);
    line_fail("x: \xed\xa0\x80", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 3);
    line_fail("x: \xff", TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", 3);
    line_fail("-x: 1", TLSRPT_ESYNTAX, "sts-policy-key-invalid", 0);
    line_fail("x y: 1", TLSRPT_ESYNTAX, "sts-policy-colon-expected", 1);
    line_fail("a234567890123456789012345678901bc: 1", TLSRPT_ESYNTAX, "sts-policy-key-too-long", 32);
    char line[256];
    snprintf(line, sizeof line, HEAD "%s: 1\n", "a234567890123456789012345678901b");
    tlsrpt_sts_policy_free(parse_ok(line, NULL));
}
END_TEST

/* ---- limits --------------------------------------------------------------------------------------------------- */

START_TEST(size_limit)
{
    size_t n = TLSRPT_MAX_STS_POLICY_SIZE + 1;
    char *text = malloc(n);
    size_t head = strlen(HEAD "x: ");
    memcpy(text, HEAD "x: ", head);
    memset(text + head, 'a', n - head);
    /* The canonical file ends the five lines with CRLF (six bytes more than this input): the longest such input
     * that parses is six bytes under the limit, so that its file is read back. */
    tlsrpt_sts_policy *p = parse_ok_n(text, TLSRPT_MAX_STS_POLICY_SIZE - 6, NULL);
    ck_assert_uint_eq(strlen(tlsrpt_sts_policy_extension_value(p, 0)), TLSRPT_MAX_STS_POLICY_SIZE - 6 - head);
    tlsrpt_sts_policy_free(p);
    parse_fail_n(text, TLSRPT_MAX_STS_POLICY_SIZE - 5, TLSRPT_ELIMIT, "sts-policy-too-large", TLSRPT_NO_OFFSET);
    parse_fail_n(text, n, TLSRPT_ELIMIT, "sts-policy-too-large", TLSRPT_MAX_STS_POLICY_SIZE);
    free(text);
}
END_TEST

START_TEST(mx_count_limit)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "version: STSv1\nmode: enforce\nmax_age: 86400\n");
    for (unsigned i = 0; i < TLSRPT_MAX_STS_MX_COUNT; i++)
        trpt_buf_printf(&b, "mx: mx%u.example.com\n", i);
    tlsrpt_sts_policy *p = parse_ok_n(b.data, b.len, NULL);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), TLSRPT_MAX_STS_MX_COUNT);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, "more.example.com"), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), TLSRPT_MAX_STS_MX_COUNT);
    tlsrpt_sts_policy_free(p);
    size_t at = b.len;
    trpt_buf_puts(&b, "mx: one.more.example\n");
    parse_fail_n(b.data, b.len, TLSRPT_ELIMIT, "sts-policy-too-many-mx", at);
    trpt_buf_free(&b);
}
END_TEST

START_TEST(extension_count_limit)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD);
    for (unsigned i = 0; i < TLSRPT_MAX_STS_EXTENSION_COUNT; i++)
        trpt_buf_printf(&b, "e%u: v\n", i);
    tlsrpt_sts_policy *p = parse_ok_n(b.data, b.len, NULL);
    ck_assert_uint_eq(tlsrpt_sts_policy_extension_count(p), TLSRPT_MAX_STS_EXTENSION_COUNT);
    /* the largest policy still fits a report's policy-string */
    ck_assert_uint_le(3 + TLSRPT_MAX_STS_MX_COUNT + TLSRPT_MAX_STS_EXTENSION_COUNT, TLSRPT_MAX_POLICY_STRINGS);
    ck_assert_uint_le(TLSRPT_MAX_STS_MX_COUNT, TLSRPT_MAX_MX_HOSTS);
    tlsrpt_sts_policy_free(p);
    size_t at = b.len;
    trpt_buf_puts(&b, "one: more\n");
    parse_fail_n(b.data, b.len, TLSRPT_ELIMIT, "sts-policy-too-many-extensions", at);
    trpt_buf_free(&b);
}
END_TEST

/* ---- building ------------------------------------------------------------------------------------------------- */

START_TEST(builder)
{
    tlsrpt_sts_policy *p = (tlsrpt_sts_policy *)&p;
    ck_assert_int_eq(tlsrpt_sts_policy_new(NULL, TLSRPT_STS_MODE_ENFORCE, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_new(&p, 3, 1), TLSRPT_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(tlsrpt_sts_policy_new(&p, -1, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_new(&p, TLSRPT_STS_MODE_ENFORCE, TLSRPT_MAX_STS_MAX_AGE + 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_new(&p, TLSRPT_STS_MODE_ENFORCE, TLSRPT_MAX_STS_MAX_AGE), TLSRPT_OK);
    char *s = (char *)&s;
    ck_assert_int_eq(tlsrpt_sts_policy_serialize(p, &s, NULL), TLSRPT_ESEMANTIC); /* no mx yet */
    ck_assert_ptr_null(s);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, "MX1.Example.COM."), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, "*.Example.net"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, "*.m\xc3\xbcnchen.de"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, "mail.m\xc3\xbcnchen.de"), TLSRPT_OK);
    const char *bad[] = {NULL, "", "*", "*.", "**.example.com", "a.*.example.com", "*.*.example.com", "-a.example",
                         "a b.example", "[192.0.2.1]", "xn--a.example.com", "."};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(tlsrpt_sts_policy_add_mx(p, bad[i]) == TLSRPT_EINVAL, "%s", bad[i] ? bad[i] : "NULL");
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(NULL, "a.example"), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 4);
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 0), "mx1.example.com");
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 1), "*.example.net");
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 2), "*.xn--mnchen-3ya.de");
    ck_assert_str_eq(tlsrpt_sts_policy_mx(p, 3), "mail.xn--mnchen-3ya.de");
    s = serialize(p);
    ck_assert_str_eq(s, "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.example.net\r\n"
                        "mx: *.xn--mnchen-3ya.de\r\nmx: mail.xn--mnchen-3ya.de\r\nmax_age: 31557600\r\n");
    tlsrpt_free(s);
    assert_round_trip(p);
    tlsrpt_sts_policy_free(p);
    /* a 253-octet wildcard pattern fits; the base of a longer one would */
    char name[300];
    memset(name, 'a', 251); /* 63+1+63+1+63+1+59 = 251 */
    name[63] = name[127] = name[191] = '.';
    name[251] = '\0';
    ck_assert_uint_eq(strlen(name), 251);
    ck_assert_int_eq(tlsrpt_sts_policy_new(&p, TLSRPT_STS_MODE_TESTING, 0), TLSRPT_OK);
    char pat[300];
    snprintf(pat, sizeof pat, "*.%s", name);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, pat), TLSRPT_OK);
    snprintf(pat, sizeof pat, "*.b%s", name);
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(p, pat), TLSRPT_EINVAL);
    assert_round_trip(p);
    tlsrpt_sts_policy_free(p);
    /* mode none needs no mx */
    ck_assert_int_eq(tlsrpt_sts_policy_new(&p, TLSRPT_STS_MODE_NONE, 86400), TLSRPT_OK);
    s = serialize(p);
    ck_assert_str_eq(s, "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
    tlsrpt_free(s);
    tlsrpt_sts_policy_free(p);
}
END_TEST

START_TEST(null_arguments)
{
    ck_assert_int_eq(tlsrpt_sts_policy_parse(NULL, TEXT(RFC_POLICY), NULL), TLSRPT_EINVAL);
    tlsrpt_sts_policy *p = (tlsrpt_sts_policy *)&p;
    ck_assert_int_eq(tlsrpt_sts_policy_parse(&p, NULL, 3, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(tlsrpt_sts_policy_mode(NULL), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(NULL), 0);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_sts_policy_mx(NULL, 0));
    ck_assert_uint_eq(tlsrpt_sts_policy_extension_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_sts_policy_extension_name(NULL, 0));
    ck_assert_ptr_null(tlsrpt_sts_policy_extension_value(NULL, 0));
    ck_assert_uint_eq(tlsrpt_sts_policy_string_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_sts_policy_string(NULL, 0));
    char *s = (char *)&s;
    size_t len = 5;
    ck_assert_int_eq(tlsrpt_sts_policy_serialize(NULL, &s, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(NULL, "a.example"), TLSRPT_EINVAL);
    tlsrpt_sts_policy_free(NULL);
}
END_TEST

/* ---- matching (RFC 8461 §4.1) --------------------------------------------------------------------------------- */

START_TEST(matching)
{
    tlsrpt_sts_policy *p = parse_clean(HEAD "mx: *.example.com\nmx: *.xn--mnchen-3ya.de\nmx: MX.Other.example\n");
    /* the RFC's own examples */
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.example.com"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "example.com"), 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "foo.bar.example.com"), 0);
    /* case, trailing dot, U-labels */
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "MAIL.Example.COM."), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mx.example.com"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "MX.EXAMPLE.COM"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mx.other.example"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "a.mx.other.example"), 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.m\xc3\xbcnchen.de"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.MXN--MNCHEN-3YA.de"), 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.XN--MNCHEN-3YA.de"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "m\xc3\xbcnchen.de"), 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.example.com.evil"), 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mailexample.com"), 0);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mx.example.com"), 1);
    /* not host names */
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, ""), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "."), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "*.example.com"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "a b.example.com"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, NULL), TLSRPT_EINVAL);
    tlsrpt_sts_policy_free(p);
    /* mode none with no mx covers nothing */
    p = parse_clean("version: STSv1\nmode: none\nmax_age: 0\n");
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.example.com"), 0);
    tlsrpt_sts_policy_free(p);
}
END_TEST

/* ---- lint ----------------------------------------------------------------------------------------------------- */

static tlsrpt_diag *lint(const char *text, unsigned int flags, const char *const *hosts, size_t n)
{
    tlsrpt_sts_policy *p = parse_ok(text, NULL);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, flags, hosts, n, d), TLSRPT_OK);
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        ck_assert_int_ne(tlsrpt_diag_severity(d, i), TLSRPT_SEVERITY_ERROR);
        ck_assert_uint_eq(tlsrpt_diag_offset(d, i), TLSRPT_NO_OFFSET);
    }
    tlsrpt_sts_policy_free(p);
    return d;
}

START_TEST(lint_findings)
{
    tlsrpt_diag *d = lint(RFC_POLICY, 0, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    d = lint("version: STSv1\nmode: enforce\nmax_age: 86399\nmx: a.example\n", TLSRPT_STS_LINT_NO_TLSRPT, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_diag(d, "lint-sts-enforce-short-max-age", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_diag(d, "lint-sts-enforce-no-tlsrpt", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
    d = lint("version: STSv1\nmode: enforce\nmax_age: 86400\nmx: a.example\n", 0, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    d = lint("version: STSv1\nmode: testing\nmax_age: 60\nmx: a.example\n", TLSRPT_STS_LINT_NO_TLSRPT, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "lint-sts-testing-no-tlsrpt", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
    d = lint("version: STSv1\nmode: testing\nmax_age: 60\nmx: a.example\n", 0, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    d = lint("version: STSv1\nmode: none\nmax_age: 0\n", TLSRPT_STS_LINT_NO_TLSRPT, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "lint-sts-mode-none", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
    d = lint(HEAD "mx: MX.example.com\nmx: *.example.com\nmx: 192.0.2.1\nmx: *.example.net\n", 0, NULL, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_diag(d, "lint-sts-mx-redundant", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_diag(d, "lint-sts-mx-duplicate", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_diag(d, "lint-sts-mx-numeric", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 1), "\"MX.example.com\""));
    tlsrpt_diag_free(d);
    /* against the domain's real MX hosts */
    const char *hosts[] = {"mx.example.com.", "backup.example.org", "M\xc3\x9c.example.net"};
    d = lint(HEAD "mx: *.example.net\nmx: unused.example.com\n", 0, hosts, 3);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_diag(d, "lint-sts-mx-unused", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "\"unused.example.com\""));
    ck_assert_diag(d, "lint-sts-mx-uncovered", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 1), "\"backup.example.org\""));
    tlsrpt_diag_free(d);
    /* mode none enforces nothing: an uncovered MX host is not worth a warning */
    d = lint("version: STSv1\nmode: none\nmax_age: 86400\nmx: *.example.net\n", 0, hosts, 3);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "lint-sts-mode-none", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_arguments)
{
    tlsrpt_sts_policy *p = parse_ok(RFC_POLICY, NULL);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    const char *bad_hosts[] = {"mx.example.com", "not a host"};
    const char *null_host[] = {NULL};
    ck_assert_int_eq(tlsrpt_sts_policy_lint(NULL, 0, NULL, 0, d), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, 0, NULL, 0, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, 2, NULL, 0, d), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, 0, NULL, 1, d), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, 0, bad_hosts, 2, d), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, 0, null_host, 1, d), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    /* known to have no MX host at all: every pattern is unused */
    ck_assert_int_eq(tlsrpt_sts_policy_lint(p, 0, bad_hosts, 0, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    tlsrpt_diag_free(d);
    tlsrpt_sts_policy_free(p);
}
END_TEST

/* ---- into a report -------------------------------------------------------------------------------------------- */

START_TEST(report_policy)
{
    tlsrpt_report *r = NULL;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Example", "tlsrpt@example.net", "id-1", 1704067200, 1704153599),
                     TLSRPT_OK);
    /* the same policy fetched by two processes, once as LF and once as CRLF in another order */
    tlsrpt_sts_policy *a = parse_ok(RFC_POLICY, NULL);
    tlsrpt_sts_policy *b = parse_ok("max_age: 604800\r\nversion: STSv1\r\nmx: mail.example.com\r\nmode: enforce\r\n"
                                    "mx: *.example.net\r\nmx: backupmx.example.com",
                                    NULL);
    tlsrpt_policy *pa = NULL, *pb = (tlsrpt_policy *)&pb;
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, "Example.COM", a, &pa), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, "example.com.", b, &pb), TLSRPT_OK);
    ck_assert_ptr_eq(pa, pb);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);
    ck_assert_int_eq(tlsrpt_policy_type(pa), TLSRPT_POLICY_STS);
    ck_assert_str_eq(tlsrpt_policy_domain(pa), "example.com");
    ck_assert_uint_eq(tlsrpt_policy_string_count(pa), 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(tlsrpt_policy_string(pa, i), tlsrpt_sts_policy_string(a, i));
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(pa), 3);
    ck_assert_str_eq(tlsrpt_policy_mx_host(pa, 1), "*.example.net");
    ck_assert_int_eq(tlsrpt_policy_add_successes(pa, 5), TLSRPT_OK);
    /* another policy domain or mode is another entry */
    tlsrpt_sts_policy *c = parse_ok("version: STSv1\nmode: none\nmax_age: 0\n", NULL);
    tlsrpt_policy *pc = NULL;
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, "example.com", c, &pc), TLSRPT_OK);
    ck_assert_ptr_ne(pc, pa);
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(pc), 0);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 2);
    /* the written report reads back with the same strings */
    char *json = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_report_serialize(r, 0, &json, &len), TLSRPT_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"policy-string\":[\"version: STSv1\",\"mode: enforce\","
                                       "\"mx: mail.example.com\",\"mx: *.example.net\",\"mx: backupmx.example.com\","
                                       "\"max_age: 604800\"]"));
    tlsrpt_free(json);
    /* arguments; the report is unchanged */
    tlsrpt_policy *px = (tlsrpt_policy *)&px;
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, "not a domain", a, &px), TLSRPT_EINVAL);
    ck_assert_ptr_null(px);
    px = (tlsrpt_policy *)&px;
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, "example.com", NULL, &px), TLSRPT_EINVAL);
    ck_assert_ptr_null(px);
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(NULL, "example.com", a, &px), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, NULL, a, &px), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_sts_policy(r, "example.com", a, NULL), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 2);
    tlsrpt_sts_policy_free(a);
    tlsrpt_sts_policy_free(b);
    tlsrpt_sts_policy_free(c);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- every allocation failed in turn ---------------------------------------------------------------------------- */

/* Runs op with its k-th allocation failing, for k = 0, 1, ... until op makes fewer than k + 1 allocations; op returns
 * the status of the call under test and has checked what a failure must leave behind, and the whole result on
 * success. A failed allocation may still give TLSRPT_OK where the library can do without it (the quoted text in a
 * message becomes ""), but never anything other than TLSRPT_OK or TLSRPT_ENOMEM. */
static void fail_each_allocation(const char *what, int (*op)(long k))
{
    long k = 0, enomem = 0;
    for (;; k++) {
        int rc = op(k);
        if (alloc_count <= k) {
            ck_assert_msg(rc == TLSRPT_OK, "%s: rc %d with no allocation failed", what, rc);
            break;
        }
        ck_assert_msg(rc == TLSRPT_ENOMEM || rc == TLSRPT_OK, "%s: allocation %ld failed, rc %d", what, k, rc);
        enomem += rc == TLSRPT_ENOMEM;
    }
    ck_assert_msg(enomem > 0, "%s: no allocation failure was reported", what);
}

#define NOISY_RECORD "v=STSv1 ; x=1; id=abc; ID=2; id=3 "
#define NOISY_POLICY "version: STSv1\r\n\nmode: testing\nmx: *.example.com\nMX: a\nfoo: b\nmax_age: 86400\n"

static int op_record_parse(long k)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_record *r = (tlsrpt_sts_record *)d;
    arm(k);
    int rc = tlsrpt_sts_record_parse(&r, TEXT(NOISY_RECORD), d);
    disarm();
    if (rc != TLSRPT_OK) {
        ck_assert_ptr_null(r);
    } else {
        ck_assert_str_eq(tlsrpt_sts_record_id(r), "abc");
        ck_assert_uint_eq(tlsrpt_sts_record_extension_count(r), 3);
        ck_assert_str_eq(tlsrpt_sts_record_extension_value(r, 2), "3");
        ck_assert_uint_eq(tlsrpt_diag_count(d), 5); /* space, x, ID, id, trailing */
    }
    tlsrpt_sts_record_free(r);
    tlsrpt_diag_free(d);
    return rc;
}

static int op_record_build(long k)
{
    tlsrpt_sts_record *r = NULL;
    char *s = (char *)&s;
    arm(k);
    int rc = tlsrpt_sts_record_new(&r, "abc");
    if (rc == TLSRPT_OK && (rc = tlsrpt_sts_record_add_extension(r, "x", "1")) != TLSRPT_OK)
        ck_assert_uint_eq(tlsrpt_sts_record_extension_count(r), 0);
    if (rc == TLSRPT_OK && (rc = tlsrpt_sts_record_serialize(r, &s, NULL)) != TLSRPT_OK)
        ck_assert_ptr_null(s);
    disarm();
    if (rc == TLSRPT_OK)
        ck_assert_str_eq(s, "v=STSv1; id=abc; x=1;");
    else if (!r)
        ck_assert_int_eq(rc, TLSRPT_ENOMEM);
    if (rc == TLSRPT_OK)
        tlsrpt_free(s);
    tlsrpt_sts_record_free(r);
    return rc;
}

static int op_policy_parse(long k)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_policy *p = (tlsrpt_sts_policy *)d;
    arm(k);
    int rc = tlsrpt_sts_policy_parse(&p, TEXT(NOISY_POLICY), d);
    disarm();
    if (rc != TLSRPT_OK) {
        ck_assert_ptr_null(p);
    } else {
        ck_assert_uint_eq(tlsrpt_sts_policy_string_count(p), 6);
        ck_assert_str_eq(tlsrpt_sts_policy_string(p, 2), "mx: *.example.com");
        ck_assert_str_eq(tlsrpt_sts_policy_string(p, 5), "foo: b");
        ck_assert_uint_eq(tlsrpt_diag_count(d), 3); /* empty line, MX, foo */
    }
    tlsrpt_sts_policy_free(p);
    tlsrpt_diag_free(d);
    return rc;
}

static int op_policy_build(long k)
{
    tlsrpt_sts_policy *p = NULL;
    char *s = (char *)&s;
    arm(k);
    int rc = tlsrpt_sts_policy_new(&p, TLSRPT_STS_MODE_ENFORCE, 86400);
    if (rc == TLSRPT_OK && (rc = tlsrpt_sts_policy_add_mx(p, "mx.example.com")) != TLSRPT_OK)
        ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 0);
    if (rc == TLSRPT_OK && (rc = tlsrpt_sts_policy_add_mx(p, "*.M\xc3\x9cnchen.de")) != TLSRPT_OK)
        ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 1);
    if (rc == TLSRPT_OK && (rc = tlsrpt_sts_policy_serialize(p, &s, NULL)) != TLSRPT_OK)
        ck_assert_ptr_null(s);
    disarm();
    if (rc == TLSRPT_OK) {
        ck_assert_str_eq(s, "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmx: *.xn--mnchen-3ya.de\r\n"
                            "max_age: 86400\r\n");
        tlsrpt_free(s);
    }
    tlsrpt_sts_policy_free(p);
    return rc;
}

static int op_policy_use(long k)
{
    tlsrpt_sts_policy *p = parse_ok(HEAD "mx: mx.example.com\nmx: 10.1\n", NULL);
    tlsrpt_report *r = NULL;
    tlsrpt_report_new(&r, "Example", NULL, "id", 0, 86399);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    const char *hosts[] = {"mx.example.com", "other.example"};
    tlsrpt_policy *entry = (tlsrpt_policy *)&entry;
    arm(k);
    int rc = tlsrpt_sts_policy_matches(p, "MX.example.com.");
    if (rc == 1)
        rc = tlsrpt_sts_policy_lint(p, TLSRPT_STS_LINT_NO_TLSRPT, hosts, 2, d);
    if (rc == TLSRPT_OK && (rc = tlsrpt_report_add_sts_policy(r, "example.com", p, &entry)) != TLSRPT_OK) {
        ck_assert_ptr_null(entry);
        ck_assert_uint_eq(tlsrpt_report_policy_count(r), 0);
    }
    disarm();
    if (rc == TLSRPT_OK) /* duplicate, numeric, uncovered, unused, testing without TLSRPT */
        ck_assert_uint_eq(tlsrpt_diag_count(d), 5);
    tlsrpt_diag_free(d);
    tlsrpt_report_free(r);
    tlsrpt_sts_policy_free(p);
    return rc;
}

/* ---- hostile input: bounded memory, work in proportion to the input ------------------------------------------- */

/* The promise (doc/limits.md): a policy or record parse holds at most 2 x the input + 512 KiB of heap at once, the
 * diag list included (its warnings and notes stop at 256 KiB of text and 1000 entries), and makes a bounded number
 * of allocations per line or field it keeps (one to store it; a few short-lived ones for an mx line with an xn--
 * label) plus the diag list's own, whatever the input chooses. Measured (STS_HEAP_PRINT=1): peaks of 17-225 KiB
 * for 64 KiB inputs, the largest for the empty-line flood (the full diag list). */
static void metered_policy(const char *what, const char *text, size_t len, int want_rc, size_t lines)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_sts_policy *p = NULL;
    meter_start();
    tlsrpt_diag_new(&d);
    int rc = tlsrpt_sts_policy_parse(&p, text, len, d);
    tlsrpt_sts_policy_free(p);
    tlsrpt_diag_free(d);
    long long heap_peak = (long long)meter_stop(), heap_allocs = (long long)meter_allocs;
    ck_assert_msg(rc == want_rc, "%s: rc %d", what, rc);
    if (getenv("STS_HEAP_PRINT"))
        fprintf(stderr, "%s: %zu bytes, %zu lines: peak %lld, %lld allocations\n", what, len, lines, heap_peak,
                heap_allocs);
    long long bound = 2 * (long long)len + 512 * 1024;
    ck_assert_msg(heap_peak <= bound, "%s: peak heap %lld for %zu bytes, over 2x + 512 KiB", what, heap_peak, len);
    /* stored lines: at most one allocation each (and the arrays' doublings); findings: the list's own */
    size_t stored = lines < TLSRPT_MAX_STS_MX_COUNT + TLSRPT_MAX_STS_EXTENSION_COUNT + 4
                        ? lines
                        : TLSRPT_MAX_STS_MX_COUNT + TLSRPT_MAX_STS_EXTENSION_COUNT + 4;
    ck_assert_msg(heap_allocs <= (long long)(2 * stored + 4100), "%s: %lld allocations for %zu lines", what,
                  heap_allocs, lines);
    ck_assert_uint_eq(meter_now, 0); /* everything freed */
}

static char *repeat_lines(const char *head, const char *line, size_t max, size_t *len, size_t *lines)
{
    char *t = malloc(max + 1);
    size_t n = strlen(head), l = strlen(line);
    memcpy(t, head, n);
    *lines = 4;
    while (n + l <= max) {
        memcpy(t + n, line, l);
        n += l;
        ++*lines;
    }
    t[n] = '\0';
    *len = n;
    return t;
}

START_TEST(hostile_policies_bounded)
{
    size_t len, lines, max = TLSRPT_MAX_STS_POLICY_SIZE;
    /* a flood of empty lines: 32768 warnings, of which the list keeps 1000 and builds nothing for the rest */
    char *t = repeat_lines(HEAD, "\n", max, &len, &lines);
    metered_policy("empty lines", t, len, TLSRPT_OK, lines);
    free(t);
    t = repeat_lines(HEAD, "\r\n", max, &len, &lines);
    metered_policy("empty CRLF lines", t, len, TLSRPT_OK, lines);
    free(t);
    /* the most mx lines, each as long as a name may be (IDNA on every one), then the limit */
    /* 124 bytes a line, so that 500 of them fit the 64 KiB */
    char a63[64], b30[31], line[300];
    memset(a63, 'a', 63);
    a63[63] = '\0';
    memset(b30, 'b', 30);
    b30[30] = '\0';
    snprintf(line, sizeof line, "mx: *.xn--mnchen-3ya.%s.%s.example\n", a63, b30);
    size_t one = strlen(line);
    const char *head = "version: STSv1\nmode: enforce\nmax_age: 1\n";
    t = repeat_lines(head, line, strlen(head) + one * TLSRPT_MAX_STS_MX_COUNT, &len, &lines);
    ck_assert_uint_eq(lines, 4 + TLSRPT_MAX_STS_MX_COUNT);
    metered_policy("500 long mx lines", t, len, TLSRPT_OK, lines);
    free(t);
    t = repeat_lines("version: STSv1\nmode: enforce\nmax_age: 1\n", "mx: a\n", max, &len, &lines);
    metered_policy("mx flood", t, len, TLSRPT_ELIMIT, lines);
    free(t);
    /* the most unknown keys with values that fill the input, each one an INFO */
    char ext[400];
    memcpy(ext, "k: ", 3);
    memset(ext + 3, 'a', 380);
    strcpy(ext + 383, "\n");
    t = repeat_lines(HEAD, ext, max, &len, &lines);
    ck_assert_uint_gt(lines, TLSRPT_MAX_STS_EXTENSION_COUNT + 4); /* over the limit: ELIMIT at the 129th */
    metered_policy("extension flood", t, len, TLSRPT_ELIMIT, lines);
    free(t);
    t = repeat_lines(HEAD, "k: v\n", 4 + strlen(HEAD) + 5 * TLSRPT_MAX_STS_EXTENSION_COUNT, &len, &lines);
    metered_policy("128 extensions", t, len, TLSRPT_OK, lines);
    free(t);
    /* one line as long as the input may be; ASCII and UTF-8 alternating (each run once, not the rest of the value
     * again: an earlier version was quadratic here) */
    t = repeat_lines(HEAD "k: ", "\xc3\xa9", max - 6, &len, &lines); /* its CRLF file fits */
    metered_policy("one long UTF-8 value", t, len, TLSRPT_OK, 5);
    free(t);
    t = repeat_lines(HEAD "k: ", "\xc3\xa9" "a", max - 6, &len, &lines);
    metered_policy("alternating UTF-8 value", t, len, TLSRPT_OK, 5);
    t[len - 1] = '\x01';
    metered_policy("alternating UTF-8 value, control byte at the end", t, len, TLSRPT_ESYNTAX, 5);
    t[len - 1] = '\xc3';
    metered_policy("alternating UTF-8 value, truncated at the end", t, len, TLSRPT_ESYNTAX, 5);
    free(t);
}
END_TEST

START_TEST(hostile_records_bounded)
{
    size_t max = TLSRPT_MAX_RECORD_LENGTH;
    char *t = malloc(max + 1);
    size_t n = 0;
    n += (size_t)sprintf(t, "v=STSv1 ; id=1");
    unsigned fields = 0;
    while (n + 8 <= max && fields < TLSRPT_MAX_EXTENSION_COUNT) {
        n += (size_t)sprintf(t + n, "; e%03u=", fields++);
        t[n++] = 'v';
    }
    memset(t + n, ' ', max - n); /* trailing whitespace up to the limit: one more warning */
    tlsrpt_diag *d = NULL;
    tlsrpt_sts_record *r = NULL;
    meter_start();
    tlsrpt_diag_new(&d);
    int rc = tlsrpt_sts_record_parse(&r, t, max, d);
    tlsrpt_sts_record_free(r);
    tlsrpt_diag_free(d);
    long long heap_peak = (long long)meter_stop(), heap_allocs = (long long)meter_allocs;
    ck_assert_int_eq(rc, TLSRPT_OK);
    ck_assert_msg(heap_peak <= 2 * (long long)max + 512 * 1024, "peak heap %lld", heap_peak);
    ck_assert_msg(heap_allocs <= 2 * (long long)fields + 4100, "%lld allocations", heap_allocs);
    if (getenv("STS_HEAP_PRINT"))
        fprintf(stderr, "record: %zu bytes, %u fields: peak %lld, %lld allocations\n", max, fields, heap_peak,
                heap_allocs);
    ck_assert_uint_eq(meter_now, 0);
    free(t);
}
END_TEST

START_TEST(out_of_memory)
{
    fail_each_allocation("tlsrpt_sts_record_parse", op_record_parse);
    fail_each_allocation("record builder", op_record_build);
    fail_each_allocation("tlsrpt_sts_policy_parse", op_policy_parse);
    fail_each_allocation("policy builder", op_policy_build);
    fail_each_allocation("matches, lint, add_sts_policy", op_policy_use);
}
END_TEST

START_TEST(canonical_file_within_the_limit)
{
    /* The canonical file ends each line with CRLF: an LF policy near TLSRPT_MAX_STS_POLICY_SIZE grows by one byte a
     * line. The parser refuses a policy whose file would not fit (it could not be read back), and so does the
     * builder; the file of every policy either makes is read back. */
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "version: STSv1\nmode: enforce\nmax_age: 86400\n");
    size_t lines = 3;
    while (b.len + lines < TLSRPT_MAX_STS_POLICY_SIZE - 300) { /* + lines: the CR of each line in the file */
        trpt_buf_printf(&b, "mx: m%zu.%s.%s.example.com\n", lines,
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                        "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        lines++;
    }
    /* Pad with one extension line so that the file with CRLF is exactly the limit. */
    ck_assert_uint_le(lines, TLSRPT_MAX_STS_MX_COUNT + 3);
    size_t crlf = b.len + lines; /* the file with CRLF, before the pad line */
    size_t pad = TLSRPT_MAX_STS_POLICY_SIZE - crlf - strlen("x: \r\n");
    trpt_buf_puts(&b, "x: ");
    for (size_t i = 0; i < pad; i++)
        trpt_buf_putc(&b, 'p');
    trpt_buf_putc(&b, '\n');
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(trpt_buf_finish(&b, &text, &len), TLSRPT_OK);
    tlsrpt_sts_policy *p = parse_ok_n(text, len, NULL);
    char *file = NULL;
    size_t file_len = 0;
    ck_assert_int_eq(tlsrpt_sts_policy_serialize(p, &file, &file_len), TLSRPT_OK);
    ck_assert_uint_eq(file_len, TLSRPT_MAX_STS_POLICY_SIZE);
    tlsrpt_sts_policy *again = parse_ok_n(file, file_len, NULL);
    /* The builder: one more mx pattern does not fit. */
    ck_assert_int_eq(tlsrpt_sts_policy_add_mx(again, "z.example.com"), TLSRPT_ELIMIT);
    tlsrpt_sts_policy_free(again);
    tlsrpt_free(file);
    tlsrpt_sts_policy_free(p);
    /* One byte more in the pad line: the LF file still fits, its CRLF file does not. */
    char *more = malloc(len + 1);
    memcpy(more, text, len - 1);
    more[len - 1] = 'p';
    more[len] = '\n';
    parse_fail_n(more, len + 1, TLSRPT_ELIMIT, "sts-policy-too-large", TLSRPT_NO_OFFSET);
    free(more);
    free(text);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("sts_policy");
    TCase *p = tcase_create("parse");
    tcase_add_test(p, rfc_example);
    tcase_add_test(p, canonical_file_within_the_limit);
    tcase_add_test(p, line_terminators_and_whitespace);
    tcase_add_test(p, empty_lines_warned);
    tcase_add_test(p, required_keys);
    tcase_add_test(p, duplicates);
    tcase_add_test(p, version_and_mode_values);
    tcase_add_test(p, max_age_values);
    tcase_add_test(p, mx_patterns);
    tcase_add_test(p, extensions);
    tcase_add_test(p, size_limit);
    tcase_add_test(p, mx_count_limit);
    tcase_add_test(p, extension_count_limit);
    suite_add_tcase(s, p);
    TCase *b = tcase_create("build");
    tcase_add_test(b, builder);
    tcase_add_test(b, null_arguments);
    suite_add_tcase(s, b);
    TCase *m = tcase_create("use");
    tcase_add_test(m, matching);
    tcase_add_test(m, lint_findings);
    tcase_add_test(m, lint_arguments);
    tcase_add_test(m, report_policy);
    tcase_add_test(m, out_of_memory);
    suite_add_tcase(s, m);
    TCase *h = tcase_create("hostile");
    tcase_add_test(h, hostile_policies_bounded);
    tcase_add_test(h, hostile_records_bounded);
    suite_add_tcase(s, h);
    return s;
}
