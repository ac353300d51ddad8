/* The _mta-sts TXT record: RFC 8461 §3.1 grammar, erratum 6285, builder, serializer, limits.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parse_helpers.h"
#include "testutil.h"

TEXT_PARSE_HELPERS(tlsrpt_sts_record, tlsrpt_sts_record_parse)

/* Parses one warning or note: succeeds with exactly this finding. */
static tlsrpt_sts_record *parse_one_finding(const char *text, const char *id, int severity, size_t offset)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_record *r = parse_ok(text, d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, id, severity, offset);
    tlsrpt_diag_free(d);
    return r;
}

static char *serialize(const tlsrpt_sts_record *r)
{
    char *s = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_sts_record_serialize(r, &s, &len), TLSRPT_OK);
    ck_assert_uint_eq(len, strlen(s));
    return s;
}

static void assert_equal(const tlsrpt_sts_record *a, const tlsrpt_sts_record *b)
{
    ck_assert_str_eq(tlsrpt_sts_record_id(a), tlsrpt_sts_record_id(b));
    ck_assert_uint_eq(tlsrpt_sts_record_extension_count(a), tlsrpt_sts_record_extension_count(b));
    for (size_t i = 0; i < tlsrpt_sts_record_extension_count(a); i++) {
        ck_assert_str_eq(tlsrpt_sts_record_extension_name(a, i), tlsrpt_sts_record_extension_name(b, i));
        ck_assert_str_eq(tlsrpt_sts_record_extension_value(a, i), tlsrpt_sts_record_extension_value(b, i));
    }
}

/* parse(serialize(r)) equals r, serializing again gives the same bytes, and the text is a candidate. */
static void assert_round_trip(const tlsrpt_sts_record *r)
{
    char *s = serialize(r);
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(s, strlen(s)), 1);
    tlsrpt_sts_record *back = parse_ok(s, NULL);
    assert_equal(r, back);
    char *s2 = serialize(back);
    ck_assert_str_eq(s, s2);
    tlsrpt_free(s);
    tlsrpt_free(s2);
    tlsrpt_sts_record_free(back);
}

/* ---- the grammar ---------------------------------------------------------------------------------------------- */

START_TEST(rfc_example)
{
    tlsrpt_sts_record *r = parse_clean("v=STSv1; id=20160831085700Z;");
    ck_assert_str_eq(tlsrpt_sts_record_id(r), "20160831085700Z");
    ck_assert_uint_eq(tlsrpt_sts_record_extension_count(r), 0);
    ck_assert_ptr_null(tlsrpt_sts_record_extension_name(r, 0));
    ck_assert_ptr_null(tlsrpt_sts_record_extension_value(r, 0));
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=STSv1; id=20160831085700Z;");
    tlsrpt_free(s);
    assert_round_trip(r);
    tlsrpt_sts_record_free(r);
}
END_TEST

START_TEST(delimiters)
{
    const char *ok[] = {"v=STSv1;id=1", "v=STSv1;id=1;", "v=STSv1;\tid=a1 ;", "v=STSv1; id=A; \t",
                        "v=STSv1;id=abc;x=y;", "v=STSv1; x=y; id=Z9"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        tlsrpt_diag *d = NULL;
        tlsrpt_diag_new(&d);
        tlsrpt_sts_record *r = parse_ok(ok[i], d);
        ck_assert_int_eq(tlsrpt_diag_count(d) > 0 && tlsrpt_diag_severity(d, 0) == TLSRPT_SEVERITY_WARNING, 0);
        tlsrpt_sts_record_free(r);
        tlsrpt_diag_free(d);
    }
    parse_fail("v=STSv1;; id=1", "sts-record-field-empty", 8);
    parse_fail("v=STSv1; id=1 x=y", "sts-record-delimiter-expected", 14);
    parse_fail("v=STSv1; id=1; ;", "sts-record-field-empty", 15);
}
END_TEST

