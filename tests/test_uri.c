/* Report destination URIs: RFC 3986 syntax, RFC 8460 encoding rules, mailto:, https:. SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "uri_internal.h"

/* Parses text that must succeed with the given scheme, mailbox and host; returns the URI. */
static tlsrpt_uri *expect_ok(const char *text, int scheme, const char *mailbox, const char *host)
{
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_uri *u = NULL;
    int rc = tlsrpt_uri_parse(&u, text, strlen(text), d);
    ck_assert_msg(rc == TLSRPT_OK, "'%s': rc %d, %s", text, rc,
                  tlsrpt_diag_count(d) ? tlsrpt_diag_message(d, 0) : "no diagnostic");
    ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 0);
    ck_assert_int_eq(tlsrpt_uri_scheme(u), scheme);
    ck_assert_str_eq(tlsrpt_uri_string(u), text);
    if (mailbox)
        ck_assert_str_eq(tlsrpt_uri_mailbox(u), mailbox);
    else
        ck_assert_ptr_null(tlsrpt_uri_mailbox(u));
    if (host)
        ck_assert_str_eq(tlsrpt_uri_host(u), host);
    else
        ck_assert_ptr_null(tlsrpt_uri_host(u));
    tlsrpt_diag_free(d);
    return u;
}

static void expect_ok_free(const char *text, int scheme, const char *mailbox, const char *host)
{
    tlsrpt_uri_free(expect_ok(text, scheme, mailbox, host));
}

/* Parses len bytes that must fail with rc and exactly one ERROR, with this id at this offset. */
static void expect_err_n(const char *text, size_t len, int want_rc, const char *id, size_t offset)
{
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_uri *u = (tlsrpt_uri *)d; /* any non-NULL value: must be reset */
    int rc = tlsrpt_uri_parse(&u, text, len, d);
    ck_assert_msg(rc == want_rc, "'%.*s': rc %d, want %d", (int)len, text, rc, want_rc);
    ck_assert_ptr_null(u);
    ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 1);
    ck_assert_diag(d, id, TLSRPT_SEVERITY_ERROR, offset);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, (size_t)diag_find(d, id)), "."));
    tlsrpt_diag_free(d);
    /* The same input without a diagnostics list fails the same way. */
    u = (tlsrpt_uri *)&rc;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, text, len, NULL), want_rc);
    ck_assert_ptr_null(u);
}

static void expect_err(const char *text, const char *id, size_t offset)
{
    expect_err_n(text, strlen(text), TLSRPT_ESYNTAX, id, offset);
}

START_TEST(mailto_basic)
{
    expect_ok_free("mailto:tlsrpt@example.com", TLSRPT_URI_MAILTO, "tlsrpt@example.com", "example.com");
    /* The scheme is case-insensitive; the string is kept as written, the host lower-cased. */
    expect_ok_free("MAILTO:Reports@Example.COM", TLSRPT_URI_MAILTO, "Reports@Example.COM", "example.com");
    expect_ok_free("MailTo:a@b.example", TLSRPT_URI_MAILTO, "a@b.example", "b.example");
    /* Percent-decoded exactly once. */
    expect_ok_free("mailto:t%2Bls@x.example", TLSRPT_URI_MAILTO, "t+ls@x.example", "x.example");
    expect_ok_free("mailto:a%2540@x.example", TLSRPT_URI_MAILTO, "a%40@x.example", "x.example");
    expect_ok_free("mailto:a%21b@x.example", TLSRPT_URI_MAILTO, "a!b@x.example", "x.example");
}
END_TEST

