/* The _smtp._tls TXT record: RFC 8460 §3 grammar, builder, serializer, zone output, lint.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "parse_helpers.h"
#include "testutil.h"

TEXT_PARSE_HELPERS(tlsrpt_record, tlsrpt_record_parse)

/* Offset of the first occurrence of needle in text. */
static size_t off(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    ck_assert_ptr_nonnull(p);
    return (size_t)(p - text);
}

static void assert_rua(const tlsrpt_record *r, size_t n, const char *const *want)
{
    ck_assert_uint_eq(tlsrpt_record_rua_count(r), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(tlsrpt_uri_string(tlsrpt_record_rua(r, i)), want[i]);
    ck_assert_ptr_null(tlsrpt_record_rua(r, n));
}

static char *serialize(const tlsrpt_record *r)
{
    char *s = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_record_serialize(r, &s, &len), TLSRPT_OK);
    ck_assert_uint_eq(len, strlen(s));
    return s;
}

static void assert_records_equal(const tlsrpt_record *a, const tlsrpt_record *b)
{
    ck_assert_uint_eq(tlsrpt_record_rua_count(a), tlsrpt_record_rua_count(b));
    for (size_t i = 0; i < tlsrpt_record_rua_count(a); i++) {
        const tlsrpt_uri *ua = tlsrpt_record_rua(a, i), *ub = tlsrpt_record_rua(b, i);
        ck_assert_str_eq(tlsrpt_uri_string(ua), tlsrpt_uri_string(ub));
        ck_assert_int_eq(tlsrpt_uri_scheme(ua), tlsrpt_uri_scheme(ub));
        ck_assert_pstr_eq(tlsrpt_uri_mailbox(ua), tlsrpt_uri_mailbox(ub));
        ck_assert_pstr_eq(tlsrpt_uri_host(ua), tlsrpt_uri_host(ub));
    }
    ck_assert_uint_eq(tlsrpt_record_extension_count(a), tlsrpt_record_extension_count(b));
    for (size_t i = 0; i < tlsrpt_record_extension_count(a); i++) {
        ck_assert_str_eq(tlsrpt_record_extension_name(a, i), tlsrpt_record_extension_name(b, i));
        ck_assert_str_eq(tlsrpt_record_extension_value(a, i), tlsrpt_record_extension_value(b, i));
    }
}

/* parse(serialize(r)) equals r, and serializing again gives the same bytes. */
static void assert_round_trip(const tlsrpt_record *r)
{
    char *s = serialize(r);
    tlsrpt_record *back = parse_ok(s, NULL);
    assert_records_equal(r, back);
    char *s2 = serialize(back);
    ck_assert_str_eq(s, s2);
    tlsrpt_free(s);
    tlsrpt_free(s2);
    tlsrpt_record_free(back);
}

/* ---- parsing: the grammar ------------------------------------------------------------------------------------ */

START_TEST(rfc_examples)
{
    tlsrpt_record *r = parse_clean("v=TLSRPTv1;rua=mailto:reports@example.com");
    const char *a[] = {"mailto:reports@example.com"};
    assert_rua(r, 1, a);
    ck_assert_int_eq(tlsrpt_uri_scheme(tlsrpt_record_rua(r, 0)), TLSRPT_URI_MAILTO);
    ck_assert_str_eq(tlsrpt_uri_mailbox(tlsrpt_record_rua(r, 0)), "reports@example.com");
    ck_assert_uint_eq(tlsrpt_record_extension_count(r), 0);
    tlsrpt_record_free(r);
    r = parse_clean("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt");
    const char *b[] = {"https://reporting.example.com/v1/tlsrpt"};
    assert_rua(r, 1, b);
    ck_assert_int_eq(tlsrpt_uri_scheme(tlsrpt_record_rua(r, 0)), TLSRPT_URI_HTTPS);
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt");
    tlsrpt_free(s);
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(delimiters)
{
    /* field-delim = *WSP ";" *WSP, optional trailing delimiter: all valid without findings (after the first ';'). */
    const char *ok[] = {
        "v=TLSRPTv1;rua=mailto:a@x.example;",
        "v=TLSRPTv1; \t rua=mailto:a@x.example \t ;  ",
        "v=TLSRPTv1;\trua=mailto:a@x.example\t;\t",
        "v=TLSRPTv1;rua=mailto:a@x.example , \t https://r.example/p,mailto:b@y.example",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        tlsrpt_record_free(parse_clean(ok[i]));
    tlsrpt_record *r = parse_clean(ok[3]);
    const char *want[] = {"mailto:a@x.example", "https://r.example/p", "mailto:b@y.example"};
    assert_rua(r, 3, want);
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(space_before_first_semicolon)
{
    /* Erratum 6285: the ABNF allows it, the "v=TLSRPTv1;" prefix rule does not. Accepted with a WARNING. */
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_record *r = parse_ok("v=TLSRPTv1 \t; rua=mailto:a@x.example", d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "record-space-before-semicolon", TLSRPT_SEVERITY_WARNING, 10);
    ck_assert_uint_eq(tlsrpt_record_rua_count(r), 1);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(trailing_whitespace)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_record *r = parse_ok("v=TLSRPTv1; rua=mailto:a@x.example \t", d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "record-trailing-whitespace", TLSRPT_SEVERITY_WARNING, 34);
    tlsrpt_record_free(r);
    tlsrpt_diag_clear(d);
    r = parse_ok("v=TLSRPTv1; rua=mailto:a@x.example; x=y ", d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_diag(d, "record-trailing-whitespace", TLSRPT_SEVERITY_WARNING, 39);
    ck_assert_diag(d, "record-extension-unknown", TLSRPT_SEVERITY_INFO, 36);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(version_errors)
{
    parse_fail(" v=TLSRPTv1;rua=mailto:a@x.example", "record-version-missing", 0);
    parse_fail("\tv=TLSRPTv1;rua=mailto:a@x.example", "record-version-missing", 0);
    parse_fail("rua=mailto:a@x.example;v=TLSRPTv1", "record-version-missing", 0);
    parse_fail("V=TLSRPTv1;rua=mailto:a@x.example", "record-version-missing", 0);
    parse_fail("v =TLSRPTv1;rua=mailto:a@x.example", "record-version-missing", 1);
    parse_fail("", "record-version-missing", 0);
    parse_fail("v", "record-version-missing", 1);
    parse_fail("v=tlsrptv1;rua=mailto:a@x.example", "record-version-invalid", 2);
    parse_fail("v=TLSRPTV1;rua=mailto:a@x.example", "record-version-invalid", 8);
    parse_fail("v=TLSRPTv2;rua=mailto:a@x.example", "record-version-invalid", 9);
    parse_fail("v= TLSRPTv1;rua=mailto:a@x.example", "record-version-invalid", 2);
    parse_fail("v=TLSRPTv10;rua=mailto:a@x.example", "record-version-invalid", 10);
    parse_fail("v=TLSRPTv1rua=mailto:a@x.example", "record-version-invalid", 10);
    parse_fail("v=TLSRPTv", "record-version-invalid", 9);
    parse_fail("v=TLSRPTv1 rua=mailto:a@x.example", "record-delimiter-expected", 11);
    parse_fail("v=TLSRPTv1,rua=mailto:a@x.example", "record-version-invalid", 10);
}
END_TEST

START_TEST(field_errors)
{
    parse_fail("v=TLSRPTv1", "record-rua-missing", TLSRPT_NO_OFFSET);
    parse_fail("v=TLSRPTv1;", "record-rua-missing", TLSRPT_NO_OFFSET);
    parse_fail("v=TLSRPTv1 ; ", "record-rua-missing", TLSRPT_NO_OFFSET);
    parse_fail("v=TLSRPTv1; x=y", "record-rua-missing", TLSRPT_NO_OFFSET);
    parse_fail("v=TLSRPTv1;;rua=mailto:a@x.example", "record-field-empty", 11);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example; ;", "record-field-empty", 35);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example x=y", "record-delimiter-expected", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=a b", "record-delimiter-expected", 38);
    parse_fail("v=TLSRPTv1;rua=", "rua-empty", 15);
    parse_fail("v=TLSRPTv1;rua=;", "rua-empty", 15);
    parse_fail("v=TLSRPTv1;rua= mailto:a@x.example", "record-field-space", 15);
    parse_fail("v=TLSRPTv1;rua = mailto:a@x.example", "record-field-space", 14);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example,", "rua-empty", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example, ;", "rua-empty", 35);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example,,mailto:b@x.example", "rua-empty", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example , ,mailto:b@x.example", "rua-empty", 36);
    parse_fail("v=TLSRPTv1;rua =mailto:a@x.example", "record-field-space", 14);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x", "record-ext-name-invalid", 35);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x:y=1", "record-ext-name-invalid", 35);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;_x=1", "record-ext-name-invalid", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;-x=1", "record-ext-name-invalid", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;.x=1", "record-ext-name-invalid", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;=1", "record-ext-name-invalid", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;\xc3\xa9=1", "record-ext-name-invalid", 34);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x =1", "record-field-space", 35);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x\t \t=1", "record-field-space", 35);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x= 1", "record-ext-value-invalid", 36);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=", "record-ext-value-invalid", 36);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=;", "record-ext-value-invalid", 36);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x==", "record-ext-value-invalid", 36);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=a=b", "record-ext-value-invalid", 37);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=a\x7f", "record-ext-value-invalid", 37);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=\x80", "record-ext-value-invalid", 36);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=a\r\n", "record-ext-value-invalid", 37);
    parse_fail("v=TLSRPTv1;rua=mailto:a@x.example;x=\x1f", "record-ext-value-invalid", 36);
}
END_TEST