START_TEST(erratum_6285_space_before_semicolon)
{
    tlsrpt_sts_record *r =
        parse_one_finding("v=STSv1 \t; id=x", "sts-record-space-before-semicolon", TLSRPT_SEVERITY_WARNING, 7);
    ck_assert_str_eq(tlsrpt_sts_record_id(r), "x");
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(TEXT("v=STSv1 \t; id=x")), 1);
    char *s = serialize(r); /* the canonical form has no such space */
    ck_assert_str_eq(s, "v=STSv1; id=x;");
    tlsrpt_free(s);
    tlsrpt_sts_record_free(r);
    /* Only before the first ';' is it worth a warning: elsewhere it is ordinary sts-field-delim. */
    tlsrpt_sts_record_free(parse_clean("v=STSv1; id=x ;"));
}
END_TEST

START_TEST(trailing_whitespace)
{
    tlsrpt_sts_record_free(
        parse_one_finding("v=STSv1; id=x \t", "sts-record-trailing-whitespace", TLSRPT_SEVERITY_WARNING, 13));
    /* after a final ';' it is *WSP of the delimiter */
    tlsrpt_sts_record_free(parse_clean("v=STSv1; id=x; "));
}
END_TEST

START_TEST(version_errors)
{
    parse_fail("", "sts-record-version-missing", 0);
    parse_fail("id=1; v=STSv1", "sts-record-version-missing", 0);
    parse_fail(" v=STSv1; id=1", "sts-record-version-missing", 0);
    parse_fail("V=STSv1; id=1", "sts-record-version-missing", 0);
    parse_fail("v=stsv1; id=1", "sts-record-version-invalid", 2);
    parse_fail("v=STSv2; id=1", "sts-record-version-invalid", 6);
    parse_fail("v=STSv10; id=1", "sts-record-version-invalid", 7);
    parse_fail("v=STSv1", "sts-record-id-missing", TLSRPT_NO_OFFSET);
    parse_fail("v=STSv1;", "sts-record-id-missing", TLSRPT_NO_OFFSET);
    parse_fail("v=STSv1; a=b", "sts-record-id-missing", TLSRPT_NO_OFFSET);
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(TEXT("v=STSv1;")), 1);
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(TEXT("v=STSv1")), 0);
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(TEXT("v=STSv10;")), 0);
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(TEXT("v=TLSRPTv1;")), 0);
    ck_assert_int_eq(tlsrpt_sts_record_is_candidate(NULL, 8), 0);
}
END_TEST

START_TEST(id_grammar)
{
    /* 1*32(ALPHA / DIGIT): 32 accepted, 33 refused at the 33rd character */
    char text[64];
    snprintf(text, sizeof text, "v=STSv1; id=%s", "abcdefghijABCDEFGHIJ0123456789xy");
    tlsrpt_sts_record *r = parse_clean(text);
    ck_assert_uint_eq(strlen(tlsrpt_sts_record_id(r)), 32);
    tlsrpt_sts_record_free(r);
    snprintf(text, sizeof text, "v=STSv1; id=%s", "abcdefghijABCDEFGHIJ0123456789xyz");
    parse_fail(text, "sts-record-id-too-long", 12 + 32);
    parse_fail("v=STSv1; id=", "sts-record-id-invalid", 12);
    parse_fail("v=STSv1; id=;", "sts-record-id-invalid", 12);
    parse_fail("v=STSv1; id=2016-08-31", "sts-record-id-invalid", 16);
    parse_fail("v=STSv1; id=a_b", "sts-record-id-invalid", 13);
    parse_fail("v=STSv1; id=\xc3\xa9", "sts-record-id-invalid", 12);
    parse_fail("v=STSv1; id =1", "sts-record-ext-name-invalid", 11);
}
END_TEST

