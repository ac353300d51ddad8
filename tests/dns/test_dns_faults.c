/* DNS integration: the transport against a scripted misbehaving server on 127.0.0.1 (fault_server.py, port in
 * TLSRPT_TEST_FAULT_PORT). Every outcome and diagnostic is asserted; timeouts are bounded by the configured timeout
 * and never timed. SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "dns_internal.h"
#include "testutil.h"

static tlsrpt_resolver *fault_resolver(uint32_t timeout_ms, unsigned retries)
{
    const char *p = getenv("TLSRPT_TEST_FAULT_PORT");
    ck_assert_msg(p && atoi(p) > 0 && atoi(p) < 65536, "TLSRPT_TEST_FAULT_PORT is not set: run through fault_server.py");
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "127.0.0.1", (uint16_t)atoi(p)), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, timeout_ms), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, retries), TLSRPT_OK);
    return res;
}

/* Looks up <case>.fault and checks the status and the exact list of diagnostic ids (in order). */
static tlsrpt_lookup_result *expect(tlsrpt_resolver *res, const char *domain, int want, const char *const *ids)
{
    tlsrpt_lookup_result *l = NULL;
    int rc = tlsrpt_lookup(res, domain, &l);
    ck_assert_msg(rc == want, "%s: rc %d (%s), want %d", domain, rc, tlsrpt_status_string(rc), want);
    ck_assert_ptr_nonnull(l);
    ck_assert_int_eq(tlsrpt_lookup_result_status(l), want);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    size_t n = 0;
    while (ids[n])
        n++;
    for (size_t i = 0; i < tlsrpt_diag_count(d) && i < n; i++)
        ck_assert_msg(strcmp(tlsrpt_diag_id(d, i), ids[i]) == 0, "%s: diag %zu is %s (%s), want %s", domain, i,
                      tlsrpt_diag_id(d, i), tlsrpt_diag_message(d, i), ids[i]);
    ck_assert_msg(tlsrpt_diag_count(d) == n, "%s: %zu diagnostics, want %zu", domain, tlsrpt_diag_count(d), n);
    if (want == TLSRPT_OK) {
        ck_assert_ptr_nonnull(tlsrpt_lookup_result_record(l));
        ck_assert_str_eq(tlsrpt_uri_string(tlsrpt_record_rua(tlsrpt_lookup_result_record(l), 0)),
                         "mailto:tlsrpt@fault.test");
    } else {
        ck_assert_ptr_null(tlsrpt_lookup_result_record(l));
    }
    return l;
}

static void expect_once(const char *domain, uint32_t timeout_ms, int want, const char *const *ids)
{
    tlsrpt_resolver *res = fault_resolver(timeout_ms, 0);
    tlsrpt_lookup_result *l = expect(res, domain, want, ids);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}

#define IDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_IDS ((const char *const[]){NULL})

static void expect_severity(const tlsrpt_lookup_result *l, size_t i, int severity)
{
    ck_assert_int_eq(tlsrpt_diag_severity(tlsrpt_lookup_result_diag(l), i), severity);
    ck_assert_uint_eq(tlsrpt_diag_offset(tlsrpt_lookup_result_diag(l), i), TLSRPT_NO_OFFSET);
}

