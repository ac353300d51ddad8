/* Domain names: validation, IDNA2008, organizational domains. SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"
#include "domain.h"

static void expect_alabel(const char *in, int underscore, const char *want)
{
    char *out = (char *)"unset";
    int rc = trpt_domain_to_alabel(in, underscore, &out);
    if (want) {
        ck_assert_msg(rc == TLSRPT_OK, "'%s': rc %d", in, rc);
        ck_assert_str_eq(out, want);
    } else {
        ck_assert_msg(rc == TLSRPT_EINVAL, "'%s' should be EINVAL, rc %d", in, rc);
        ck_assert_ptr_null(out);
    }
    free(out);
}

START_TEST(alabel_conversion)
{
    expect_alabel("Example.COM", 0, "example.com");
    expect_alabel("example.com.", 0, "example.com");
    expect_alabel("bücher.example", 0, "xn--bcher-kva.example");
    expect_alabel("XN--BCHER-KVA.example", 0, "xn--bcher-kva.example");
    /* IDNA2008 non-transitional: ß stays ß (xn--fa-hia), not "ss". */
    expect_alabel("faß.de", 0, "xn--fa-hia.de");
    expect_alabel("_smtp._tls.example.com", 1, "_smtp._tls.example.com");
    expect_alabel("localhost", 0, "localhost");
}
END_TEST

START_TEST(alabel_rejections)
{
    char label64[80], name254[300], name253[300];
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".com");
    expect_alabel(label64, 0, NULL);
    label64[1] = '.'; /* "a" + "." + 62 a's + ".com": fine */
    expect_alabel(label64, 0, label64);

    /* 253 octets is the longest name; 254 is one too many. */
    memset(name253, 0, sizeof name253);
    for (int i = 0; i < 4; i++) {
        memset(name253 + i * 64, 'a', 63);
        name253[i * 64 + 63] = '.';
    }
    name253[253] = '\0'; /* 4*64 = 256 chars; cut to 253: last label has 61 octets */
    ck_assert_uint_eq(strlen(name253), 253);
    expect_alabel(name253, 0, name253);
    strcpy(name254, name253);
    strcat(name254, "a");
    expect_alabel(name254, 0, NULL);

    expect_alabel("", 0, NULL);
    expect_alabel(".", 0, NULL);
    expect_alabel("a..b", 0, NULL);
    expect_alabel(".example.com", 0, NULL);
    expect_alabel("example.com..", 0, NULL);
    expect_alabel("exa mple.com", 0, NULL);
    expect_alabel("-bad.example", 0, NULL);
    expect_alabel("bad-.example", 0, NULL);
    expect_alabel("_smtp._tls.example.com", 0, NULL);
    expect_alabel("xn--invalid-punycode-\xff.com", 0, NULL);
    expect_alabel("a@b.example", 0, NULL);
    ck_assert_int_eq(trpt_domain_to_alabel(NULL, 0, NULL), TLSRPT_EINVAL);
}
END_TEST

static void expect_org(const char *in, const char *want)
{
    char *out = NULL;
    ck_assert_int_eq(trpt_org_domain(in, &out), TLSRPT_OK);
    ck_assert_str_eq(out, want);
    free(out);
}

START_TEST(organizational_domains_follow_the_psl)
{
    expect_org("mail.example.com", "example.com");
    expect_org("example.com", "example.com");
    expect_org("a.b.example.co.uk", "example.co.uk");
    expect_org("co.uk", "co.uk");
    /* Private-section suffixes count too: two github.io sites are different organizations. */
    expect_org("alice.github.io", "alice.github.io");
    ck_assert_int_eq(trpt_same_org_domain("alice.github.io", "bob.github.io"), 0);
    ck_assert_int_eq(trpt_same_org_domain("mx.example.co.uk", "reports.example.co.uk"), 1);
    ck_assert_int_eq(trpt_same_org_domain("example.co.uk", "other.co.uk"), 0);
    ck_assert_int_eq(trpt_same_org_domain("a.example.com", "EXAMPLE.com"), 1);
    ck_assert_int_eq(trpt_org_domain(NULL, NULL), TLSRPT_EINVAL);
}
END_TEST

/* tlsrpt_domain_check: the reason, as an id, with its offset; refusals agree with trpt_domain_to_alabel (one rule). */
static void expect_check(const char *in, const char *id, size_t offset)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    int rc = tlsrpt_domain_check(in, d);
    char *out = (char *)"unset";
    int conv = tlsrpt_domain_to_ascii(in, &out);
    if (!id) {
        ck_assert_msg(rc == TLSRPT_OK, "'%s' refused: %s", in, tlsrpt_diag_count(d) ? tlsrpt_diag_id(d, 0) : "-");
        ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
        ck_assert_int_eq(conv, TLSRPT_OK);
        tlsrpt_free(out);
    } else {
        ck_assert_msg(rc == TLSRPT_EINVAL, "'%s' accepted", in);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
        ck_assert_msg(strcmp(tlsrpt_diag_id(d, 0), id) == 0, "'%s': %s, want %s", in, tlsrpt_diag_id(d, 0), id);
        ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_ERROR);
        ck_assert_msg(tlsrpt_diag_offset(d, 0) == offset, "'%s': offset %zu, want %zu", in, tlsrpt_diag_offset(d, 0),
                      offset);
        ck_assert_str_eq(tlsrpt_diag_path(d, 0), "");
        ck_assert_int_eq(conv, TLSRPT_EINVAL);
        ck_assert_ptr_null(out);
        /* the internal rule every domain-taking function uses refuses it too */
        char *internal = NULL;
        ck_assert_int_eq(trpt_domain_to_alabel(in, 0, &internal), TLSRPT_EINVAL);
    }
    tlsrpt_diag_free(d);
}