START_TEST(extensions_kept_in_order)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_sts_record *r = parse_ok("v=STSv1; b.x=1; id=7; a_-9=%x!~; Z=z", d);
    ck_assert_str_eq(tlsrpt_sts_record_id(r), "7");
    ck_assert_uint_eq(tlsrpt_sts_record_extension_count(r), 3);
    ck_assert_str_eq(tlsrpt_sts_record_extension_name(r, 0), "b.x");
    ck_assert_str_eq(tlsrpt_sts_record_extension_value(r, 0), "1");
    ck_assert_str_eq(tlsrpt_sts_record_extension_name(r, 1), "a_-9");
    ck_assert_str_eq(tlsrpt_sts_record_extension_value(r, 1), "%x!~");
    ck_assert_str_eq(tlsrpt_sts_record_extension_name(r, 2), "Z");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "sts-record-extension-unknown");
    ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_INFO);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), 9);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1), 22);
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=STSv1; id=7; b.x=1; a_-9=%x!~; Z=z;");
    tlsrpt_free(s);
    assert_round_trip(r);
    tlsrpt_sts_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(extension_grammar)
{
    char text[128];
    snprintf(text, sizeof text, "v=STSv1; id=1; %s=v", "a234567890123456789012345678901b"); /* 32 */
    tlsrpt_sts_record_free(parse_ok(text, NULL));
    snprintf(text, sizeof text, "v=STSv1; id=1; %s=v", "a234567890123456789012345678901bc"); /* 33 */
    parse_fail(text, "sts-record-ext-name-too-long", 15 + 32);
    parse_fail("v=STSv1; id=1; -a=b", "sts-record-ext-name-invalid", 15);
    parse_fail("v=STSv1; id=1; _a=b", "sts-record-ext-name-invalid", 15);
    parse_fail("v=STSv1; id=1; a", "sts-record-ext-name-invalid", 16);
    parse_fail("v=STSv1; id=1; a b=c", "sts-record-ext-name-invalid", 16);
    parse_fail("v=STSv1; id=1; a=", "sts-record-ext-value-invalid", 17);
    parse_fail("v=STSv1; id=1; a=b=c", "sts-record-ext-value-invalid", 18);
    parse_fail("v=STSv1; id=1; a=b\x7f", "sts-record-ext-value-invalid", 18);
    parse_fail("v=STSv1; id=1; a=\xc3\xa9", "sts-record-ext-value-invalid", 17);
    parse_fail_n("v=STSv1; id=1\0", 14, TLSRPT_ESYNTAX, "sts-record-nul", 13);
}
END_TEST

START_TEST(repeated_and_wrong_case_fields)
{
    tlsrpt_sts_record *r =
        parse_one_finding("v=STSv1; id=1; id=2", "sts-record-id-repeated", TLSRPT_SEVERITY_WARNING, 15);
    ck_assert_str_eq(tlsrpt_sts_record_id(r), "1");
    ck_assert_str_eq(tlsrpt_sts_record_extension_name(r, 0), "id");
    ck_assert_str_eq(tlsrpt_sts_record_extension_value(r, 0), "2");
    assert_round_trip(r);
    tlsrpt_sts_record_free(r);
    r = parse_one_finding("v=STSv1; v=STSv2; id=1", "sts-record-version-repeated", TLSRPT_SEVERITY_WARNING, 9);
    ck_assert_str_eq(tlsrpt_sts_record_extension_name(r, 0), "v");
    assert_round_trip(r);
    tlsrpt_sts_record_free(r);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    r = parse_ok("v=STSv1; ID=abc; id=def", d);
    ck_assert_str_eq(tlsrpt_sts_record_id(r), "def");
    ck_assert_diag(d, "sts-record-id-wrong-case", TLSRPT_SEVERITY_WARNING, 9);
    tlsrpt_sts_record_free(r);
    tlsrpt_diag_free(d);
    /* a repeated id= with a value outside the id grammar is still a valid extension value */
    r = parse_ok("v=STSv1; id=1; id=a-b", NULL);
    ck_assert_str_eq(tlsrpt_sts_record_extension_value(r, 0), "a-b");
    tlsrpt_sts_record_free(r);
}
END_TEST

/* ---- limits --------------------------------------------------------------------------------------------------- */