START_TEST(rcode_failures)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "servfail.fault", TLSRPT_ETEMPFAIL, IDS("dns-servfail"));
    expect_severity(l, 0, TLSRPT_SEVERITY_ERROR);
    tlsrpt_lookup_result_free(l);
    l = expect(res, "refused.fault", TLSRPT_ETEMPFAIL, IDS("dns-refused"));
    expect_severity(l, 0, TLSRPT_SEVERITY_ERROR);
    tlsrpt_lookup_result_free(l);
    /* FORMERR with and without EDNS0: retried once without it (RFC 6891 §7), then a failure. */
    l = expect(res, "formerr.fault", TLSRPT_ETEMPFAIL, IDS("dns-edns-formerr-retry", "dns-rcode-error"));
    expect_severity(l, 0, TLSRPT_SEVERITY_INFO);
    expect_severity(l, 1, TLSRPT_SEVERITY_ERROR);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_lookup_result_diag(l), 1), "FORMERR"));
    tlsrpt_lookup_result_free(l);
    l = expect(res, "nothing.fault", TLSRPT_ENOTFOUND, IDS("dns-nxdomain"));
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(no_answer_is_a_timeout)
{
    tlsrpt_resolver *res = fault_resolver(200, 0);
    tlsrpt_lookup_result *l = expect(res, "timeout.fault", TLSRPT_ETEMPFAIL, IDS("dns-timeout"));
    expect_severity(l, 0, TLSRPT_SEVERITY_ERROR);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_lookup_result_diag(l), 0), "1 tries per server"));
    tlsrpt_lookup_result_free(l);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, 2), TLSRPT_OK);
    l = expect(res, "timeout.fault", TLSRPT_ETEMPFAIL, IDS("dns-timeout"));
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_lookup_result_diag(l), 0), "3 tries per server"));
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(truncated_then_tcp)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "tc.fault", TLSRPT_OK, IDS("dns-truncated-tcp-retry"));
    expect_severity(l, 0, TLSRPT_SEVERITY_INFO);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 1);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(wrong_id_is_not_accepted)
{
    tlsrpt_resolver *res = fault_resolver(300, 0);
    tlsrpt_lookup_result *l =
        expect(res, "wrongid.fault", TLSRPT_ETEMPFAIL, IDS("dns-reply-id-mismatch", "dns-no-valid-reply"));
    expect_severity(l, 0, TLSRPT_SEVERITY_WARNING);
    expect_severity(l, 1, TLSRPT_SEVERITY_ERROR);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    tlsrpt_lookup_result_free(l);
    /* A forged reply does not end the wait: the real one that follows is taken. */
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 3000), TLSRPT_OK);
    l = expect(res, "wrongid2.fault", TLSRPT_OK, IDS("dns-reply-id-mismatch"));
    expect_severity(l, 0, TLSRPT_SEVERITY_WARNING);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(wrong_question_is_not_accepted)
{
    expect_once("wrongq.fault", 300, TLSRPT_ETEMPFAIL, IDS("dns-reply-question-mismatch", "dns-no-valid-reply"));
}
END_TEST

START_TEST(garbage_is_not_accepted)
{
    const char *cases[][2] = {
        {"garbage.fault", "shorter than a DNS header"},
        {"badbody.fault", "cannot be parsed"},
        {"notresponse.fault", "QR bit clear"},
    };
    for (size_t i = 0; i < 3; i++) {
        tlsrpt_resolver *res = fault_resolver(300, 0);
        tlsrpt_lookup_result *l =
            expect(res, cases[i][0], TLSRPT_ETEMPFAIL, IDS("dns-reply-malformed", "dns-no-valid-reply"));
        expect_severity(l, 0, TLSRPT_SEVERITY_WARNING);
        expect_severity(l, 1, TLSRPT_SEVERITY_ERROR);
        ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_lookup_result_diag(l), 0), cases[i][1]));
        tlsrpt_lookup_result_free(l);
        tlsrpt_resolver_free(res);
    }
}
END_TEST

START_TEST(tcp_failures)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "tcpwrongid.fault", TLSRPT_ETEMPFAIL,
                                     IDS("dns-truncated-tcp-retry", "dns-reply-id-mismatch", "dns-no-valid-reply"));
    tlsrpt_lookup_result_free(l);
    l = expect(res, "tcpclose.fault", TLSRPT_ETEMPFAIL, IDS("dns-truncated-tcp-retry", "dns-network-error"));
    expect_severity(l, 1, TLSRPT_SEVERITY_ERROR);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(ad_bit_requested_and_reported)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "ad.fault", TLSRPT_OK, NO_IDS);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    tlsrpt_lookup_result_free(l);
    l = expect(res, "tc.fault", TLSRPT_OK, IDS("dns-truncated-tcp-retry"));
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
    tlsrpt_lookup_result_free(l);
    /* The server echoes what the query asked for: AD, RD, EDNS0 with a 1232-byte buffer. */
    l = expect(res, "echo.fault", TLSRPT_ENOTFOUND, IDS("dns-txt-not-tlsrpt", "dns-no-tlsrpt-record"));
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "ad=1 rd=1 edns=1232");
    tlsrpt_lookup_result_free(l);
    ck_assert_int_eq(trpt_resolver_set_edns_udp_size(res, 0), TLSRPT_OK);
    l = expect(res, "echo.fault", TLSRPT_ENOTFOUND, IDS("dns-txt-not-tlsrpt", "dns-no-tlsrpt-record"));
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "ad=1 rd=1 edns=0");
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(unrelated_rrs_ignored)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "junkrr.fault", TLSRPT_OK, IDS("dns-answer-rr-ignored"));
    expect_severity(l, 0, TLSRPT_SEVERITY_INFO);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_lookup_result_diag(l), 0), "2 resource record"));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 1);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