START_TEST(embedded_nul)
{
    parse_fail_n("v=TLSRPTv1;rua=mailto:a@x.example\0", 34, TLSRPT_ESYNTAX, "record-nul", 33);
    parse_fail_n("v=TLSRPTv1;rua=mailto:a@x.example;x=a\0b", 39, TLSRPT_ESYNTAX, "record-nul", 37);
    parse_fail_n("\0v=TLSRPTv1;rua=mailto:a@x.example", 34, TLSRPT_ESYNTAX, "record-nul", 0);
}
END_TEST

START_TEST(ext_name_edges)
{
    char text[200];
    /* (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."): 32 characters accepted, 33 not. */
    const char *name32 = "a0_-.bcdefghijklmnopqrstuvwxyz.Z";
    ck_assert_uint_eq(strlen(name32), 32);
    snprintf(text, sizeof text, "v=TLSRPTv1;rua=mailto:a@x.example;%s=1", name32);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_record *r = parse_ok(text, d);
    ck_assert_str_eq(tlsrpt_record_extension_name(r, 0), name32);
    ck_assert_str_eq(tlsrpt_record_extension_value(r, 0), "1");
    ck_assert_diag(d, "record-extension-unknown", TLSRPT_SEVERITY_INFO, 34);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
    snprintf(text, sizeof text, "v=TLSRPTv1;rua=mailto:a@x.example;%sx=1", name32);
    parse_fail(text, "record-ext-name-too-long", 34 + 32);
    tlsrpt_record_free(parse_ok("v=TLSRPTv1;rua=mailto:a@x.example;9=1", NULL));
    tlsrpt_record_free(parse_ok("v=TLSRPTv1;rua=mailto:a@x.example;Z.=1", NULL));
}
END_TEST

START_TEST(ext_value_edges)
{
    /* 1*(%x21-3A / %x3C / %x3E-7E) */
    const unsigned char good[] = {0x21, 0x22, 0x2c, 0x3a, 0x3c, 0x3e, 0x5c, 0x7e};
    for (size_t i = 0; i < sizeof good; i++) {
        char text[64];
        snprintf(text, sizeof text, "v=TLSRPTv1;rua=mailto:a@x.example;x=%c", good[i]);
        tlsrpt_record *r = parse_ok(text, NULL);
        ck_assert_int_eq((unsigned char)tlsrpt_record_extension_value(r, 0)[0], good[i]);
        ck_assert_uint_eq(strlen(tlsrpt_record_extension_value(r, 0)), 1);
        assert_round_trip(r);
        tlsrpt_record_free(r);
    }
    const unsigned char bad[] = {0x3b, 0x3d, 0x20, 0x7f, 0x09, 0x01, 0xff};
    for (size_t i = 0; i < sizeof bad; i++) {
        char text[64];
        snprintf(text, sizeof text, "v=TLSRPTv1;rua=mailto:a@x.example;x=%c", bad[i]);
        parse_fail(text, "record-ext-value-invalid", 36);
    }
    tlsrpt_record *r = parse_ok("v=TLSRPTv1;rua=mailto:a@x.example;x=!\"#$%&'()*+,-./0123456789:<>?@[\\]^_`{|}~", NULL);
    ck_assert_str_eq(tlsrpt_record_extension_value(r, 0), "!\"#$%&'()*+,-./0123456789:<>?@[\\]^_`{|}~");
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(uri_offsets_are_absolute)
{
    const char *t;
    t = "v=TLSRPTv1; rua=mailto:a@x.example!10m";
    parse_fail(t, "uri-unencoded-delimiter", off(t, "!"));
    /* RFC 6068 allows several addresses; in a record the ',' ends the URI and "b@y.example" has no scheme. */
    t = "v=TLSRPTv1;rua=mailto:a@x.example,b@y.example";
    parse_fail(t, "uri-no-scheme", off(t, "b@"));
    t = "v=TLSRPTv1;rua=https://r.example/,mailto:a%2Cb@x.example";
    parse_fail(t, "mailto-multiple-addresses", off(t, "%2C"));
    t = "v=TLSRPTv1;rua=https://r.example/%zz";
    parse_fail(t, "uri-bad-percent", off(t, "%"));
    t = "v=TLSRPTv1;rua=https:///x";
    parse_fail(t, "https-no-host", off(t, "/x"));
    t = "v=TLSRPTv1;rua=mailto:";
    parse_fail(t, "mailto-no-address", strlen(t));
    t = "v=TLSRPTv1;rua=mailto:a@x.example\x01";
    parse_fail(t, "uri-invalid-char", off(t, "\x01"));
    t = "v=TLSRPTv1;rua=mailto:a@x.example\xc3\xa9";
    parse_fail(t, "uri-invalid-char", off(t, "\xc3"));
    t = "v=TLSRPTv1;rua=mailto:a@x.example?subject=a%";
    parse_fail(t, "uri-bad-percent", strlen(t) - 1);
    /* A ';' ends the URI, so what follows must be a field: here "b@x.example" is not one. */
    t = "v=TLSRPTv1;rua=mailto:a;b@x.example";
    parse_fail(t, "mailto-bad-address", off(t, ";b"));
    t = "v=TLSRPTv1;rua=https://r.example/a;b@x.example";
    parse_fail(t, "record-ext-name-invalid", off(t, "@"));

    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    t = "v=TLSRPTv1;rua=mailto:a@x.example?subject=tls";
    tlsrpt_record *r = parse_ok(t, d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "mailto-hfields-ignored", TLSRPT_SEVERITY_INFO, off(t, "?"));
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(repeated_rua_merged)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    const char *t = "v=TLSRPTv1;rua=mailto:a@x.example;k=v;rua=https://r.example/a,mailto:b@y.example";
    tlsrpt_record *r = parse_ok(t, d);
    const char *want[] = {"mailto:a@x.example", "https://r.example/a", "mailto:b@y.example"};
    assert_rua(r, 3, want);
    ck_assert_uint_eq(tlsrpt_record_extension_count(r), 1);
    ck_assert_str_eq(tlsrpt_record_extension_name(r, 0), "k");
    ck_assert_str_eq(tlsrpt_record_extension_value(r, 0), "v");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_diag(d, "rua-repeated", TLSRPT_SEVERITY_WARNING, 38);
    ck_assert_diag(d, "record-extension-unknown", TLSRPT_SEVERITY_INFO, 34);
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=TLSRPTv1; rua=mailto:a@x.example,https://r.example/a,mailto:b@y.example; k=v");
    tlsrpt_free(s);
    assert_round_trip(r);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(extensions_kept_in_order)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    const char *t = "v=TLSRPTv1; z=1; rua=mailto:a@x.example; a=2; m.x-y_z=!:<>~; z=3";
    tlsrpt_record *r = parse_ok(t, d);
    ck_assert_uint_eq(tlsrpt_record_extension_count(r), 4);
    const char *names[] = {"z", "a", "m.x-y_z", "z"}, *values[] = {"1", "2", "!:<>~", "3"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(tlsrpt_record_extension_name(r, i), names[i]);
        ck_assert_str_eq(tlsrpt_record_extension_value(r, i), values[i]);
    }
    ck_assert_ptr_null(tlsrpt_record_extension_name(r, 4));
    ck_assert_ptr_null(tlsrpt_record_extension_value(r, 4));
    ck_assert_uint_eq(tlsrpt_diag_count(d), 4);
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(tlsrpt_diag_id(d, i), "record-extension-unknown");
        ck_assert_int_eq(tlsrpt_diag_severity(d, i), TLSRPT_SEVERITY_INFO);
    }
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), 12);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 3), off(t, "z=3"));
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=TLSRPTv1; rua=mailto:a@x.example; z=1; a=2; m.x-y_z=!:<>~; z=3");
    tlsrpt_free(s);
    assert_round_trip(r);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(second_version_and_wrong_case)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    const char *t = "v=TLSRPTv1;rua=mailto:a@x.example;v=TLSRPTv2";
    tlsrpt_record *r = parse_ok(t, d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "record-version-repeated", TLSRPT_SEVERITY_WARNING, 34);
    ck_assert_str_eq(tlsrpt_record_extension_name(r, 0), "v");
    ck_assert_str_eq(tlsrpt_record_extension_value(r, 0), "TLSRPTv2");
    assert_round_trip(r);
    tlsrpt_record_free(r);
    tlsrpt_diag_clear(d);
    /* rua= is case-sensitive: "RUA=" is an unknown extension, so the record has no rua at all. */
    r = (tlsrpt_record *)d;
    ck_assert_int_eq(tlsrpt_record_parse(&r, TEXT("v=TLSRPTv1; RUA=mailto:a@x.example"), d), TLSRPT_ESYNTAX);
    ck_assert_ptr_null(r);
    ck_assert_diag(d, "record-rua-wrong-case", TLSRPT_SEVERITY_WARNING, 12);
    ck_assert_diag(d, "record-rua-missing", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(unsupported_schemes)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    const char *t = "v=TLSRPTv1; rua=http://r.example/a, mailto:a@x.example,ftp://f.example/";
    tlsrpt_record *r = parse_ok(t, d);
    ck_assert_uint_eq(tlsrpt_record_rua_count(r), 3);
    ck_assert_int_eq(tlsrpt_uri_scheme(tlsrpt_record_rua(r, 0)), TLSRPT_URI_OTHER);
    ck_assert_int_eq(tlsrpt_uri_scheme(tlsrpt_record_rua(r, 1)), TLSRPT_URI_MAILTO);
    ck_assert_int_eq(tlsrpt_uri_scheme(tlsrpt_record_rua(r, 2)), TLSRPT_URI_OTHER);
    ck_assert_str_eq(tlsrpt_uri_host(tlsrpt_record_rua(r, 0)), "r.example");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "rua-scheme-unsupported");
    ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_WARNING);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), 16);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1), "rua-scheme-unsupported");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1), off(t, "ftp:"));
    assert_round_trip(r);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);

    /* No usable destination: ESEMANTIC, rua-none-usable, and no record. */
    tlsrpt_diag_new(&d);
    r = (tlsrpt_record *)d;
    t = "v=TLSRPTv1; x=1; rua=http://r.example/a,ftp://f.example/";
    ck_assert_int_eq(tlsrpt_record_parse(&r, t, strlen(t), d), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 1);
    ck_assert_diag(d, "rua-none-usable", TLSRPT_SEVERITY_ERROR, 17);
    ck_assert_diag(d, "rua-scheme-unsupported", TLSRPT_SEVERITY_WARNING, 21);
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- limits ---------------------------------------------------------------------------------------------------- */