START_TEST(length_limit)
{
    size_t n = TLSRPT_MAX_RECORD_LENGTH + 1;
    char *text = malloc(n);
    memcpy(text, "v=STSv1; id=1; x=", 17);
    memset(text + 17, 'a', n - 17);
    /* The canonical text adds the final ';': the longest record that parses is one byte under the limit here. */
    tlsrpt_sts_record *r = parse_ok_n(text, TLSRPT_MAX_RECORD_LENGTH - 1, NULL);
    ck_assert_uint_eq(strlen(tlsrpt_sts_record_extension_value(r, 0)), TLSRPT_MAX_RECORD_LENGTH - 18);
    tlsrpt_sts_record_free(r);
    parse_fail_n(text, TLSRPT_MAX_RECORD_LENGTH, TLSRPT_ELIMIT, "sts-record-too-long", TLSRPT_NO_OFFSET);
    parse_fail_n(text, n, TLSRPT_ELIMIT, "sts-record-too-long", TLSRPT_MAX_RECORD_LENGTH);
    free(text);
}
END_TEST

START_TEST(extension_count_limit)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "v=STSv1; id=1");
    for (unsigned i = 0; i < TLSRPT_MAX_EXTENSION_COUNT; i++)
        trpt_buf_printf(&b, "; e%u=v", i);
    tlsrpt_sts_record *r = parse_ok_n(b.data, b.len, NULL);
    ck_assert_uint_eq(tlsrpt_sts_record_extension_count(r), TLSRPT_MAX_EXTENSION_COUNT);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "more", "v"), TLSRPT_ELIMIT);
    tlsrpt_sts_record_free(r);
    size_t at = b.len + 2;
    trpt_buf_puts(&b, "; one=more");
    parse_fail_n(b.data, b.len, TLSRPT_ELIMIT, "sts-record-too-many-extensions", at);
    trpt_buf_free(&b);
}
END_TEST

/* ---- building ------------------------------------------------------------------------------------------------- */

START_TEST(builder)
{
    tlsrpt_sts_record *r = (tlsrpt_sts_record *)&r;
    ck_assert_int_eq(tlsrpt_sts_record_new(NULL, "1"), TLSRPT_EINVAL);
    const char *bad[] = {NULL, "", "a-b", "abcdefghijABCDEFGHIJ0123456789xyz", "\xc3\xa9", "a b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        r = (tlsrpt_sts_record *)&r;
        ck_assert_int_eq(tlsrpt_sts_record_new(&r, bad[i]), TLSRPT_EINVAL);
        ck_assert_ptr_null(r);
    }
    ck_assert_int_eq(tlsrpt_sts_record_new(&r, "20240101T000000Z"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_sts_record_id(r), "20240101T000000Z");
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "note", "x!y"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "v", "STSv1"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "id", "2"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "-a", "b"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "a", ""), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "a", "b;c"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "a", "b c"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, NULL, "b"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(NULL, "a", "b"), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_sts_record_extension_count(r), 1);
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=STSv1; id=20240101T000000Z; note=x!y;");
    tlsrpt_free(s);
    assert_round_trip(r);
    /* the serialized record stays within TLSRPT_MAX_RECORD_LENGTH */
    char *big = malloc(TLSRPT_MAX_RECORD_LENGTH);
    memset(big, 'a', TLSRPT_MAX_RECORD_LENGTH - 1);
    big[TLSRPT_MAX_RECORD_LENGTH - 1] = '\0';
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "big", big), TLSRPT_ELIMIT);
    /* "v=STSv1; id=20240101T000000Z; note=x!y" + "; big=" + value + ";" = 65535 exactly */
    size_t room = TLSRPT_MAX_RECORD_LENGTH - strlen("v=STSv1; id=20240101T000000Z; note=x!y; big=;");
    big[room] = '\0';
    ck_assert_int_eq(tlsrpt_sts_record_add_extension(r, "big", big), TLSRPT_OK);
    s = serialize(r);
    ck_assert_uint_eq(strlen(s), TLSRPT_MAX_RECORD_LENGTH);
    tlsrpt_free(s);
    free(big);
    tlsrpt_sts_record_free(r);
}
END_TEST