START_TEST(domain_check_says_why)
{
    expect_check("example.com", NULL, 0);
    expect_check("B\xc3\xbc" "cher.Example.", NULL, 0);
    expect_check("xn--bcher-kva.example", NULL, 0);
    expect_check("localhost", NULL, 0);

    expect_check("", "domain-empty", 0);
    expect_check("_smtp._tls.example.com", "domain-record-name", 0);
    expect_check("_SMTP._TLS.example.com", "domain-record-name", 0);
    expect_check("_mta-sts.example.com", "domain-record-name", 0);
    expect_check("example.com._report._tls.rua.example", "domain-bad-character", 12);
    expect_check("postmaster@example.com", "domain-email-address", 10);
    expect_check("mailto:tlsrpt@example.com", "domain-url", 0);
    expect_check("https://example.com/", "domain-url", 0);
    expect_check("ftp://example.com", "domain-url", 0);
    expect_check("2001:db8::1", "domain-ip-address", 0);
    expect_check("[192.0.2.1]", "domain-ip-address", 0);
    expect_check("[IPv6:2001:db8::1]", "domain-ip-address", 0);
    expect_check("a..example", "domain-empty-label", 2);
    expect_check(".example", "domain-empty-label", 0);
    expect_check("..", "domain-empty-label", 0);
    expect_check("-a.example", "domain-label-hyphen", 0);
    expect_check("ab-.example", "domain-label-hyphen", 2);
    expect_check("exa mple.com", "domain-bad-character", 3);
    expect_check("example.com:25", "domain-bad-character", 11);
    expect_check("ex\xff.com", "domain-not-utf8", 2);
    expect_check("b\xc3\xbc" "cher..example", "domain-empty-label", 8);
    expect_check("b\xc3\xbc" "cher.bad_label.example", "domain-bad-character", 11);
    /* libidn2 converts "_\xc3\xbc" to an A-label holding '_': refused after conversion, where the A-label's
     * offsets are not the input's (fuzz_domain found an offset past the input's end). */
    expect_check("_\xc3\xbc", "domain-bad-character", TLSRPT_NO_OFFSET);
    expect_check("xn--invalid-punycode-.com", "domain-idna-invalid", TLSRPT_NO_OFFSET);
    expect_check("\xe2\x98\x83.example", "domain-idna-invalid", TLSRPT_NO_OFFSET); /* a symbol: not IDNA2008 */

    char label64[80], name254[300];
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".com");
    expect_check(label64, "domain-label-too-long", 0);
    strcpy(label64 + 63, ".com"); /* 63 octets: fine */
    expect_check(label64, NULL, 0);
    memset(name254, 0, sizeof name254);
    for (int i = 0; i < 4; i++) {
        memset(name254 + i * 64, 'a', 63);
        name254[i * 64 + 63] = '.';
    }
    name254[253] = '\0';
    expect_check(name254, NULL, 0); /* 253: the longest */
    strcat(name254, "a");
    expect_check(name254, "domain-too-long", TLSRPT_NO_OFFSET);
    char huge[2000];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    expect_check(huge, "domain-too-long", TLSRPT_NO_OFFSET); /* refused before any label work */

    /* A dotted-quad IPv4 address is made of valid labels: accepted as in 1.0, with a WARNING saying what it is. */
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_domain_check("192.0.2.1", d), TLSRPT_OK);
    ck_assert_diag(d, "domain-ip-address", TLSRPT_SEVERITY_WARNING, 0);
    ck_assert_int_eq(tlsrpt_domain_check(NULL, d), TLSRPT_EINVAL);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_int_eq(tlsrpt_domain_check("_smtp._tls.example.com", NULL), TLSRPT_EINVAL);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(domain_to_ascii_values)
{
    char *out = (char *)"unset";
    ck_assert_int_eq(tlsrpt_domain_to_ascii("Fa\xc3\x9f.DE.", &out), TLSRPT_OK);
    ck_assert_str_eq(out, "xn--fa-hia.de");
    tlsrpt_free(out);
    ck_assert_int_eq(tlsrpt_domain_to_ascii("MX.Example.NET", &out), TLSRPT_OK);
    ck_assert_str_eq(out, "mx.example.net");
    tlsrpt_free(out);
    out = (char *)"unset";
    ck_assert_int_eq(tlsrpt_domain_to_ascii(NULL, &out), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(tlsrpt_domain_to_ascii("example.com", NULL), TLSRPT_EINVAL);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, alabel_conversion);
    tcase_add_test(tc, alabel_rejections);
    tcase_add_test(tc, organizational_domains_follow_the_psl);
    tcase_add_test(tc, domain_check_says_why);
    tcase_add_test(tc, domain_to_ascii_values);
    suite_add_tcase(s, tc);
    return s;
}
