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

Suite *make_suite(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, alabel_conversion);
    tcase_add_test(tc, alabel_rejections);
    tcase_add_test(tc, organizational_domains_follow_the_psl);
    suite_add_tcase(s, tc);
    return s;
}
