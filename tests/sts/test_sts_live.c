/* MTA-STS discovery against real servers: tlsrpt_sts_lookup with NSD on 127.0.0.1 (run_with_nsd.py, serving
 * tests/sts/zones) and a local HTTPS server with a test CA made by the openssl CLI (run_with_https.py). Public API
 * only, linked against the shared library. SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static uint16_t env_port(const char *name)
{
    const char *p = getenv(name);
    ck_assert_msg(p && atoi(p) > 0 && atoi(p) < 65536, "%s is not set: run through run_with_nsd.py and "
                  "run_with_https.py", name);
    return (uint16_t)atoi(p);
}

/* A resolver that asks only NSD and fetches only from the local HTTPS server, trusting only the test CA. */
static tlsrpt_resolver *test_resolver(void)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "127.0.0.1", env_port("TLSRPT_TEST_NSD_PORT")), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 3000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "", "127.0.0.1", env_port("TLSRPT_TEST_HTTPS_PORT")),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_ca_file(res, getenv("TLSRPT_TEST_CA_FILE")), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_timeout(res, 5000), TLSRPT_OK);
    return res;
}

static size_t errors(const tlsrpt_diag *d)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        n += tlsrpt_diag_severity(d, i) == TLSRPT_SEVERITY_ERROR;
    return n;
}

static tlsrpt_sts_lookup_result *lookup_with(tlsrpt_resolver *res, const char *domain, unsigned int flags, int want)
{
    tlsrpt_sts_lookup_result *r = NULL;
    int rc = tlsrpt_sts_lookup(res, domain, flags, &r);
    ck_assert_msg(rc == want, "%s: rc %d (%s), want %d", domain, rc, tlsrpt_status_string(rc), want);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_status(r), want);
    if (want == TLSRPT_OK)
        ck_assert_uint_eq(errors(tlsrpt_sts_lookup_result_diag(r)), 0);
    else
        ck_assert_uint_gt(errors(tlsrpt_sts_lookup_result_diag(r)), 0);
    return r;
}

static tlsrpt_sts_lookup_result *lookup(const char *domain, int want)
{
    tlsrpt_resolver *res = test_resolver();
    tlsrpt_sts_lookup_result *r = lookup_with(res, domain, 0, want);
    tlsrpt_resolver_free(res);
    return r;
}

static void assert_fetch(const tlsrpt_sts_lookup_result *r, int fetch, int http_status, const char *result_type)
{
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), fetch);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_http_status(r), http_status);
    if (result_type)
        ck_assert_pstr_eq(tlsrpt_sts_lookup_result_result_type(r), result_type);
    else
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_result_type(r));
}

/* Whether the HTTPS server received a request for this host. */
static int server_saw(const char *host)
{
    FILE *f = fopen(getenv("TLSRPT_TEST_HTTPS_LOG"), "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    int seen = 0;
    size_t n = strlen(host);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, host, n) == 0 && line[n] == ' ')
            seen = 1;
    fclose(f);
    return seen;
}

START_TEST(valid_policy)
{
    tlsrpt_sts_lookup_result *r = lookup("valid.sts.test", TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_domain(r), "valid.sts.test");
    ck_assert_str_eq(tlsrpt_sts_lookup_result_txt_qname(r), "_mta-sts.valid.sts.test.");
    ck_assert_int_eq(tlsrpt_sts_lookup_result_txt_status(r), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_txt_count(r), 1);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_txt(r, 0), "v=STSv1; id=20240701T000000;");
    ck_assert_str_eq(tlsrpt_sts_record_id(tlsrpt_sts_lookup_result_record(r)), "20240701T000000");
    ck_assert_str_eq(tlsrpt_sts_lookup_result_url(r), "https://mta-sts.valid.sts.test/.well-known/mta-sts.txt");
    assert_fetch(r, TLSRPT_STS_FETCH_OK, 200, NULL);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_content_type(r), "text/plain");
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_body_length(r), strlen(tlsrpt_sts_lookup_result_body(r)));
    const tlsrpt_sts_policy *p = tlsrpt_sts_lookup_result_policy(r);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(tlsrpt_sts_policy_mode(p), TLSRPT_STS_MODE_ENFORCE);
    ck_assert_uint_eq(tlsrpt_sts_policy_max_age(p), 604800);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(p), 2);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "mail.valid.sts.test"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "a.mx.valid.sts.test"), 1);
    ck_assert_int_eq(tlsrpt_sts_policy_matches(p, "backup.elsewhere.test"), 0);
    tlsrpt_sts_lookup_result_free(r);

    /* Through a CNAME: the policy host is still mta-sts.<the domain asked for>. */
    r = lookup("cname.sts.test", TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_url(r), "https://mta-sts.cname.sts.test/.well-known/mta-sts.txt");
    ck_assert_str_eq(tlsrpt_sts_lookup_result_txt(r, 0), "v=STSv1; id=20240701T000000;");
    tlsrpt_sts_lookup_result_free(r);

    /* LF lines, a charset parameter, U-labels asked for (none here: ASCII only), trailing dot. */
    r = lookup("testing.sts.test.", TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_policy_mode(tlsrpt_sts_lookup_result_policy(r)), TLSRPT_STS_MODE_TESTING);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_content_type(r), "text/plain; charset=utf-8");
    tlsrpt_sts_lookup_result_free(r);

    /* Chunked transfer encoding is HTTP/1.1's, not an error. */
    r = lookup("chunked.sts.test", TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_sts_policy_mx_count(tlsrpt_sts_lookup_result_policy(r)), 2);
    tlsrpt_sts_lookup_result_free(r);
}
END_TEST