START_TEST(mailto_forms)
{
    /* A quoted local part may hold what a dot-atom cannot. */
    expect_ok_free("mailto:%22a%20b%22@x.example", TLSRPT_URI_MAILTO, "\"a b\"@x.example", "x.example");
    expect_ok_free("mailto:%22a%2Cb%3Bc%40d%22@x.example", TLSRPT_URI_MAILTO, "\"a,b;c@d\"@x.example", "x.example");
    expect_ok_free("mailto:%22a%5C%22b%22@x.example", TLSRPT_URI_MAILTO, "\"a\\\"b\"@x.example", "x.example");
    /* Every atext character but the ones RFC 6068/8460 require encoded. */
    expect_ok_free("mailto:a.b-c_d~e$f'g*h+i@x.example", TLSRPT_URI_MAILTO, "a.b-c_d~e$f'g*h+i@x.example",
                   "x.example");
    expect_ok_free("mailto:a%5Ej%60k%7Bl%7Cm%7Dn@x.example", TLSRPT_URI_MAILTO, "a^j`k{l|m}n@x.example",
                   "x.example");
    expect_err("mailto:a^b@x.example", "uri-syntax", 8);
    expect_ok_free("mailto:a%21b%23c%2Fd%3De%3Ff%26g@x.example", TLSRPT_URI_MAILTO, "a!b#c/d=e?f&g@x.example",
                   "x.example");
    /* IDN domain, percent-encoded UTF-8 (RFC 6068 §2) or A-labels: the host is always A-labels. */
    expect_ok_free("mailto:a@b%C3%BCcher.example", TLSRPT_URI_MAILTO, "a@bücher.example", "xn--bcher-kva.example");
    expect_ok_free("mailto:a@XN--BCHER-KVA.example", TLSRPT_URI_MAILTO, "a@XN--BCHER-KVA.example",
                   "xn--bcher-kva.example");
    expect_ok_free("mailto:a@example.com.", TLSRPT_URI_MAILTO, "a@example.com.", "example.com");
}
END_TEST

START_TEST(mailto_hfields_info)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, TEXT("mailto:a@x.example?subject=TLS%20report&cc=b@y.example"), d),
                     TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_uri_mailbox(u), "a@x.example");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "mailto-hfields-ignored", TLSRPT_SEVERITY_INFO, 18);
    tlsrpt_uri_free(u);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(mailto_errors)
{
    expect_err("mailto:", "mailto-no-address", 7);
    expect_err("mailto:?to=a@x.example", "mailto-no-address", 7);
    expect_err("mailto:a@x.example#frag", "mailto-fragment", 18);
    expect_err("mailto:a/b@x.example", "mailto-char-not-encoded", 8);
    expect_err("mailto:a=b@x.example", "mailto-char-not-encoded", 8);
    expect_err("mailto:a&b@x.example", "mailto-char-not-encoded", 8);
    expect_err("mailto://a@x.example", "mailto-char-not-encoded", 7);
    /* RFC 6068 separates several addresses with ','; RFC 8460 needs it encoded, and one address is one URI. */
    expect_err("mailto:a@x.example%2Cb@y.example", "mailto-multiple-addresses", 18);
    expect_err("mailto:a%2Cb@y.example", "mailto-multiple-addresses", 8);
    expect_err("mailto:a..b@x.example", "mailto-bad-address", 9);
    expect_err("mailto:.a@x.example", "mailto-bad-address", 7);
    expect_err("mailto:a.@x.example", "mailto-bad-address", 8);
    expect_err("mailto:@x.example", "mailto-bad-address", 7);
    expect_err("mailto:ab", "mailto-bad-address", 9);
    expect_err("mailto:a%00b@x.example", "mailto-bad-address", 8);
    expect_err("mailto:a%20b@x.example", "mailto-bad-address", 8);
    expect_err("mailto:a%C3%A9@x.example", "mailto-bad-address", 8);
    expect_err("mailto:%22ab@x.example", "mailto-bad-address", 22);
    expect_err("mailto:%22%22@x.example", "mailto-bad-address", 10);
    expect_err("mailto:%22a%0Ab%22@x.example", "mailto-bad-address", 11);
    expect_err("mailto:%22a%5C%0A%22@x.example", "mailto-bad-address", 14);
    expect_err("mailto:a@", "mailto-bad-domain", 9);
    expect_err("mailto:a@%5B192.0.2.1%5D", "mailto-bad-domain", 9);
    expect_err("mailto:a@-x.example", "mailto-bad-domain", 9);
    expect_err("mailto:a@x..example", "mailto-bad-domain", 9);
    expect_err("mailto:a@x_y.example", "mailto-bad-domain", 9);
    expect_err("mailto:a@x.example%22", "mailto-bad-domain", 18);
    expect_err("mailto:a@b@x.example", "mailto-bad-domain", 10);
}
END_TEST