/* A server that does not know EDNS0 and says so with FORMERR (RFC 6891 §7) still gets its record asked. */
START_TEST(formerr_to_edns_retried_without)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "noedns.fault", TLSRPT_OK, IDS("dns-edns-formerr-retry"));
    expect_severity(l, 0, TLSRPT_SEVERITY_INFO);
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "127.0.0.1");
    tlsrpt_lookup_result_free(l);
    /* Without EDNS0 from the start there is nothing to retry. */
    ck_assert_int_eq(trpt_resolver_set_edns_udp_size(res, 0), TLSRPT_OK);
    l = expect(res, "noedns.fault", TLSRPT_OK, NO_IDS);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

/* A validating resolver's answer for a 9-CNAME chain (NOERROR, AD) is a record; for 12 CNAMEs the library does not
 * follow the chain, and `authenticated` still says that the refused data was validated. */
START_TEST(authenticated_cname_chains)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "adnine.fault", TLSRPT_OK, NO_IDS);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 9);
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 8), "hop9.chain.fault.");
    ck_assert_int_eq(tlsrpt_lookup_result_cname_ttl(l, 8), 300);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 0), 300);
    tlsrpt_lookup_result_free(l);
    l = expect(res, "adtwelve.fault", TLSRPT_ENOTFOUND, IDS("dns-answer-rr-ignored", "dns-cname-chain-too-long"));
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 12);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(cname_target_queried_again)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_lookup_result *l = expect(res, "cnameonly.fault", TLSRPT_OK, NO_IDS);
    ck_assert_str_eq(tlsrpt_lookup_result_qname(l), "_smtp._tls.cnameonly.fault.");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 1);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(too_many_rrs)
{
    tlsrpt_resolver *res = fault_resolver(3000, 0);
    tlsrpt_lookup_result *l =
        expect(res, "manyrrs.fault", TLSRPT_ELIMIT, IDS("dns-truncated-tcp-retry", "dns-answer-too-large"));
    expect_severity(l, 1, TLSRPT_SEVERITY_ERROR);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(authorization_tempfail)
{
    tlsrpt_resolver *res = fault_resolver(2000, 0);
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, TEXT("mailto:r@reports.example.net"), NULL), TLSRPT_OK);
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    int verdict = -1;
    /* The query name starts with the policy domain: servfail.example -> SERVFAIL. */
    ck_assert_int_eq(tlsrpt_check_authorization(res, "servfail.example", u, &verdict, d), TLSRPT_ETEMPFAIL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "dns-servfail", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 200), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_check_authorization(res, "timeout.example", u, &verdict, d), TLSRPT_ETEMPFAIL);
    ck_assert_diag(d, "dns-timeout", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 2000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_check_authorization(res, "ad.example", u, &verdict, d), TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_AUTHORIZED);
    ck_assert_diag(d, "authz-authorized", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
    tlsrpt_uri_free(u);
    tlsrpt_resolver_free(res);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("dns-faults");
    TCase *tc = tcase_create("faults");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rcode_failures);
    tcase_add_test(tc, no_answer_is_a_timeout);
    tcase_add_test(tc, truncated_then_tcp);
    tcase_add_test(tc, wrong_id_is_not_accepted);
    tcase_add_test(tc, wrong_question_is_not_accepted);
    tcase_add_test(tc, garbage_is_not_accepted);
    tcase_add_test(tc, tcp_failures);
    tcase_add_test(tc, ad_bit_requested_and_reported);
    tcase_add_test(tc, unrelated_rrs_ignored);
    tcase_add_test(tc, cname_target_queried_again);
    tcase_add_test(tc, formerr_to_edns_retried_without);
    tcase_add_test(tc, authenticated_cname_chains);
    tcase_add_test(tc, too_many_rrs);
    tcase_add_test(tc, authorization_tempfail);
    suite_add_tcase(s, tc);
    return s;
}