START_TEST(txt_stage)
{
    /* No MTA-STS: nothing is fetched and nothing is reportable. */
    struct {
        const char *domain;
        int status;
        size_t txt;
        const char *id;
    } cases[] = {
        {"two.sts.test", TLSRPT_EMULTIPLE, 2, "sts-dns-multiple-records"},
        {"malformed.sts.test", TLSRPT_ESYNTAX, 1, "sts-dns-record-invalid"},
        {"other.sts.test", TLSRPT_ENOTFOUND, 1, "sts-dns-no-record"},
        {"nodata.sts.test", TLSRPT_ENOTFOUND, 0, "sts-dns-no-data"},
        {"absent.sts.test", TLSRPT_ENOTFOUND, 0, "sts-dns-nxdomain"},
        {"loop.sts.test", TLSRPT_ENOTFOUND, 0, "dns-cname-loop"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tlsrpt_sts_lookup_result *r = lookup(cases[i].domain, cases[i].status);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_txt_status(r), cases[i].status);
        ck_assert_uint_eq(tlsrpt_sts_lookup_result_txt_count(r), cases[i].txt);
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_record(r));
        ck_assert_msg(diag_find(tlsrpt_sts_lookup_result_diag(r), cases[i].id) >= 0, "%s: no %s", cases[i].domain,
                      cases[i].id);
        assert_fetch(r, TLSRPT_STS_FETCH_NONE, 0, NULL);
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_policy(r));
        tlsrpt_sts_lookup_result_free(r);
    }
    /* Other TXT records beside the one record are ignored; strings of one RR are joined without spaces. */
    tlsrpt_resolver *res = test_resolver();
    tlsrpt_sts_lookup_result *r = lookup_with(res, "mixed.sts.test", TLSRPT_STS_LOOKUP_TXT_ONLY, TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_txt_count(r), 2);
    ck_assert_str_eq(tlsrpt_sts_record_id(tlsrpt_sts_lookup_result_record(r)), "split1");
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-dns-txt-not-sts") >= 0);
    assert_fetch(r, TLSRPT_STS_FETCH_NONE, 0, NULL);
    tlsrpt_sts_lookup_result_free(r);
    /* A checker may fetch anyway (the test server has no certificate for mta-sts.two.sts.test); what a sender does
     * is unchanged: no MTA-STS, nothing to report. */
    r = lookup_with(res, "two.sts.test", TLSRPT_STS_LOOKUP_FETCH_ALWAYS, TLSRPT_EMULTIPLE);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_CERTIFICATE);
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-certificate") >= 0);
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_result_type(r));
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(http_answers)
{
    /* 3xx: never followed (the server's log shows no request for the target), a fetch error. */
    tlsrpt_sts_lookup_result *r = lookup("redirect.sts.test", TLSRPT_ESEMANTIC);
    assert_fetch(r, TLSRPT_STS_FETCH_OK, 301, "sts-policy-fetch-error");
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-redirect") >= 0);
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_policy(r));
    ck_assert(server_saw("mta-sts.redirect.sts.test"));
    ck_assert(!server_saw("mta-sts.redirected.sts.test"));
    tlsrpt_sts_lookup_result_free(r);

    r = lookup("notfound.sts.test", TLSRPT_ESEMANTIC);
    assert_fetch(r, TLSRPT_STS_FETCH_OK, 404, "sts-policy-fetch-error");
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-status") >= 0);
    tlsrpt_sts_lookup_result_free(r);

    /* A valid body as text/html: parsed for the checker, but not applied by a sender. */
    r = lookup("html.sts.test", TLSRPT_ESEMANTIC);
    assert_fetch(r, TLSRPT_STS_FETCH_OK, 200, "sts-policy-invalid");
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-media-type") >= 0);
    ck_assert_ptr_nonnull(tlsrpt_sts_lookup_result_policy(r));
    tlsrpt_sts_lookup_result_free(r);

    /* text/plain with another charset: a warning only. */
    r = lookup("charset.sts.test", TLSRPT_OK);
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-media-type-charset") >= 0);
    tlsrpt_sts_lookup_result_free(r);

    r = lookup("invalid.sts.test", TLSRPT_ESYNTAX);
    assert_fetch(r, TLSRPT_STS_FETCH_OK, 200, "sts-policy-invalid");
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_policy(r));
    tlsrpt_sts_lookup_result_free(r);

    /* Over 64 KiB, chunked (the cap while receiving) and with a Content-Length (refused before the body). */
    const char *huge[] = {"huge.sts.test", "hugecl.sts.test"};
    for (size_t i = 0; i < 2; i++) {
        r = lookup(huge[i], TLSRPT_ELIMIT);
        assert_fetch(r, TLSRPT_STS_FETCH_TOO_LARGE, 0, "sts-policy-fetch-error");
        ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-too-large") >= 0);
        ck_assert_uint_le(tlsrpt_sts_lookup_result_body_length(r), TLSRPT_MAX_STS_POLICY_SIZE);
        tlsrpt_sts_lookup_result_free(r);
    }
}
END_TEST