START_TEST(https_and_other_schemes)
{
    expect_ok_free("https://reporting.example.com/v1/tlsrpt", TLSRPT_URI_HTTPS, NULL, "reporting.example.com");
    expect_ok_free("HTTPS://Reports.Example.NET:8443/x/y%3B", TLSRPT_URI_HTTPS, NULL, "reports.example.net");
}
END_TEST

START_TEST(https_hosts)
{
    expect_ok_free("HTTPS://Reports.Example.NET:8443/x?q=1&r=%2C#frag", TLSRPT_URI_HTTPS, NULL,
                   "reports.example.net");
    expect_ok_free("https://user:pw@x.example", TLSRPT_URI_HTTPS, NULL, "x.example");
    expect_ok_free("https://192.0.2.1/r", TLSRPT_URI_HTTPS, NULL, "192.0.2.1");
    expect_ok_free("https://[2001:DB8::1]:443/r", TLSRPT_URI_HTTPS, NULL, "[2001:db8::1]");
    expect_ok_free("https://[::ffff:192.0.2.1]/", TLSRPT_URI_HTTPS, NULL, "[::ffff:192.0.2.1]");
    expect_ok_free("https://[v1F.a:b$]/", TLSRPT_URI_HTTPS, NULL, "[v1f.a:b$]");
    expect_ok_free("https://ex%41mple.COM/", TLSRPT_URI_HTTPS, NULL, "example.com");
    expect_ok_free("https://b%C3%BCcher.example/", TLSRPT_URI_HTTPS, NULL, "xn--bcher-kva.example");
    /* A reg-name that is no DNS name is kept, lower-cased, as written. */
    expect_ok_free("https://A$B/", TLSRPT_URI_HTTPS, NULL, "a$b");
    expect_ok_free("https://a%00b/", TLSRPT_URI_HTTPS, NULL, "a%00b");
    expect_ok_free("https://x.example:/", TLSRPT_URI_HTTPS, NULL, "x.example");
    expect_ok_free("https://x.example", TLSRPT_URI_HTTPS, NULL, "x.example");
    expect_err("https:///path", "https-no-host", 8);
    expect_err("https://:443/", "https-no-host", 8);
    expect_err("https:x.example/r", "https-no-host", 6);
    expect_err("https:", "https-no-host", 6);
    expect_err("https://[zz]/", "uri-bad-ip-literal", 8);
    expect_err("https://[2001:db8::1/", "uri-bad-ip-literal", 8);
    expect_err("https://[]/", "uri-bad-ip-literal", 8);
    expect_err("https://[v1.]/", "uri-bad-ip-literal", 8);
    expect_err("https://[v.x]/", "uri-bad-ip-literal", 8);
    expect_err("https://[2001:db8::1%25eth0]/", "uri-bad-ip-literal", 8);
    /* A NUL inside the brackets must not end the address early (found by fuzz_uri: inet_pton saw "::ffff:192"). */
    expect_err_n("https://[::ffff:192\0\x1b.2.1]/", 27, TLSRPT_ESYNTAX, "uri-bad-ip-literal", 8);
    expect_err_n("https://[::1\0]/", 15, TLSRPT_ESYNTAX, "uri-bad-ip-literal", 8);
    expect_err("https://x.example:80a/", "uri-syntax", 20);
    expect_err("https://u[@x.example/", "uri-syntax", 9);
    expect_err("https://x.ex[ample/", "uri-syntax", 12);
    expect_err("https://[::1]x/", "uri-syntax", 13);
}
END_TEST

START_TEST(other_schemes)
{
    expect_ok_free("http://reports.example.com/tlsrpt", TLSRPT_URI_OTHER, NULL, "reports.example.com");
    expect_ok_free("ftp://FTP.Example.com/in", TLSRPT_URI_OTHER, NULL, "ftp.example.com");
    expect_ok_free("urn:isbn:0451450523", TLSRPT_URI_OTHER, NULL, NULL);
    expect_ok_free("file:///var/tlsrpt", TLSRPT_URI_OTHER, NULL, NULL);
    expect_ok_free("x-y.z+1:", TLSRPT_URI_OTHER, NULL, NULL);
    expect_ok_free("news:/a/b?c/d?#e/f?", TLSRPT_URI_OTHER, NULL, NULL);
}
END_TEST