START_TEST(record_length_limit)
{
    const char *head = "v=TLSRPTv1;rua=mailto:a@x.example;x=";
    size_t hl = strlen(head);
    char *buf = malloc(TLSRPT_MAX_RECORD_LENGTH + 2);
    memcpy(buf, head, hl);
    memset(buf + hl, 'a', TLSRPT_MAX_RECORD_LENGTH + 1 - hl);
    /* The canonical text writes "; " where this input has ";" (twice): two bytes more. A record whose canonical
     * text is exactly the limit parses and is written back at the limit; one byte more, and the record could not be
     * read back from its own text: ELIMIT, as the builder refuses it (found by fuzz_sts_record for MTA-STS). */
    tlsrpt_record *r = parse_ok_n(buf, TLSRPT_MAX_RECORD_LENGTH - 2, NULL);
    ck_assert_uint_eq(strlen(tlsrpt_record_extension_value(r, 0)), TLSRPT_MAX_RECORD_LENGTH - 2 - hl);
    char *s = NULL;
    size_t n = 0;
    ck_assert_int_eq(tlsrpt_record_serialize(r, &s, &n), TLSRPT_OK);
    ck_assert_uint_eq(n, TLSRPT_MAX_RECORD_LENGTH);
    tlsrpt_record *again = parse_ok_n(s, n, NULL);
    tlsrpt_record_free(again);
    tlsrpt_free(s);
    tlsrpt_record_free(r);
    parse_fail_n(buf, TLSRPT_MAX_RECORD_LENGTH - 1, TLSRPT_ELIMIT, "record-too-long", TLSRPT_NO_OFFSET);
    parse_fail_n(buf, TLSRPT_MAX_RECORD_LENGTH, TLSRPT_ELIMIT, "record-too-long", TLSRPT_NO_OFFSET);
    parse_fail_n(buf, TLSRPT_MAX_RECORD_LENGTH + 1, TLSRPT_ELIMIT, "record-too-long", TLSRPT_MAX_RECORD_LENGTH);
    free(buf);
}
END_TEST

START_TEST(rua_count_limit)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "v=TLSRPTv1;rua=mailto:r0@x.example");
    for (unsigned i = 1; i < TLSRPT_MAX_RUA_COUNT; i++)
        trpt_buf_printf(&b, ",mailto:r%u@x.example", i);
    tlsrpt_record *r = parse_ok_n(b.data, b.len, NULL);
    ck_assert_uint_eq(tlsrpt_record_rua_count(r), TLSRPT_MAX_RUA_COUNT);
    ck_assert_str_eq(tlsrpt_uri_string(tlsrpt_record_rua(r, TLSRPT_MAX_RUA_COUNT - 1)), "mailto:r127@x.example");
    assert_round_trip(r);
    tlsrpt_record_free(r);
    size_t at = b.len + 1;
    trpt_buf_puts(&b, ",mailto:one-more@x.example");
    parse_fail_n(b.data, b.len, TLSRPT_ELIMIT, "rua-too-many", at);
    /* The limit counts every rua= field together. */
    trpt_buf_free(&b);
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "v=TLSRPTv1");
    for (unsigned i = 0; i < TLSRPT_MAX_RUA_COUNT; i++)
        trpt_buf_printf(&b, ";rua=mailto:r%u@x.example", i);
    at = b.len + 5;
    trpt_buf_puts(&b, ";rua=mailto:one-more@x.example");
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_record_parse(&r, b.data, b.len, d), TLSRPT_ELIMIT);
    ck_assert_diag(d, "rua-too-many", TLSRPT_SEVERITY_ERROR, at);
    tlsrpt_diag_free(d);
    trpt_buf_free(&b);
}
END_TEST

START_TEST(extension_count_limit)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "v=TLSRPTv1;rua=mailto:a@x.example");
    for (unsigned i = 0; i < TLSRPT_MAX_EXTENSION_COUNT; i++)
        trpt_buf_printf(&b, ";e%u=%u", i, i);
    tlsrpt_record *r = parse_ok_n(b.data, b.len, NULL);
    ck_assert_uint_eq(tlsrpt_record_extension_count(r), TLSRPT_MAX_EXTENSION_COUNT);
    assert_round_trip(r);
    tlsrpt_record_free(r);
    size_t at = b.len + 1;
    trpt_buf_puts(&b, ";more=1");
    parse_fail_n(b.data, b.len, TLSRPT_ELIMIT, "record-too-many-extensions", at);
    trpt_buf_free(&b);
}
END_TEST

START_TEST(is_candidate)
{
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1;")), 1);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1;rua=mailto:a@x.example")), 1);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1 \t ;rua=mailto:a@x.example")), 1);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1;garbage\x01")), 1);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1 ")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate("v=TLSRPTv1;", 10), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv10;")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1 x;")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=TLSRPTv1\n;")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT(" v=TLSRPTv1;")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("V=TLSRPTv1;")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("v=spf1 -all")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(TEXT("")), 0);
    ck_assert_int_eq(tlsrpt_record_is_candidate(NULL, 11), 0);
}
END_TEST