START_TEST(certificates)
{
    const char *bad[] = {"expired.sts.test", "wrongname.sts.test", "untrusted.sts.test"};
    for (size_t i = 0; i < 3; i++) {
        tlsrpt_sts_lookup_result *r = lookup(bad[i], TLSRPT_ETEMPFAIL);
        assert_fetch(r, TLSRPT_STS_FETCH_CERTIFICATE, 0, "sts-webpki-invalid");
        ck_assert_msg(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-certificate") >= 0, "%s", bad[i]);
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_policy(r));
        tlsrpt_sts_lookup_result_free(r);
    }
    /* Without the test CA, the system's trust store does not know it: the valid host fails verification too. */
    tlsrpt_resolver *res = test_resolver();
    ck_assert_int_eq(tlsrpt_resolver_set_https_ca_file(res, NULL), TLSRPT_OK);
    tlsrpt_sts_lookup_result *r = lookup_with(res, "valid.sts.test", 0, TLSRPT_ETEMPFAIL);
    assert_fetch(r, TLSRPT_STS_FETCH_CERTIFICATE, 0, "sts-webpki-invalid");
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(connection_failures)
{
    tlsrpt_resolver *res = test_resolver();
    /* Nothing listens: a fetch error. A host's own mapping wins over the "" one. */
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "mta-sts.refused.sts.test", "127.0.0.1",
                                                          env_port("TLSRPT_TEST_CLOSED_PORT")),
                     TLSRPT_OK);
    tlsrpt_sts_lookup_result *r = lookup_with(res, "refused.sts.test", 0, TLSRPT_ETEMPFAIL);
    assert_fetch(r, TLSRPT_STS_FETCH_CONNECT, 0, "sts-policy-fetch-error");
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-connect") >= 0);
    tlsrpt_sts_lookup_result_free(r);

    /* The server waits 3 s; the timeout is 500 ms. */
    ck_assert_int_eq(tlsrpt_resolver_set_https_timeout(res, 500), TLSRPT_OK);
    r = lookup_with(res, "slow.sts.test", 0, TLSRPT_ETEMPFAIL);
    assert_fetch(r, TLSRPT_STS_FETCH_TIMEOUT, 0, "sts-policy-fetch-error");
    ck_assert(diag_find(tlsrpt_sts_lookup_result_diag(r), "sts-fetch-timeout") >= 0);
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(no_proxy_from_environment)
{
    /* libcurl would honour these by default; the library must not (RFC 8461 §3.3 names the policy host). */
    setenv("https_proxy", "http://127.0.0.1:1", 1);
    setenv("HTTPS_PROXY", "http://127.0.0.1:1", 1);
    setenv("ALL_PROXY", "http://127.0.0.1:1", 1);
    tlsrpt_sts_lookup_result *r = lookup("valid.sts.test", TLSRPT_OK);
    tlsrpt_sts_lookup_result_free(r);
    unsetenv("https_proxy");
    unsetenv("HTTPS_PROXY");
    unsetenv("ALL_PROXY");
}
END_TEST

START_TEST(threads_share_nothing)
{
    /* Two resolvers in sequence and one reused: no state carries over (no cache of any kind). */
    tlsrpt_resolver *res = test_resolver();
    for (int i = 0; i < 3; i++) {
        tlsrpt_sts_lookup_result *r = lookup_with(res, i == 1 ? "notfound.sts.test" : "valid.sts.test", 0,
                                                  i == 1 ? TLSRPT_ESEMANTIC : TLSRPT_OK);
        tlsrpt_sts_lookup_result_free(r);
    }
    tlsrpt_resolver_free(res);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("sts-live");
    TCase *tc = tcase_create("lookup");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, valid_policy);
    tcase_add_test(tc, txt_stage);
    tcase_add_test(tc, http_answers);
    tcase_add_test(tc, certificates);
    tcase_add_test(tc, connection_failures);
    tcase_add_test(tc, no_proxy_from_environment);
    tcase_add_test(tc, threads_share_nothing);
    suite_add_tcase(s, tc);
    return s;
}