START_TEST(generic_syntax_errors)
{
    expect_err("", "uri-empty", 0);
    expect_err("reports@example.com", "uri-no-scheme", 0);
    expect_err("example.com/path:x", "uri-no-scheme", 0);
    expect_err("1https://x.example/", "uri-syntax", 0);
    expect_err(":x", "uri-syntax", 0);
    expect_err("ht_tps://x.example/", "uri-syntax", 2);
    expect_err("ma ilto:a@x.example", "uri-invalid-char", 2);
    expect_err("mailto:a b@x.example", "uri-invalid-char", 8);
    expect_err("mailto:a@x.example\t", "uri-invalid-char", 18);
    expect_err("https://x.example/\x7f", "uri-invalid-char", 18);
    expect_err("https://x.example/\xc3\xa9", "uri-invalid-char", 18);
    expect_err("https://x.example/\r\n", "uri-invalid-char", 18);
    expect_err_n("https://x.example/a\0b", 21, TLSRPT_ESYNTAX, "uri-invalid-char", 19);
    /* RFC 8460: ',' '!' ';' must be percent-encoded wherever they are. */
    expect_err("mailto:a@x.example,b@y.example", "uri-unencoded-delimiter", 18);
    expect_err("mailto:a@x.example!10m", "uri-unencoded-delimiter", 18);
    expect_err("https://x.example/a;b", "uri-unencoded-delimiter", 19);
    expect_err("https://x.example/?a=b,c", "uri-unencoded-delimiter", 22);
    expect_err("https://x!y.example/", "uri-unencoded-delimiter", 9);
    expect_err("https://u;p@x.example/", "uri-unencoded-delimiter", 9);
    expect_err("https://x.example/#a!", "uri-unencoded-delimiter", 20);
    /* pct-encoded = "%" HEXDIG HEXDIG */
    expect_err("https://x.example/%4", "uri-bad-percent", 18);
    expect_err("https://x.example/%", "uri-bad-percent", 18);
    expect_err("https://x.example/%G1", "uri-bad-percent", 18);
    expect_err("https://x.example/%1g", "uri-bad-percent", 18);
    expect_err("https://x%2.example/", "uri-bad-percent", 9);
    expect_err("https://x.example/?%zz", "uri-bad-percent", 19);
    expect_err("https://x.example/#%", "uri-bad-percent", 19);
    expect_err("mailto:a%4@x.example", "uri-bad-percent", 8);
    expect_err("https://x.example/a[b", "uri-syntax", 19);
    expect_err("https://x.example/a\"b", "uri-syntax", 19);
    expect_err("https://x.example/a<b>", "uri-syntax", 19);
    expect_err("https://x.example/#a#b", "uri-syntax", 20);
    expect_err("https://x.example/a\\b", "uri-syntax", 19);
    expect_ok_free("https://x.example/%41%7e%7E?%2C", TLSRPT_URI_HTTPS, NULL, "x.example");
}
END_TEST

START_TEST(uri_length_limit)
{
    char *buf = malloc(TLSRPT_MAX_URI_LENGTH + 2);
    memset(buf, 'a', TLSRPT_MAX_URI_LENGTH + 1);
    memcpy(buf, "https://x.example/", 18);
    buf[TLSRPT_MAX_URI_LENGTH] = '\0';
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, buf, TLSRPT_MAX_URI_LENGTH, NULL), TLSRPT_OK);
    ck_assert_uint_eq(strlen(tlsrpt_uri_string(u)), TLSRPT_MAX_URI_LENGTH);
    tlsrpt_uri_free(u);
    expect_err_n(buf, TLSRPT_MAX_URI_LENGTH + 1, TLSRPT_ELIMIT, "uri-too-long", TLSRPT_MAX_URI_LENGTH);
    free(buf);
}
END_TEST