START_TEST(parse_bad_arguments)
{
    tlsrpt_record *r = (tlsrpt_record *)&r;
    ck_assert_int_eq(tlsrpt_record_parse(NULL, TEXT("v=TLSRPTv1;rua=mailto:a@x.example"), NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_parse(&r, NULL, 5, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    parse_fail_n(NULL, 0, TLSRPT_ESYNTAX, "record-version-missing", 0);
}
END_TEST

/* Deterministic mutations of valid records: every outcome is either a record that round-trips or a failure with
 * at least one ERROR and no record (the sanitizer and valgrind runs check memory on all paths). */
START_TEST(mutations_hold_the_contract)
{
    static const char *seeds[] = {
        "v=TLSRPTv1; rua=mailto:a@x.example,https://r.example:8443/p?q=%2C#f; ext=1",
        "v=TLSRPTv1 ;rua=MAILTO:%22a%20b%22@b%C3%BCcher.example?subject=x;rua=https://[2001:db8::1]/;v=x",
    };
    static const char alphabet[] = "v=TLSRPTv1;rua:,!%@[]\"/?# \t\x00\x7f\xc3\xa9" "aZ09-._~";
    uint32_t state = 12345;
    char buf[256];
    unsigned parsed = 0, failed = 0;
    for (unsigned iter = 0; iter < 20000; iter++) {
        const char *seed = seeds[iter % 2];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        unsigned edits = 1 + iter % 4;
        for (unsigned e = 0; e < edits; e++) {
            state = state * 1103515245u + 12345u;
            size_t pos = (state >> 8) % (len + 1);
            char c = alphabet[(state >> 20) % (sizeof alphabet - 1)];
            switch ((state >> 4) % 3) {
            case 0: /* replace */
                if (pos < len)
                    buf[pos] = c;
                break;
            case 1: /* insert */
                if (len < sizeof buf - 1) {
                    memmove(buf + pos + 1, buf + pos, len - pos);
                    buf[pos] = c;
                    len++;
                }
                break;
            default: /* delete */
                if (pos < len) {
                    memmove(buf + pos, buf + pos + 1, len - pos - 1);
                    len--;
                }
            }
        }
        tlsrpt_diag *d = NULL;
        tlsrpt_diag_new(&d);
        tlsrpt_record *r = (tlsrpt_record *)d;
        int rc = tlsrpt_record_parse(&r, buf, len, d);
        if (rc == TLSRPT_OK) {
            ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 0);
            assert_round_trip(r);
            tlsrpt_record_free(r);
            parsed++;
        } else {
            failed++;
            ck_assert_ptr_null(r);
            ck_assert_msg(rc == TLSRPT_ESYNTAX || rc == TLSRPT_ESEMANTIC, "rc %d", rc);
            ck_assert_uint_ge(trpt_diag_errors_since(d, 0), 1);
            for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
                size_t o = tlsrpt_diag_offset(d, i);
                ck_assert(o == TLSRPT_NO_OFFSET || o <= len);
            }
        }
        tlsrpt_diag_free(d);
    }
    /* Both outcomes must be exercised for the test to mean anything. */
    ck_assert_uint_gt(parsed, 1000);
    ck_assert_uint_gt(failed, 1000);
}
END_TEST

/* ---- building -------------------------------------------------------------------------------------------------- */

START_TEST(builder)
{
    tlsrpt_record *r = NULL;
    ck_assert_int_eq(tlsrpt_record_new(&r), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_record_rua_count(r), 0);
    char *s = (char *)&r;
    size_t len = 7;
    ck_assert_int_eq(tlsrpt_record_serialize(r, &s, &len), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(len, 0);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "tls-rpt@Example.com", d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "\"odd,one!\"@example.com", d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "https://reports.example.net/tlsrpt", d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "MAILTO:x%2By@example.org", d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    ck_assert_int_eq(tlsrpt_record_add_extension(r, "ext-1.a_b", "!\"v:<>~"), TLSRPT_OK);
    const char *want[] = {"mailto:tls-rpt@Example.com", "mailto:%22odd%2Cone%21%22@example.com",
                          "https://reports.example.net/tlsrpt", "MAILTO:x%2By@example.org"};
    assert_rua(r, 4, want);
    ck_assert_str_eq(tlsrpt_uri_mailbox(tlsrpt_record_rua(r, 1)), "\"odd,one!\"@example.com");
    ck_assert_str_eq(tlsrpt_uri_mailbox(tlsrpt_record_rua(r, 3)), "x+y@example.org");
    s = serialize(r);
    ck_assert_str_eq(s, "v=TLSRPTv1; rua=mailto:tls-rpt@Example.com,mailto:%22odd%2Cone%21%22@example.com,"
                        "https://reports.example.net/tlsrpt,MAILTO:x%2By@example.org; ext-1.a_b=!\"v:<>~");
    tlsrpt_free(s);
    assert_round_trip(r);
    tlsrpt_diag_free(d);
    tlsrpt_record_free(r);
}
END_TEST

/* add_rua fails with rc and an ERROR id at offset, leaving r unchanged. */
static void expect_add_rua_fails(tlsrpt_record *r, const char *uri, int want_rc, const char *id, size_t offset)
{
    char *before = serialize(r);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_msg(tlsrpt_record_add_rua(r, uri, d) == want_rc, "'%s'", uri);
    ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 1);
    ck_assert_diag(d, id, TLSRPT_SEVERITY_ERROR, offset);
    char *after = serialize(r);
    ck_assert_str_eq(before, after);
    tlsrpt_free(before);
    tlsrpt_free(after);
    tlsrpt_diag_free(d);
}

START_TEST(builder_rejects)
{
    tlsrpt_record *r = NULL;
    ck_assert_int_eq(tlsrpt_record_new(&r), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "a@x.example", NULL), TLSRPT_OK);
    expect_add_rua_fails(r, "http://r.example/", TLSRPT_EUNSUPPORTED, "rua-scheme-unsupported", 0);
    expect_add_rua_fails(r, "ftp://r.example/", TLSRPT_EUNSUPPORTED, "rua-scheme-unsupported", 0);
    expect_add_rua_fails(r, "mailto:a@x.example!10m", TLSRPT_ESYNTAX, "uri-unencoded-delimiter", 18);
    expect_add_rua_fails(r, "mailto:a@x.example,mailto:b@x.example", TLSRPT_ESYNTAX, "uri-unencoded-delimiter", 18);
    expect_add_rua_fails(r, "a,b@x.example", TLSRPT_ESYNTAX, "mailto-multiple-addresses", 1);
    expect_add_rua_fails(r, "a@x.example,b@y.example", TLSRPT_ESYNTAX, "mailto-multiple-addresses", 11);
    expect_add_rua_fails(r, "user name@x.example", TLSRPT_ESYNTAX, "mailto-bad-address", 4);
    expect_add_rua_fails(r, "user@", TLSRPT_ESYNTAX, "mailto-bad-domain", 5);
    expect_add_rua_fails(r, "", TLSRPT_ESYNTAX, "mailto-no-address", 0);
    expect_add_rua_fails(r, "https://", TLSRPT_ESYNTAX, "https-no-host", 8);
    ck_assert_int_eq(tlsrpt_record_add_rua(NULL, "a@x.example", NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, NULL, NULL), TLSRPT_EINVAL);

    const char *name32 = "abcdefghijklmnopqrstuvwxyz012345";
    ck_assert_int_eq(tlsrpt_record_add_extension(r, name32, "1"), TLSRPT_OK);
    const char *bad_names[] = {"", "v", "rua", "_x", "-x", ".x", "a b", "a=b", "a;b", "abcdefghijklmnopqrstuvwxyz0123456", "é"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++)
        ck_assert_msg(tlsrpt_record_add_extension(r, bad_names[i], "1") == TLSRPT_EINVAL, "%s", bad_names[i]);
    const char *bad_values[] = {"", " ", "a b", "a;b", "a=b", "\x7f", "\t", "é"};
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++)
        ck_assert_msg(tlsrpt_record_add_extension(r, "x", bad_values[i]) == TLSRPT_EINVAL, "%s", bad_values[i]);
    ck_assert_int_eq(tlsrpt_record_add_extension(NULL, "x", "1"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_add_extension(r, NULL, "1"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_add_extension(r, "x", NULL), TLSRPT_EINVAL);
    /* "RUA" and "V" are other names (field names are case-sensitive). */
    ck_assert_int_eq(tlsrpt_record_add_extension(r, "RUA", "1"), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_record_extension_count(r), 2);
    char *s = serialize(r);
    ck_assert_str_eq(s, "v=TLSRPTv1; rua=mailto:a@x.example; abcdefghijklmnopqrstuvwxyz012345=1; RUA=1");
    tlsrpt_free(s);
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(builder_limits)
{
    tlsrpt_record *r = NULL;
    ck_assert_int_eq(tlsrpt_record_new(&r), TLSRPT_OK);
    char addr[64];
    for (unsigned i = 0; i < TLSRPT_MAX_RUA_COUNT; i++) {
        snprintf(addr, sizeof addr, "r%u@x.example", i);
        ck_assert_int_eq(tlsrpt_record_add_rua(r, addr, NULL), TLSRPT_OK);
    }
    expect_add_rua_fails(r, "one-more@x.example", TLSRPT_ELIMIT, "rua-too-many", TLSRPT_NO_OFFSET);
    for (unsigned i = 0; i < TLSRPT_MAX_EXTENSION_COUNT; i++) {
        snprintf(addr, sizeof addr, "e%u", i);
        ck_assert_int_eq(tlsrpt_record_add_extension(r, addr, "1"), TLSRPT_OK);
    }
    ck_assert_int_eq(tlsrpt_record_add_extension(r, "more", "1"), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_record_extension_count(r), TLSRPT_MAX_EXTENSION_COUNT);
    assert_round_trip(r);
    tlsrpt_record_free(r);

    /* The builder never makes a record longer than the parser accepts: 7 URIs of 8192 bytes fill 57366 bytes,
     * one more of 8168 (plus its ',') reaches exactly 65535, and nothing more fits. */
    ck_assert_int_eq(tlsrpt_record_new(&r), TLSRPT_OK);
    char *uri = malloc(TLSRPT_MAX_URI_LENGTH + 1);
    memset(uri, 'a', TLSRPT_MAX_URI_LENGTH);
    memcpy(uri, "https://x.example/", 18);
    uri[TLSRPT_MAX_URI_LENGTH] = '\0';
    for (int i = 0; i < 7; i++)
        ck_assert_int_eq(tlsrpt_record_add_rua(r, uri, NULL), TLSRPT_OK);
    expect_add_rua_fails(r, uri, TLSRPT_ELIMIT, "record-too-long", TLSRPT_NO_OFFSET);
    uri[8169] = '\0';
    expect_add_rua_fails(r, uri, TLSRPT_ELIMIT, "record-too-long", TLSRPT_NO_OFFSET);
    uri[8168] = '\0';
    ck_assert_int_eq(tlsrpt_record_add_rua(r, uri, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_extension(r, "x", "1"), TLSRPT_ELIMIT);
    char *s = serialize(r);
    ck_assert_uint_eq(strlen(s), TLSRPT_MAX_RECORD_LENGTH);
    tlsrpt_free(s);
    assert_round_trip(r);
    free(uri);
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(round_trips)
{
    const char *records[] = {
        "v=TLSRPTv1;rua=mailto:reports@example.com",
        "v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt",
        "v=TLSRPTv1 ;rua=mailto:a@x.example , https://r.example:8443/p?q=%2C#f ;",
        "v=TLSRPTv1;rua=MAILTO:%22a%20b%22@B%C3%BCcher.example?subject=x;ext=1;rua=https://[2001:db8::1]/",
        "v=TLSRPTv1;\tx.y=\"\\\";rua=mailto:a%21b@x.example;v=again",
        "v=TLSRPTv1;rua=http://old.example/,mailto:a@x.example,urn:x:y",
        "v=TLSRPTv1;rua=mailto:a@x.example;9=~;Z-=!",
    };
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        tlsrpt_record *r = parse_ok(records[i], NULL);
        assert_round_trip(r);
        tlsrpt_record *c = NULL;
        ck_assert_int_eq(tlsrpt_record_dup(&c, r), TLSRPT_OK);
        tlsrpt_record_free(r);
        assert_round_trip(c);
        tlsrpt_record_free(c);
    }
    /* Built records of every shape. */
    for (unsigned n = 1; n <= 12; n++) {
        tlsrpt_record *r = NULL;
        tlsrpt_record_new(&r);
        char buf[64];
        for (unsigned i = 0; i < n; i++) {
            if (i % 3 == 0)
                snprintf(buf, sizeof buf, "user%u+tag@sub%u.example", i, n);
            else if (i % 3 == 1)
                snprintf(buf, sizeof buf, "https://r%u.example/p/%u?x=%u", i, n, i);
            else
                snprintf(buf, sizeof buf, "\"q %u;!\"@example.org", i);
            ck_assert_int_eq(tlsrpt_record_add_rua(r, buf, NULL), TLSRPT_OK);
            if (i % 2) {
                snprintf(buf, sizeof buf, "n%u", i);
                ck_assert_int_eq(tlsrpt_record_add_extension(r, buf, "v:<>\\\""), TLSRPT_OK);
            }
        }
        assert_round_trip(r);
        tlsrpt_record_free(r);
    }
}
END_TEST

START_TEST(getters_and_dup)
{
    ck_assert_uint_eq(tlsrpt_record_rua_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_record_rua(NULL, 0));
    ck_assert_uint_eq(tlsrpt_record_extension_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_record_extension_name(NULL, 0));
    ck_assert_ptr_null(tlsrpt_record_extension_value(NULL, 0));
    tlsrpt_record_free(NULL);
    ck_assert_int_eq(tlsrpt_record_new(NULL), TLSRPT_EINVAL);
    tlsrpt_record *r = (tlsrpt_record *)&r;
    ck_assert_int_eq(tlsrpt_record_dup(&r, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_record_dup(NULL, NULL), TLSRPT_EINVAL);
    char *s = (char *)&r;
    ck_assert_int_eq(tlsrpt_record_serialize(NULL, &s, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(s);
    r = parse_ok("v=TLSRPTv1;rua=mailto:a@x.example;k=v", NULL);
    ck_assert_int_eq(tlsrpt_record_serialize(r, NULL, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_record_rua(r, 1));
    ck_assert_ptr_null(tlsrpt_record_rua(r, (size_t)-1));
    ck_assert_ptr_null(tlsrpt_record_extension_name(r, 1));
    ck_assert_ptr_null(tlsrpt_record_extension_value(r, (size_t)-1));
    tlsrpt_record *c = NULL;
    ck_assert_int_eq(tlsrpt_record_dup(&c, r), TLSRPT_OK);
    tlsrpt_record_free(r);
    ck_assert_str_eq(tlsrpt_uri_mailbox(tlsrpt_record_rua(c, 0)), "a@x.example");
    ck_assert_str_eq(tlsrpt_record_extension_name(c, 0), "k");
    /* The copy is independent: growing it leaves nothing shared. */
    ck_assert_int_eq(tlsrpt_record_add_rua(c, "b@y.example", NULL), TLSRPT_OK);
    s = serialize(c);
    ck_assert_str_eq(s, "v=TLSRPTv1; rua=mailto:a@x.example,mailto:b@y.example; k=v");
    tlsrpt_free(s);
    tlsrpt_record_free(c);
    /* An empty builder duplicates too. */
    tlsrpt_record_new(&r);
    ck_assert_int_eq(tlsrpt_record_dup(&c, r), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_record_rua_count(c), 0);
    tlsrpt_record_free(r);
    tlsrpt_record_free(c);
}
END_TEST

/* ---- zone output ----------------------------------------------------------------------------------------------- */

/* Splits the TXT data of a zone line back into character-strings: checks each has at most 255 decoded bytes and
 * returns their concatenation (new) and count. */
static char *zone_strings(const char *line, size_t *count, size_t *first_len)
{
    const char *p = strstr(line, " IN TXT ");
    ck_assert_ptr_nonnull(p);
    p += 8;
    trpt_buf all;
    trpt_buf_init(&all);
    *count = 0;
    while (*p) {
        ck_assert_int_eq(*p, '"');
        p++;
        size_t n = 0;
        while (*p != '"') {
            ck_assert_int_ne(*p, '\0');
            if (*p == '\\') {
                if (p[1] >= '0' && p[1] <= '9') {
                    trpt_buf_putc(&all, (char)((p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0')));
                    p += 4;
                } else {
                    trpt_buf_putc(&all, p[1]);
                    p += 2;
                }
            } else {
                ck_assert_int_ge((unsigned char)*p, 0x20);
                ck_assert_int_le((unsigned char)*p, 0x7e);
                trpt_buf_putc(&all, *p++);
            }
            n++;
        }
        ck_assert_uint_le(n, 255);
        if (*count == 0)
            *first_len = n;
        (*count)++;
        p++;
        if (*p)
            ck_assert_int_eq(*p++, ' ');
    }
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&all, &out, NULL), TLSRPT_OK);
    return out;
}

START_TEST(zone_line)
{
    tlsrpt_record *r = parse_ok("v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL);
    char *z = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_record_to_zone(r, "Example.COM", 3600, &z, &len), TLSRPT_OK);
    ck_assert_str_eq(z, "_smtp._tls.example.com. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
    ck_assert_uint_eq(len, strlen(z));
    tlsrpt_free(z);
    ck_assert_int_eq(tlsrpt_record_to_zone(r, "bücher.example.", 0, &z, NULL), TLSRPT_OK);
    ck_assert_str_eq(z, "_smtp._tls.xn--bcher-kva.example. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
    tlsrpt_free(z);
    ck_assert_int_eq(tlsrpt_record_to_zone(r, "example.com", 4294967295u, &z, NULL), TLSRPT_OK);
    ck_assert_str_eq(z,
                     "_smtp._tls.example.com. 4294967295 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
    tlsrpt_free(z);
    const char *bad[] = {"", ".", "a..b", "-x.example", "exa mple.com", "x.example..", "a\"b.example"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        z = (char *)&r;
        len = 9;
        ck_assert_msg(tlsrpt_record_to_zone(r, bad[i], 60, &z, &len) == TLSRPT_EINVAL, "'%s'", bad[i]);
        ck_assert_ptr_null(z);
        ck_assert_uint_eq(len, 0);
    }
    ck_assert_int_eq(tlsrpt_record_to_zone(r, NULL, 60, &z, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_to_zone(NULL, "example.com", 60, &z, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_to_zone(r, "example.com", 60, NULL, NULL), TLSRPT_EINVAL);
    tlsrpt_record_free(r);
    tlsrpt_record_new(&r);
    z = (char *)&r;
    ck_assert_int_eq(tlsrpt_record_to_zone(r, "example.com", 60, &z, NULL), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(z);
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(zone_escapes)
{
    tlsrpt_record *r = parse_ok("v=TLSRPTv1;rua=mailto:a@x.example;q=\"\\\"", NULL);
    char *z = NULL;
    ck_assert_int_eq(tlsrpt_record_to_zone(r, "example.com", 300, &z, NULL), TLSRPT_OK);
    ck_assert_str_eq(z, "_smtp._tls.example.com. 300 IN TXT \"v=TLSRPTv1; rua=mailto:a@x.example; q=\\\"\\\\\\\"\"");
    tlsrpt_free(z);
    tlsrpt_record_free(r);
}
END_TEST

/* A record whose serialized form is exactly `total` bytes, with `fill` as the extension value's byte. */
static tlsrpt_record *record_of_length(size_t total, char fill)
{
    const char *head = "v=TLSRPTv1; rua=mailto:a@x.example; x=";
    size_t hl = strlen(head);
    ck_assert_uint_gt(total, hl);
    char *value = malloc(total - hl + 1);
    memset(value, fill, total - hl);
    value[total - hl] = '\0';
    tlsrpt_record *r = NULL;
    tlsrpt_record_new(&r);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "mailto:a@x.example", NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_extension(r, "x", value), TLSRPT_OK);
    free(value);
    char *s = serialize(r);
    ck_assert_uint_eq(strlen(s), total);
    tlsrpt_free(s);
    return r;
}

START_TEST(zone_splitting)
{
    const struct {
        size_t total;
        char fill;
        size_t strings;
    } cases[] = {
        {255, 'a', 1}, {256, 'a', 2}, {510, 'a', 2}, {511, 'a', 3}, {255, '"', 1}, {256, '\\', 2},
        {254, '"', 1}, {257, '"', 2}, {1000, '\\', 4}, {TLSRPT_MAX_RECORD_LENGTH, '"', 257},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tlsrpt_record *r = record_of_length(cases[i].total, cases[i].fill);
        char *z = NULL, *text = serialize(r);
        ck_assert_int_eq(tlsrpt_record_to_zone(r, "example.com", 60, &z, NULL), TLSRPT_OK);
        size_t count = 0, first = 0;
        char *joined = zone_strings(z, &count, &first);
        ck_assert_msg(count == cases[i].strings, "%zu bytes of '%c': %zu strings", cases[i].total, cases[i].fill,
                      count);
        ck_assert_uint_eq(first, cases[i].total < 255 ? cases[i].total : 255);
        ck_assert_str_eq(joined, text);
        free(joined);
        tlsrpt_free(text);
        tlsrpt_free(z);
        tlsrpt_record_free(r);
    }
}
END_TEST

/* ---- lint ------------------------------------------------------------------------------------------------------ */

/* Lints a record text with a policy domain; returns the findings (new). */
static tlsrpt_diag *lint(const char *text, const char *policy)
{
    tlsrpt_record *r = parse_ok(text, NULL);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_record_lint(r, policy, d), TLSRPT_OK);
    ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 0);
    tlsrpt_record_free(r);
    return d;
}

static void assert_only(const tlsrpt_diag *d, const char *id, int severity, size_t count)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        ck_assert_str_eq(tlsrpt_diag_id(d, i), id);
        ck_assert_int_eq(tlsrpt_diag_severity(d, i), severity);
        ck_assert_uint_eq(tlsrpt_diag_offset(d, i), TLSRPT_NO_OFFSET);
        ck_assert_str_eq(tlsrpt_diag_path(d, i), "");
        n++;
    }
    ck_assert_uint_eq(n, count);
}

START_TEST(lint_clean)
{
    tlsrpt_diag *d = lint("v=TLSRPTv1; rua=mailto:tlsrpt@example.com", "example.com");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:tlsrpt@mail.example.com,https://r.example.com/x", "sub.Example.COM.");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    /* Without a policy domain the external check is skipped. */
    d = lint("v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net", NULL);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_duplicates)
{
    tlsrpt_diag *d = lint("v=TLSRPTv1; rua=mailto:a@example.com,MAILTO:a@EXAMPLE.com", "example.com");
    assert_only(d, "lint-rua-duplicate", TLSRPT_SEVERITY_WARNING, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "Destination 2 (MAILTO:a@EXAMPLE.com) repeats destination 1"));
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:a%2Bb@example.com; rua=mailto:a+b@example.com", "example.com");
    assert_only(d, "lint-rua-duplicate", TLSRPT_SEVERITY_WARNING, 1);
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=https://R.example.com/x,https://r.example.com/x", "example.com");
    ck_assert_diag(d, "lint-rua-duplicate", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
    /* Local parts are case-sensitive, paths too. */
    d = lint("v=TLSRPTv1; rua=mailto:A@example.com,mailto:a@example.com", "example.com");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_schemes_and_counts)
{
    tlsrpt_diag *d = lint("v=TLSRPTv1; rua=mailto:a@example.com,http://r.example.com/", "example.com");
    assert_only(d, "lint-rua-scheme-unsupported", TLSRPT_SEVERITY_WARNING, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "plain http:"));
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:a@example.com,ftp://r.example.com/", "example.com");
    assert_only(d, "lint-rua-scheme-unsupported", TLSRPT_SEVERITY_WARNING, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "unsupported scheme"));
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=https://r.example.com/x", "example.com");
    assert_only(d, "lint-no-mailto", TLSRPT_SEVERITY_INFO, 1);
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com", "example.com");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com,mailto:c@example.com", "example.com");
    assert_only(d, "lint-rua-many", TLSRPT_SEVERITY_INFO, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "3 destinations"));
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_external_destinations)
{
    tlsrpt_diag *d = lint("v=TLSRPTv1; rua=mailto:tlsrpt@Reports.Example.NET,https://collector.example.org/r",
                          "Example.COM");
    assert_only(d, "lint-rua-external", TLSRPT_SEVERITY_INFO, 2);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "example.com._report._tls.reports.example.net "
                                                            "\"v=TLSRPTv1\""));
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 1), "example.com._report._tls.collector.example.org "
                                                            "\"v=TLSRPTv1\""));
    tlsrpt_diag_free(d);
    /* Organizational domains come from the Public Suffix List, never from the last two labels. */
    d = lint("v=TLSRPTv1; rua=mailto:r@b.example.co.uk", "a.example.co.uk");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:r@other.co.uk", "mine.co.uk");
    assert_only(d, "lint-rua-external", TLSRPT_SEVERITY_INFO, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "mine.co.uk._report._tls.other.co.uk"));
    tlsrpt_diag_free(d);
    /* U-label policy domains are named in A-labels; IP hosts cannot publish the record and are skipped. */
    d = lint("v=TLSRPTv1; rua=https://192.0.2.1/r,https://[2001:db8::1]/r", "example.com");
    assert_only(d, "lint-no-mailto", TLSRPT_SEVERITY_INFO, 1);
    tlsrpt_diag_free(d);
    d = lint("v=TLSRPTv1; rua=mailto:r@tlsrpt.example,https://192.0.2.1/r", "bücher.example");
    assert_only(d, "lint-rua-external", TLSRPT_SEVERITY_INFO, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "xn--bcher-kva.example._report._tls.tlsrpt.example"));
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_long_record)
{
    tlsrpt_record *r = record_of_length(255, 'a');
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_record_lint(r, "x.example", d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_record_free(r);
    r = record_of_length(256, 'a');
    ck_assert_int_eq(tlsrpt_record_lint(r, "x.example", d), TLSRPT_OK);
    assert_only(d, "lint-record-long", TLSRPT_SEVERITY_INFO, 1);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "256 bytes"));
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_bad_arguments)
{
    tlsrpt_record *r = parse_ok("v=TLSRPTv1; rua=mailto:r@other.example", NULL);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_record_lint(r, "not a domain", d), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_lint(r, "", d), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_lint(r, "a..b", d), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    ck_assert_int_eq(tlsrpt_record_lint(r, "example.com", NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_lint(NULL, "example.com", d), TLSRPT_EINVAL);
    tlsrpt_record_free(r);
    /* An empty builder has nothing to say but is not an error. */
    tlsrpt_record_new(&r);
    ck_assert_int_eq(tlsrpt_record_lint(r, "example.com", d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- fix-it hints ---------------------------------------------------------------------------------------------- */

/* Parses text (which must fail) and checks the id and the hint of its last finding. */
static void assert_hint(const char *text, const char *id, const char *hint)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_record *r = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    int rc = tlsrpt_record_parse(&r, text, strlen(text), d);
    size_t n = tlsrpt_diag_count(d);
    ck_assert_msg(n > 0, "%s: no finding", text);
    ck_assert_msg(strcmp(tlsrpt_diag_id(d, n - 1), id) == 0, "%s: id %s, want %s", text, tlsrpt_diag_id(d, n - 1),
                  id);
    const char *h = tlsrpt_diag_hint(d, n - 1);
    ck_assert_msg(h != NULL && strcmp(h, hint) == 0, "%s: hint '%s', want '%s'", text, h ? h : "(null)", hint);
    ck_assert_int_ne(rc, TLSRPT_OK);
    tlsrpt_diag_free(d);
}

START_TEST(hints_for_pasted_mistakes)
{
    assert_hint("\"v=TLSRPTv1; rua=mailto:a@example.com\"", "record-version-missing",
                "Remove the quotes around the record: they are zone-file syntax, not part of the value.");
    assert_hint("'v=TLSRPTv1; rua=mailto:a@example.com'", "record-version-missing",
                "Remove the quotes around the record: they are zone-file syntax, not part of the value.");
    assert_hint("TXT v=TLSRPTv1; rua=mailto:a@example.com", "record-version-missing",
                "Remove the 4 bytes before v=TLSRPTv1: the record must begin with it.");
    assert_hint("\xE2\x80\x9Cv=TLSRPTv1; rua=mailto:a@example.com\xE2\x80\x9D", "record-version-missing",
                "Remove the typographic (curly) quotes that a word processor or web page added; the value has no "
                "quotes.");
    assert_hint("_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:a@example.com\"", "record-version-missing",
                "Only the value goes in the TXT record: remove everything before v=TLSRPTv1 (and any closing "
                "quote); the name _smtp._tls goes in the Name (Host) field.");
    assert_hint("_smtp._tls v=TLSRPTv1; rua=mailto:a@example.com", "record-version-missing",
                "Only the value goes in the TXT record: remove everything before v=TLSRPTv1 (and any closing "
                "quote); the name _smtp._tls goes in the Name (Host) field.");
    assert_hint("  v=TLSRPTv1; rua=mailto:a@example.com", "record-version-missing",
                "Remove the whitespace before v=TLSRPTv1.");
    assert_hint("v=tlsrptv1; rua=mailto:a@example.com", "record-version-invalid",
                "The version is case-sensitive: write v=TLSRPTv1 exactly.");
    assert_hint("V=TLSRPTv1; rua=mailto:a@example.com", "record-version-missing",
                "The version is case-sensitive: write v=TLSRPTv1 exactly.");
    assert_hint("v = TLSRPTv1; rua=mailto:a@example.com", "record-version-missing",
                "Remove the whitespace around '=': write v=TLSRPTv1 with nothing between.");
    assert_hint("v= TLSRPTv1; rua=mailto:a@example.com", "record-version-invalid",
                "Remove the whitespace around '=': write v=TLSRPTv1 with nothing between.");
    assert_hint("rua=mailto:a@example.com", "record-version-missing",
                "Begin the record with the version: v=TLSRPTv1; rua=...");
    assert_hint("v=DMARC1; p=none; rua=mailto:a@example.com", "record-version-invalid",
                "This is a DMARC record (published at _dmarc); a TLSRPT record begins v=TLSRPTv1; and is published "
                "at _smtp._tls.");
    assert_hint("v=STSv1; id=20240101", "record-version-invalid",
                "This is an MTA-STS record (published at _mta-sts); a TLSRPT record begins v=TLSRPTv1; and is "
                "published at _smtp._tls.");
    assert_hint("v=spf1 -all", "record-version-invalid",
                "This is an SPF record; a TLSRPT record begins v=TLSRPTv1; and is published at _smtp._tls.");
    /* delimiters */
    assert_hint("v=TLSRPTv1, rua=mailto:a@example.com", "record-version-invalid",
                "Separate fields with ';', not ',': v=TLSRPTv1; rua=...");
    assert_hint("v=TLSRPTv1 rua=mailto:a@example.com", "record-delimiter-expected",
                "Put ';' after the version: v=TLSRPTv1; rua=...");
    assert_hint("v=TLSRPTv1rua=mailto:a@example.com", "record-version-invalid",
                "Put ';' after the version: v=TLSRPTv1; rua=...");
    assert_hint("v=TLSRPTv1\\; rua=mailto:a@example.com", "record-version-invalid",
                "Remove the backslash before ';': \\; is how dig and zone files escape ';', not part of the record.");
    assert_hint("v=TLSRPTv1; rua=mailto:a@example.com mailto:b@example.com", "record-delimiter-expected",
                "Separate destinations with ',', not whitespace: rua=mailto:a@example.com,mailto:b@example.com.");
    assert_hint("v=TLSRPTv1; rua=mailto:a@example.com; mailto:b@example.com", "record-ext-name-invalid",
                "Separate destinations with ',' inside one rua= field, not with ';': "
                "rua=mailto:a@example.com,mailto:b@example.com.");
    assert_hint("v=TLSRPTv1; rua=mailto:a@example.com; b@example.com", "record-ext-name-invalid",
                "Separate destinations with ',' inside one rua= field, not with ';': "
                "rua=mailto:a@example.com,mailto:b@example.com.");
    assert_hint("v=TLSRPTv1; ext=1 x=2", "record-delimiter-expected", "Separate fields with ';'.");
    /* spaces around '=' of a field: a precise finding, not a bad extension name */
    assert_hint("v=TLSRPTv1; rua = mailto:a@example.com", "record-field-space",
                "Remove the whitespace: write rua= with nothing around '='.");
    assert_hint("v=TLSRPTv1; rua= mailto:a@example.com", "record-field-space",
                "Remove the whitespace: write rua=m... with nothing between '=' and the destination.");
    /* destinations */
    assert_hint("v=TLSRPTv1; rua=tlsrpt@example.com", "uri-no-scheme", "Did you mean \"mailto:tlsrpt@example.com\"?");
    assert_hint("v=TLSRPTv1; rua=reports.example.com/tlsrpt", "uri-no-scheme",
                "Did you mean \"https://reports.example.com/tlsrpt\"?");
    assert_hint("v=TLSRPTv1; rua=mailto://a@example.com", "mailto-char-not-encoded",
                "A mailto: URI has no '//': write \"mailto:a@example.com\".");
    assert_hint("v=TLSRPTv1; rua=mailto:a@example.com!10m", "uri-unencoded-delimiter",
                "Remove \"!10m\": TLSRPT destinations have no size limit (that is DMARC's rua syntax).");
    assert_hint("v=TLSRPTv1; rua=mailto:a@example.com\"", "uri-syntax",
                "Remove the quote character from the destination.");
    assert_hint("v=TLSRPTv1; rua=", "rua-empty", "Put a mailto: or https: destination after rua= (or remove the "
                                                 "extra ',').");
    assert_hint("v=TLSRPTv1", "record-rua-missing",
                "Add a destination: v=TLSRPTv1; rua=mailto:tlsrpt@example.com (your own address).");
    /* http: gets the https: it almost certainly meant, on the warning; the error gets the default hint */
    tlsrpt_diag *d = NULL;
    tlsrpt_record *r = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_record_parse(&r, "v=TLSRPTv1; rua=http://r.example.com/x", 38, d), TLSRPT_ESEMANTIC);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "rua-scheme-unsupported");
    ck_assert_str_eq(tlsrpt_diag_hint(d, 0),
                     "Did you mean \"https://r.example.com/x\"? Reporters deliver only to mailto: and https:.");
    ck_assert_str_eq(tlsrpt_diag_hint(d, 1), "Use a mailto: address or an https: URL as the destination.");
    ck_assert_ptr_null(tlsrpt_diag_hint(d, 2));
    ck_assert_ptr_null(tlsrpt_diag_hint(NULL, 0));
    tlsrpt_diag_clear(d);
    /* a second record pasted after the first: both warnings say to merge the destinations */
    r = parse_ok("v=TLSRPTv1; rua=mailto:a@example.com; v=TLSRPTv1; rua=mailto:b@example.com", d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "record-version-repeated");
    ck_assert_str_eq(tlsrpt_diag_hint(d, 0),
                     "Publish one record: put every destination in its one rua= field, separated by ','.");
    ck_assert_str_eq(tlsrpt_diag_hint(d, 1), "Put every destination in one rua= field, separated by ',': rua=URI,URI.");
    tlsrpt_record_free(r);
    /* an unknown extension needs no fix */
    tlsrpt_diag_clear(d);
    r = parse_ok("v=TLSRPTv1; rua=mailto:a@example.com; ext=1", d);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "record-extension-unknown");
    ck_assert_ptr_null(tlsrpt_diag_hint(d, 0));
    tlsrpt_record_free(r);
    /* the builder: a bare address is mailto: already; http: gets https: */
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_record_new(&r), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "http://r.example.com/x", d), TLSRPT_EUNSUPPORTED);
    ck_assert_str_eq(tlsrpt_diag_hint(d, 0),
                     "Did you mean \"https://r.example.com/x\"? Reporters deliver only to mailto: and https:.");
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_record_add_rua(r, "mailto://a@example.com", d), TLSRPT_ESYNTAX);
    ck_assert_str_eq(tlsrpt_diag_hint(d, tlsrpt_diag_count(d) - 1),
                     "A mailto: URI has no '//': write \"mailto:a@example.com\".");
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(lint_hints_and_messages)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_record *r = parse_ok("v=TLSRPTv1; rua=mailto:a@thirdparty.example.net,http://r.example.com/x,"
                                "https://c.example.org/r",
                                NULL);
    ck_assert_int_eq(tlsrpt_record_lint(r, "example.com", d), TLSRPT_OK);
    int seen = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        const char *id = tlsrpt_diag_id(d, i), *m = tlsrpt_diag_message(d, i);
        if (strcmp(id, "lint-rua-many") == 0) {
            ck_assert_str_eq(m, "The record lists 3 destinations; RFC 8460 §3 lets a reporter deliver to only one of "
                                "them, so the others may receive no report.");
            seen |= 1;
        } else if (strcmp(id, "lint-rua-scheme-unsupported") == 0) {
            ck_assert_str_eq(tlsrpt_diag_hint(d, i), "Did you mean \"https://r.example.com/x\"?");
            seen |= 2;
        } else if (strcmp(id, "lint-rua-external") == 0 && !(seen & 4)) {
            ck_assert_str_eq(tlsrpt_diag_hint(d, i),
                             "Ask the owner of thirdparty.example.net to publish TXT "
                             "example.com._report._tls.thirdparty.example.net. \"v=TLSRPTv1\" in its zone, or use a "
                             "destination in example.com.");
            seen |= 4;
        }
        /* no message ends in two periods (a qualified name and the sentence's period) */
        size_t n = strlen(m);
        ck_assert(n >= 2 && !(m[n - 1] == '.' && m[n - 2] == '.'));
    }
    ck_assert_int_eq(seen, 7);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- provider-ready values: character-strings and owner names -------------------------------------------------- */