START_TEST(null_arguments)
{
    ck_assert_int_eq(tlsrpt_sts_record_parse(NULL, TEXT("v=STSv1; id=1"), NULL), TLSRPT_EINVAL);
    tlsrpt_sts_record *r = (tlsrpt_sts_record *)&r;
    ck_assert_int_eq(tlsrpt_sts_record_parse(&r, NULL, 3, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_sts_record_parse(&r, NULL, 0, NULL), TLSRPT_ESYNTAX);
    ck_assert_ptr_null(tlsrpt_sts_record_id(NULL));
    ck_assert_uint_eq(tlsrpt_sts_record_extension_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_sts_record_extension_name(NULL, 0));
    ck_assert_ptr_null(tlsrpt_sts_record_extension_value(NULL, 0));
    char *s = (char *)&s;
    size_t len = 7;
    ck_assert_int_eq(tlsrpt_sts_record_serialize(NULL, &s, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tlsrpt_sts_record_serialize(NULL, NULL, NULL), TLSRPT_EINVAL);
    tlsrpt_sts_record_free(NULL);
}
END_TEST

START_TEST(canonical_text_within_the_limit)
{
    /* "v=STSv1;id=a;x=..." is written "v=STSv1; id=a; x=...;": three bytes more. A record whose canonical text is
     * exactly the limit parses and is written back at the limit; one more byte and it is ELIMIT, because its text
     * could not be read back (fuzz_sts_record found a 65,535-byte record that parsed and did not re-parse). */
    const char *head = "v=STSv1;id=a;x=";
    size_t hl = strlen(head);
    char *buf = malloc(TLSRPT_MAX_RECORD_LENGTH + 1);
    memcpy(buf, head, hl);
    memset(buf + hl, 'b', TLSRPT_MAX_RECORD_LENGTH + 1 - hl);
    tlsrpt_sts_record *r = parse_ok_n(buf, TLSRPT_MAX_RECORD_LENGTH - 3, NULL);
    char *s = NULL;
    size_t n = 0;
    ck_assert_int_eq(tlsrpt_sts_record_serialize(r, &s, &n), TLSRPT_OK);
    ck_assert_uint_eq(n, TLSRPT_MAX_RECORD_LENGTH);
    tlsrpt_sts_record *again = parse_ok_n(s, n, NULL);
    tlsrpt_sts_record_free(again);
    tlsrpt_free(s);
    tlsrpt_sts_record_free(r);
    parse_fail_n(buf, TLSRPT_MAX_RECORD_LENGTH - 2, TLSRPT_ELIMIT, "sts-record-too-long", TLSRPT_NO_OFFSET);
    parse_fail_n(buf, TLSRPT_MAX_RECORD_LENGTH, TLSRPT_ELIMIT, "sts-record-too-long", TLSRPT_NO_OFFSET);
    free(buf);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("sts_record");
    TCase *p = tcase_create("parse");
    tcase_add_test(p, rfc_example);
    tcase_add_test(p, canonical_text_within_the_limit);
    tcase_add_test(p, delimiters);
    tcase_add_test(p, erratum_6285_space_before_semicolon);
    tcase_add_test(p, trailing_whitespace);
    tcase_add_test(p, version_errors);
    tcase_add_test(p, id_grammar);
    tcase_add_test(p, extensions_kept_in_order);
    tcase_add_test(p, extension_grammar);
    tcase_add_test(p, repeated_and_wrong_case_fields);
    tcase_add_test(p, length_limit);
    tcase_add_test(p, extension_count_limit);
    suite_add_tcase(s, p);
    TCase *b = tcase_create("build");
    tcase_add_test(b, builder);
    tcase_add_test(b, null_arguments);
    suite_add_tcase(s, b);
    return s;
}