START_TEST(bad_arguments)
{
    tlsrpt_uri *u = (tlsrpt_uri *)&u;
    ck_assert_int_eq(tlsrpt_uri_parse(NULL, TEXT("mailto:a@x.example"), NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_uri_parse(&u, NULL, 3, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(u);
    expect_err_n(NULL, 0, TLSRPT_ESYNTAX, "uri-empty", 0);
    ck_assert_int_eq(tlsrpt_uri_scheme(NULL), TLSRPT_URI_OTHER);
    ck_assert_ptr_null(tlsrpt_uri_string(NULL));
    ck_assert_ptr_null(tlsrpt_uri_mailbox(NULL));
    ck_assert_ptr_null(tlsrpt_uri_host(NULL));
    ck_assert_int_eq(tlsrpt_uri_dup(NULL, NULL), TLSRPT_EINVAL);
    u = (tlsrpt_uri *)&u;
    ck_assert_int_eq(tlsrpt_uri_dup(&u, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(u);
    tlsrpt_uri_free(NULL);
    ck_assert_int_eq(tlsrpt_uri_new_mailto(NULL, "a@x.example"), TLSRPT_EINVAL);
    u = (tlsrpt_uri *)&u;
    ck_assert_int_eq(tlsrpt_uri_new_mailto(&u, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(u);
}
END_TEST

START_TEST(dup_is_deep)
{
    tlsrpt_uri *u = expect_ok("mailto:a%2Bb@X.example?subject=x", TLSRPT_URI_MAILTO, "a+b@X.example", "x.example");
    tlsrpt_uri *c = NULL;
    ck_assert_int_eq(tlsrpt_uri_dup(&c, u), TLSRPT_OK);
    tlsrpt_uri_free(u);
    ck_assert_int_eq(tlsrpt_uri_scheme(c), TLSRPT_URI_MAILTO);
    ck_assert_str_eq(tlsrpt_uri_string(c), "mailto:a%2Bb@X.example?subject=x");
    ck_assert_str_eq(tlsrpt_uri_mailbox(c), "a+b@X.example");
    ck_assert_str_eq(tlsrpt_uri_host(c), "x.example");
    tlsrpt_uri_free(c);
    u = expect_ok("urn:x", TLSRPT_URI_OTHER, NULL, NULL);
    ck_assert_int_eq(tlsrpt_uri_dup(&c, u), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_uri_string(c), "urn:x");
    ck_assert_ptr_null(tlsrpt_uri_host(c));
    ck_assert_ptr_null(tlsrpt_uri_mailbox(c));
    tlsrpt_uri_free(u);
    tlsrpt_uri_free(c);
}
END_TEST

/* new_mailto(address) gives want; parsing want gives back the address as mailbox. */
static void expect_mailto(const char *address, const char *want, const char *host)
{
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_new_mailto(&u, address), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_uri_scheme(u), TLSRPT_URI_MAILTO);
    ck_assert_str_eq(tlsrpt_uri_string(u), want);
    ck_assert_str_eq(tlsrpt_uri_mailbox(u), address);
    ck_assert_str_eq(tlsrpt_uri_host(u), host);
    tlsrpt_uri_free(u);
    tlsrpt_uri_free(expect_ok(want, TLSRPT_URI_MAILTO, address, host));
}

START_TEST(new_mailto_encodes)
{
    expect_mailto("tlsrpt@example.com", "mailto:tlsrpt@example.com", "example.com");
    expect_mailto("tls+rpt.x_y-z~@Example.COM", "mailto:tls+rpt.x_y-z~@Example.COM", "example.com");
    expect_mailto("a!b@x.example", "mailto:a%21b@x.example", "x.example");
    expect_mailto("a%b@x.example", "mailto:a%25b@x.example", "x.example");
    expect_mailto("a/b=c&d?e#f@x.example", "mailto:a%2Fb%3Dc%26d%3Fe%23f@x.example", "x.example");
    expect_mailto("a{b}c|d^e`f@x.example", "mailto:a%7Bb%7Dc%7Cd%5Ee%60f@x.example", "x.example");
    expect_mailto("$'*+@x.example", "mailto:$'*+@x.example", "x.example");
    expect_mailto("\"a,b;c@d e\"@x.example", "mailto:%22a%2Cb%3Bc%40d%20e%22@x.example", "x.example");
    expect_mailto("\"a\\\"b\"@x.example", "mailto:%22a%5C%22b%22@x.example", "x.example");
    expect_mailto("user@bücher.example", "mailto:user@b%C3%BCcher.example", "xn--bcher-kva.example");
}
END_TEST

START_TEST(new_mailto_rejects)
{
    static const char *bad[] = {"", "noat", "a@", "@x.example", "a b@x.example", "a@b@x.example",
                                "a@[192.0.2.1]", "a,b@x.example", "a@x.example,b@y.example", "a..b@x.example",
                                "mailto:a@x.example", "a@-x.example", "\"a@x.example", "é@x.example",
                                "a@x.example\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tlsrpt_uri *u = (tlsrpt_uri *)&u;
        ck_assert_msg(tlsrpt_uri_new_mailto(&u, bad[i]) == TLSRPT_EINVAL, "'%s' accepted", bad[i]);
        ck_assert_ptr_null(u);
    }
}
END_TEST

START_TEST(offsets_with_base)
{
    /* The internal parser adds a base offset, so the record parser reports positions in the record. */
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(trpt_uri_parse_at(&u, TEXT("mailto:a@x.example!"), 100, d), TLSRPT_ESYNTAX);
    ck_assert_diag(d, "uri-unencoded-delimiter", TLSRPT_SEVERITY_ERROR, 118);
    ck_assert_int_eq(trpt_uri_parse_at(&u, TEXT("mailto:a%2Cb@x.example"), 50, d), TLSRPT_ESYNTAX);
    ck_assert_diag(d, "mailto-multiple-addresses", TLSRPT_SEVERITY_ERROR, 58);
    ck_assert_ptr_null(u);
    tlsrpt_diag_free(d);
    ck_assert_int_eq(trpt_uri_has_scheme(TEXT("mailto:x")), 1);
    ck_assert_int_eq(trpt_uri_has_scheme(TEXT("a+b-c.d:")), 1);
    ck_assert_int_eq(trpt_uri_has_scheme(TEXT("a@b.example")), 0);
    ck_assert_int_eq(trpt_uri_has_scheme(TEXT("1a:")), 0);
    ck_assert_int_eq(trpt_uri_has_scheme(TEXT("mailto")), 0);
    ck_assert_int_eq(trpt_uri_has_scheme(NULL, 0), 0);
}
END_TEST

START_TEST(identity_keys)
{
    const char *same[][2] = {
        {"mailto:a@X.example", "MAILTO:a@x.EXAMPLE"},
        {"mailto:a%2Bb@x.example", "mailto:a+b@x.example"},
        {"mailto:a@b%C3%BCcher.example", "mailto:a@xn--bcher-kva.example"},
        {"https://X.Example/p", "HTTPS://x.example/p"},
    };
    const char *differ[][2] = {
        {"mailto:A@x.example", "mailto:a@x.example"},
        {"https://x.example/P", "https://x.example/p"},
        {"https://x.example:8443/p", "https://x.example/p"},
        {"mailto:a@x.example", "https://x.example/"},
    };
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < 4; i++) {
            const char *a = k ? differ[i][0] : same[i][0], *b = k ? differ[i][1] : same[i][1];
            tlsrpt_uri *ua = NULL, *ub = NULL;
            ck_assert_int_eq(tlsrpt_uri_parse(&ua, a, strlen(a), NULL), TLSRPT_OK);
            ck_assert_int_eq(tlsrpt_uri_parse(&ub, b, strlen(b), NULL), TLSRPT_OK);
            char *ka = trpt_uri_identity_key(ua), *kb = trpt_uri_identity_key(ub);
            ck_assert_msg((strcmp(ka, kb) == 0) == (k == 0), "%s vs %s", a, b);
            free(ka);
            free(kb);
            tlsrpt_uri_free(ua);
            tlsrpt_uri_free(ub);
        }
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("uri");
    TCase *tc = tcase_create("uri");
    tcase_add_test(tc, mailto_basic);
    tcase_add_test(tc, mailto_forms);
    tcase_add_test(tc, mailto_hfields_info);
    tcase_add_test(tc, mailto_errors);
    tcase_add_test(tc, https_and_other_schemes);
    tcase_add_test(tc, https_hosts);
    tcase_add_test(tc, other_schemes);
    tcase_add_test(tc, generic_syntax_errors);
    tcase_add_test(tc, uri_length_limit);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, dup_is_deep);
    tcase_add_test(tc, new_mailto_encodes);
    tcase_add_test(tc, new_mailto_rejects);
    tcase_add_test(tc, offsets_with_base);
    tcase_add_test(tc, identity_keys);
    suite_add_tcase(s, tc);
    return s;
}