START_TEST(txt_strings)
{
    char **s = NULL;
    size_t n = 99;
    ck_assert_int_eq(tlsrpt_txt_split(&s, &n, "", 0), TLSRPT_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0], "");
    ck_assert_ptr_null(s[1]);
    tlsrpt_free(s);
    /* 255 is one string, 256 two, 510 two, 511 three: each piece as long as allowed, the last the rest */
    char text[600];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + i % 26);
    size_t lens[] = {1, 255, 256, 510, 511, 600};
    size_t want[] = {1, 1, 2, 2, 3, 3};
    for (size_t k = 0; k < 6; k++) {
        ck_assert_int_eq(tlsrpt_txt_split(&s, &n, text, lens[k]), TLSRPT_OK);
        ck_assert_uint_eq(n, want[k]);
        size_t joined = 0;
        for (size_t i = 0; i < n; i++) {
            size_t l = strlen(s[i]);
            ck_assert_uint_le(l, 255);
            ck_assert(i + 1 == n || l == 255);
            ck_assert(memcmp(s[i], text + joined, l) == 0);
            joined += l;
        }
        ck_assert_uint_eq(joined, lens[k]);
        ck_assert_ptr_null(s[n]);
        tlsrpt_free(s);
    }
    ck_assert_int_eq(tlsrpt_txt_split(&s, &n, "a\0b", 3), TLSRPT_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(tlsrpt_txt_split(NULL, &n, "a", 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_split(&s, NULL, "a", 1), TLSRPT_EINVAL);
    char *big = malloc(TLSRPT_MAX_RECORD_LENGTH + 1);
    memset(big, 'x', TLSRPT_MAX_RECORD_LENGTH + 1);
    ck_assert_int_eq(tlsrpt_txt_split(&s, &n, big, TLSRPT_MAX_RECORD_LENGTH), TLSRPT_OK);
    ck_assert_uint_eq(n, 257); /* 65535 = 256 * 255 + 255 */
    tlsrpt_free(s);
    ck_assert_int_eq(tlsrpt_txt_split(&s, &n, big, TLSRPT_MAX_RECORD_LENGTH + 1), TLSRPT_ELIMIT);
    free(big);
    /* the record's own strings are the zone line's */
    tlsrpt_record *r = NULL;
    tlsrpt_record_new(&r);
    ck_assert_int_eq(tlsrpt_record_to_strings(r, &s, &n), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(s);
    for (int i = 0; i < 8; i++) {
        char uri[100];
        snprintf(uri, sizeof uri, "https://tlsrpt-collector-%d.reports.example.net/v1/submit/example.com", i);
        ck_assert_int_eq(tlsrpt_record_add_rua(r, uri, NULL), TLSRPT_OK);
    }
    ck_assert_int_eq(tlsrpt_record_to_strings(r, &s, &n), TLSRPT_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(strlen(s[0]) + strlen(s[1]) + strlen(s[2]), 567);
    ck_assert(strncmp(s[0], "v=TLSRPTv1; rua=https://tlsrpt-collector-0.", 43) == 0);
    tlsrpt_free(s);
    ck_assert_int_eq(tlsrpt_record_to_strings(NULL, &s, &n), TLSRPT_EINVAL);
    tlsrpt_record_free(r);
}
END_TEST

START_TEST(owner_names)
{
    struct {
        const char *name, *apex, *want;
        int rc;
    } cases[] = {
        {"example.com", NULL, "example.com.", TLSRPT_OK},
        {"Example.COM.", "example.com", "@", TLSRPT_OK},
        {"_smtp._tls.example.com", "example.com.", "_smtp._tls", TLSRPT_OK},
        {"_smtp._tls.mail.example.com", "example.com", "_smtp._tls.mail", TLSRPT_OK},
        {"example.com._report._tls.b\xC3\xBC" "cher.example", "xn--bcher-kva.example",
         "example.com._report._tls", TLSRPT_OK},
        {"_smtp._tls.example.com", "other.example", NULL, TLSRPT_EINVAL},
        {"_smtp._tls.badexample.com", "example.com", NULL, TLSRPT_EINVAL},
        {"example.com", "_smtp._tls.example.com", NULL, TLSRPT_EINVAL},
        {"exa mple.com", NULL, NULL, TLSRPT_EINVAL},
        {"example.com", "exa mple.com", NULL, TLSRPT_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = (char *)"junk";
        ck_assert_int_eq(tlsrpt_owner_name(&out, cases[i].name, cases[i].apex), cases[i].rc);
        ck_assert_pstr_eq(out, cases[i].want);
        tlsrpt_free(out);
    }
    char *out = NULL;
    ck_assert_int_eq(tlsrpt_record_owner_name(&out, "b\xC3\xBC" "cher.example", NULL), TLSRPT_OK);
    ck_assert_str_eq(out, "_smtp._tls.xn--bcher-kva.example.");
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_record_owner_name(&out, "mail.example.com", "example.com"), TLSRPT_OK);
    ck_assert_str_eq(out, "_smtp._tls.mail");
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_record_owner_name(&out, "example.com", "example.com"), TLSRPT_OK);
    ck_assert_str_eq(out, "_smtp._tls");
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_record_owner_name(&out, "example.com", "example.org"), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(tlsrpt_record_owner_name(&out, NULL, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_owner_name(NULL, "example.com", NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_owner_name(&out, NULL, NULL), TLSRPT_EINVAL);
}
END_TEST

START_TEST(record_json)
{
    tlsrpt_record *r = parse_ok("v=TLSRPTv1;rua=mailto:a%2B@example.com,https://c.example.org/r,"
                                "mailto:x@mail.example.com;ext=1",
                                NULL);
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(tlsrpt_record_to_json(r, "example.com", 0, &out, &len), TLSRPT_OK);
    ck_assert_uint_eq(len, strlen(out));
    ck_assert_str_eq(out,
                     "{\"value\":\"v=TLSRPTv1; rua=mailto:a%2B@example.com,https://c.example.org/r,"
                     "mailto:x@mail.example.com; ext=1\",\"strings\":[\"v=TLSRPTv1; rua=mailto:a%2B@example.com,"
                     "https://c.example.org/r,mailto:x@mail.example.com; ext=1\"],\"rua\":["
                     "{\"uri\":\"mailto:a%2B@example.com\",\"scheme\":\"mailto\",\"mailbox\":\"a+"
                     "@example.com\",\"host\":\"example.com\",\"external\":false,\"authorization_name\":null},"
                     "{\"uri\":\"https://c.example.org/r\",\"scheme\":\"https\",\"mailbox\":null,\"host\":"
                     "\"c.example.org\",\"external\":true,\"authorization_name\":"
                     "\"example.com._report._tls.c.example.org.\"},"
                     "{\"uri\":\"mailto:x@mail.example.com\",\"scheme\":\"mailto\",\"mailbox\":\"x@mail.example.com\","
                     "\"host\":\"mail.example.com\",\"external\":false,\"authorization_name\":null}],"
                     "\"extensions\":[{\"name\":\"ext\",\"value\":\"1\"}]}");
    tlsrpt_free(out);
    /* without a policy domain "external" and "authorization_name" are null; pretty output ends in a newline */
    ck_assert_int_eq(tlsrpt_record_to_json(r, NULL, TLSRPT_JSON_PRETTY, &out, NULL), TLSRPT_OK);
    ck_assert_ptr_nonnull(strstr(out, "\n      \"external\": null,\n      \"authorization_name\": null\n"));
    ck_assert_uint_eq(out[strlen(out) - 1], '\n');
    tlsrpt_free(out);
    out = (char *)"junk";
    ck_assert_int_eq(tlsrpt_record_to_json(r, "exa mple", 0, &out, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tlsrpt_record_to_json(r, NULL, 2, &out, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_to_json(NULL, NULL, 0, &out, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_record_to_json(r, NULL, 0, NULL, NULL), TLSRPT_EINVAL);
    tlsrpt_record_free(r);
    tlsrpt_record_new(&r);
    ck_assert_int_eq(tlsrpt_record_to_json(r, NULL, 0, &out, NULL), TLSRPT_ESEMANTIC);
    tlsrpt_record_free(r);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("record");
    TCase *p = tcase_create("parse");
    tcase_add_test(p, rfc_examples);
    tcase_add_test(p, delimiters);
    tcase_add_test(p, space_before_first_semicolon);
    tcase_add_test(p, trailing_whitespace);
    tcase_add_test(p, version_errors);
    tcase_add_test(p, field_errors);
    tcase_add_test(p, embedded_nul);
    tcase_add_test(p, ext_name_edges);
    tcase_add_test(p, ext_value_edges);
    tcase_add_test(p, uri_offsets_are_absolute);
    tcase_add_test(p, repeated_rua_merged);
    tcase_add_test(p, extensions_kept_in_order);
    tcase_add_test(p, second_version_and_wrong_case);
    tcase_add_test(p, unsupported_schemes);
    tcase_add_test(p, record_length_limit);
    tcase_add_test(p, rua_count_limit);
    tcase_add_test(p, extension_count_limit);
    tcase_add_test(p, is_candidate);
    tcase_add_test(p, parse_bad_arguments);
    tcase_add_test(p, mutations_hold_the_contract);
    suite_add_tcase(s, p);
    TCase *b = tcase_create("build");
    tcase_add_test(b, builder);
    tcase_add_test(b, builder_rejects);
    tcase_add_test(b, builder_limits);
    tcase_add_test(b, round_trips);
    tcase_add_test(b, getters_and_dup);
    suite_add_tcase(s, b);
    TCase *z = tcase_create("zone");
    tcase_add_test(z, zone_line);
    tcase_add_test(z, zone_escapes);
    tcase_add_test(z, zone_splitting);
    suite_add_tcase(s, z);
    TCase *l = tcase_create("lint");
    tcase_add_test(l, lint_clean);
    tcase_add_test(l, lint_duplicates);
    tcase_add_test(l, lint_schemes_and_counts);
    tcase_add_test(l, lint_external_destinations);
    tcase_add_test(l, lint_long_record);
    tcase_add_test(l, lint_bad_arguments);
    tcase_add_test(l, lint_hints_and_messages);
    suite_add_tcase(s, l);
    TCase *h = tcase_create("checker");
    tcase_add_test(h, hints_for_pasted_mistakes);
    tcase_add_test(h, txt_strings);
    tcase_add_test(h, owner_names);
    tcase_add_test(h, record_json);
    suite_add_tcase(s, h);
    return s;
}
