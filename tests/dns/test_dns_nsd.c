/* DNS integration: tlsrpt_lookup and tlsrpt_check_authorization against a real NSD on 127.0.0.1 (started by
 * run_with_nsd.py, port in TLSRPT_TEST_NSD_PORT) serving tests/dns/zones. SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "dns_internal.h"
#include "testutil.h"

static uint16_t nsd_port(void)
{
    const char *p = getenv("TLSRPT_TEST_NSD_PORT");
    ck_assert_msg(p && atoi(p) > 0 && atoi(p) < 65536, "TLSRPT_TEST_NSD_PORT is not set: run through run_with_nsd.py");
    return (uint16_t)atoi(p);
}

static tlsrpt_resolver *nsd_resolver(void)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    /* Never the system's name servers: only the test server on loopback. */
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "127.0.0.1", nsd_port()), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 3000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, 1), TLSRPT_OK);
    return res;
}

static tlsrpt_lookup_result *lookup_with(tlsrpt_resolver *res, const char *domain, int want, size_t txt_count)
{
    tlsrpt_lookup_result *l = NULL;
    int rc = tlsrpt_lookup(res, domain, &l);
    ck_assert_msg(rc == want, "%s: rc %d (%s), want %d", domain, rc, tlsrpt_status_string(rc), want);
    ck_assert_ptr_nonnull(l);
    ck_assert_int_eq(tlsrpt_lookup_result_status(l), want);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), txt_count);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0); /* NSD never sets AD */
    if (want == TLSRPT_OK)
        ck_assert_ptr_nonnull(tlsrpt_lookup_result_record(l));
    else
        ck_assert_ptr_null(tlsrpt_lookup_result_record(l));
    return l;
}

static tlsrpt_lookup_result *lookup(const char *domain, int want, size_t txt_count)
{
    tlsrpt_resolver *res = nsd_resolver();
    tlsrpt_lookup_result *l = lookup_with(res, domain, want, txt_count);
    tlsrpt_resolver_free(res);
    return l;
}

static const char *rua(const tlsrpt_lookup_result *l, size_t i)
{
    return tlsrpt_uri_string(tlsrpt_record_rua(tlsrpt_lookup_result_record(l), i));
}

START_TEST(one_record)
{
    tlsrpt_lookup_result *l = lookup("one.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_str_eq(tlsrpt_lookup_result_qname(l), "_smtp._tls.one.tlsrpt.test.");
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "v=TLSRPTv1;rua=mailto:tlsrpt@one.tlsrpt.test");
    ck_assert_uint_eq(tlsrpt_record_rua_count(tlsrpt_lookup_result_record(l)), 1);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@one.tlsrpt.test");
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 0);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(multi_string_record)
{
    tlsrpt_lookup_result *l = lookup("MULTI.tlsrpt.test.", TLSRPT_OK, 1);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0),
                     "v=TLSRPTv1;rua=mailto:tlsrpt@multi.tlsrpt.test,https://r.multi.tlsrpt.test/x");
    ck_assert_uint_eq(tlsrpt_record_rua_count(tlsrpt_lookup_result_record(l)), 2);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@multi.tlsrpt.test");
    ck_assert_str_eq(rua(l, 1), "https://r.multi.tlsrpt.test/x");
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(two_records)
{
    tlsrpt_lookup_result *l = lookup("two.tlsrpt.test", TLSRPT_EMULTIPLE, 2);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "dns-multiple-records", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(mixed_with_other_txt)
{
    tlsrpt_lookup_result *l = lookup("mixed.tlsrpt.test", TLSRPT_OK, 3);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@mixed.tlsrpt.test");
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "dns-txt-not-tlsrpt");
    ck_assert_str_eq(tlsrpt_diag_id(d, 1), "dns-txt-not-tlsrpt");
    ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_INFO);
    ck_assert_int_eq(tlsrpt_diag_severity(d, 1), TLSRPT_SEVERITY_INFO);
    /* Each TXT RR is kept, whatever it holds. */
    int spf = 0, verif = 0;
    for (size_t i = 0; i < 3; i++) {
        spf += strcmp(tlsrpt_lookup_result_txt(l, i), "v=spf1 -all") == 0;
        verif += strcmp(tlsrpt_lookup_result_txt(l, i), "site-verification=abc123") == 0;
    }
    ck_assert_int_eq(spf, 1);
    ck_assert_int_eq(verif, 1);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(only_other_txt)
{
    tlsrpt_lookup_result *l = lookup("others.tlsrpt.test", TLSRPT_ENOTFOUND, 2);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_diag(d, "dns-no-tlsrpt-record", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(nxdomain_and_no_data)
{
    tlsrpt_lookup_result *l = lookup("absent.tlsrpt.test", TLSRPT_ENOTFOUND, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    l = lookup("nodata.tlsrpt.test", TLSRPT_ENOTFOUND, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-no-data", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(malformed_candidate)
{
    tlsrpt_lookup_result *l = lookup("malformed.tlsrpt.test", TLSRPT_ESYNTAX, 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "record-field-empty", TLSRPT_SEVERITY_ERROR, 51);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(version_ten_is_not_tlsrpt)
{
    tlsrpt_lookup_result *l = lookup("v10.tlsrpt.test", TLSRPT_ENOTFOUND, 1);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_diag(d, "dns-txt-not-tlsrpt", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_diag(d, "dns-no-tlsrpt-record", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(whitespace_before_semicolon)
{
    tlsrpt_lookup_result *l = lookup("wsp.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "record-space-before-semicolon", TLSRPT_SEVERITY_WARNING, 10);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@wsp.tlsrpt.test");
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(cnames)
{
    const char *names[] = {"alias.tlsrpt.test", "chain.tlsrpt.test", "longest.tlsrpt.test"};
    for (size_t i = 0; i < 3; i++) {
        tlsrpt_lookup_result *l = lookup(names[i], TLSRPT_OK, 1);
        ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@one.tlsrpt.test");
        ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 0);
        tlsrpt_lookup_result_free(l);
    }
    tlsrpt_lookup_result *l = lookup("crosszone.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@target.other.test");
    tlsrpt_lookup_result_free(l);
}
END_TEST

/* BIND and Unbound follow 11 CNAMEs (max-query-restarts): 9 and 11 are followed, 12 and a loop are a permanent "no
 * usable record" (ENOTFOUND), not a temporary failure. The chain is in the result either way. */
START_TEST(cname_chains_as_long_as_resolvers_follow)
{
    const char *followed[] = {"nine.tlsrpt.test", "eleven.tlsrpt.test"};
    const size_t lengths[] = {9, 11};
    for (size_t i = 0; i < 2; i++) {
        tlsrpt_lookup_result *l = lookup(followed[i], TLSRPT_OK, 1);
        ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@one.tlsrpt.test");
        ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), lengths[i]);
        ck_assert_str_eq(tlsrpt_lookup_result_cname(l, lengths[i] - 1), "_smtp._tls.one.tlsrpt.test.");
        ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 0);
        tlsrpt_lookup_result_free(l);
    }
    tlsrpt_lookup_result *l = lookup("twelve.tlsrpt.test", TLSRPT_ENOTFOUND, 0);
    /* NSD sends the whole chain and the TXT RR: what is past the refused CNAME is not used. */
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 2);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-answer-rr-ignored", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-cname-chain-too-long", TLSRPT_SEVERITY_ERROR,
                   TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 12);
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 0), "k0.tlsrpt.test.");
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 11), "_smtp._tls.one.tlsrpt.test.");
    tlsrpt_lookup_result_free(l);

    l = lookup("loop.tlsrpt.test", TLSRPT_ENOTFOUND, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-cname-loop", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 2);
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 0), "loop2.tlsrpt.test.");
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 1), "_smtp._tls.loop.tlsrpt.test.");
    tlsrpt_lookup_result_free(l);
}
END_TEST

/* What drill shows: the TTLs, the CNAME chain, the character-strings as published, the server that answered. */
START_TEST(dns_facts)
{
    tlsrpt_lookup_result *l = lookup("ttlalias.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 1);
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 0), "_smtp._tls.ttl.tlsrpt.test.");
    ck_assert_int_eq(tlsrpt_lookup_result_cname_ttl(l, 0), 120);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 0), 3600);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(l, 0), 2);
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 0), "v=TLSRPTv1;");
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 1), "rua=mailto:tlsrpt@ttl.tlsrpt.test");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_length(l, 0, 1), 33);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "v=TLSRPTv1;rua=mailto:tlsrpt@ttl.tlsrpt.test");
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "127.0.0.1");
    ck_assert_uint_eq(tlsrpt_lookup_result_server_port(l), nsd_port());
    tlsrpt_lookup_result_free(l);

    l = lookup("multi.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 0), 300); /* the zone's $TTL */
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 0);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(l, 0), 3);
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 0), "v=TLSRPTv1;rua=mailto:tls");
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 1), "rpt@multi.tlsrpt.test");
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 2), ",https://r.multi.tlsrpt.test/x");
    tlsrpt_lookup_result_free(l);

    /* The chain is kept for an NXDOMAIN at its end too; the server for an NXDOMAIN. */
    l = lookup("absent.tlsrpt.test", TLSRPT_ENOTFOUND, 0);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 0);
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "127.0.0.1");
    tlsrpt_lookup_result_free(l);
}
END_TEST

/* ~650 bytes: fits the 1232-byte EDNS0 buffer over UDP; without EDNS0 it is truncated and read over TCP. */
START_TEST(big_answer_edns_and_tcp)
{
    tlsrpt_resolver *res = nsd_resolver();
    tlsrpt_lookup_result *l = lookup_with(res, "big.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 0), 47 + 600);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "record-extension-unknown", TLSRPT_SEVERITY_INFO, 45);
    tlsrpt_lookup_result_free(l);

    ck_assert_int_eq(trpt_resolver_set_edns_udp_size(res, 0), TLSRPT_OK);
    l = lookup_with(res, "big.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 0), 47 + 600);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 2);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-truncated-tcp-retry", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

/* ~2000 bytes: over 1232, so even with EDNS0 the UDP answer is truncated and TCP is used. */
START_TEST(huge_answer_over_tcp)
{
    tlsrpt_lookup_result *l = lookup("huge.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 0), 48 + 2000);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-truncated-tcp-retry", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@huge.tlsrpt.test");
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(idn_owner)
{
    tlsrpt_lookup_result *l = lookup("bücher.tlsrpt.test", TLSRPT_OK, 1);
    ck_assert_str_eq(tlsrpt_lookup_result_qname(l), "_smtp._tls.xn--bcher-kva.tlsrpt.test.");
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@xn--bcher-kva.tlsrpt.test");
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(public_suffix_zone_lookup)
{
    tlsrpt_lookup_result *l = lookup("example.co.uk", TLSRPT_OK, 1);
    ck_assert_str_eq(rua(l, 0), "mailto:tlsrpt@other.co.uk");
    tlsrpt_lookup_result_free(l);
}
END_TEST

/* ---- authorization ---------------------------------------------------------------------------------------------- */

static void authz(const char *policy, const char *dest_uri, int want_rc, int want_verdict, const char *want_id,
                  int want_severity)
{
    tlsrpt_resolver *res = nsd_resolver();
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, dest_uri, strlen(dest_uri), NULL), TLSRPT_OK);
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    int verdict = -1;
    int rc = tlsrpt_check_authorization(res, policy, u, &verdict, d);
    ck_assert_msg(rc == want_rc, "%s -> %s: rc %d", policy, dest_uri, rc);
    ck_assert_msg(verdict == want_verdict, "%s -> %s: verdict %d", policy, dest_uri, verdict);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, want_id, want_severity, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
    tlsrpt_uri_free(u);
    tlsrpt_resolver_free(res);
}

START_TEST(authorization_present_absent_other)
{
    authz("authorized.tlsrpt.test", "mailto:r@reports.other.test", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED,
          "authz-authorized", TLSRPT_SEVERITY_INFO);
    authz("multi.tlsrpt.test", "https://reports.other.test/tlsrpt", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED,
          "authz-authorized", TLSRPT_SEVERITY_INFO);
    authz("absent.tlsrpt.test", "mailto:r@reports.other.test", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED,
          "authz-record-missing", TLSRPT_SEVERITY_WARNING);
    authz("nodata.tlsrpt.test", "mailto:r@reports.other.test", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED,
          "authz-record-missing", TLSRPT_SEVERITY_WARNING);
    authz("spf.tlsrpt.test", "mailto:r@reports.other.test", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED,
          "authz-no-tlsrpt-txt", TLSRPT_SEVERITY_WARNING);
    authz("v10.tlsrpt.test", "mailto:r@reports.other.test", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED,
          "authz-no-tlsrpt-txt", TLSRPT_SEVERITY_WARNING);
}
END_TEST

START_TEST(authorization_wildcard)
{
    authz("anyone.tlsrpt.test", "mailto:r@wild.other.test", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, "authz-authorized",
          TLSRPT_SEVERITY_INFO);
    authz("a.b.c.example", "mailto:r@wild.other.test", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, "authz-authorized",
          TLSRPT_SEVERITY_INFO);
}
END_TEST

START_TEST(authorization_across_public_suffix)
{
    /* example.co.uk and other.co.uk are different organizations: the record decides. */
    authz("example.co.uk", "mailto:r@other.co.uk", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, "authz-authorized",
          TLSRPT_SEVERITY_INFO);
    authz("another.co.uk", "mailto:r@other.co.uk", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, "authz-record-missing",
          TLSRPT_SEVERITY_WARNING);
    /* mail.example.co.uk and example.co.uk are one organization: no query at all. */
    authz("mail.example.co.uk", "mailto:r@example.co.uk", TLSRPT_OK, TLSRPT_AUTH_NOT_REQUIRED,
          "authz-not-required", TLSRPT_SEVERITY_INFO);
    authz("example.co.uk", "https://reports.example.co.uk/x", TLSRPT_OK, TLSRPT_AUTH_NOT_REQUIRED,
          "authz-not-required", TLSRPT_SEVERITY_INFO);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("dns-nsd");
    TCase *tc = tcase_create("lookup");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, one_record);
    tcase_add_test(tc, multi_string_record);
    tcase_add_test(tc, two_records);
    tcase_add_test(tc, mixed_with_other_txt);
    tcase_add_test(tc, only_other_txt);
    tcase_add_test(tc, nxdomain_and_no_data);
    tcase_add_test(tc, malformed_candidate);
    tcase_add_test(tc, version_ten_is_not_tlsrpt);
    tcase_add_test(tc, whitespace_before_semicolon);
    tcase_add_test(tc, cnames);
    tcase_add_test(tc, cname_chains_as_long_as_resolvers_follow);
    tcase_add_test(tc, dns_facts);
    tcase_add_test(tc, big_answer_edns_and_tcp);
    tcase_add_test(tc, huge_answer_over_tcp);
    tcase_add_test(tc, idn_owner);
    tcase_add_test(tc, public_suffix_zone_lookup);
    suite_add_tcase(s, tc);
    tc = tcase_create("authorization");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, authorization_present_absent_other);
    tcase_add_test(tc, authorization_wildcard);
    tcase_add_test(tc, authorization_across_public_suffix);
    suite_add_tcase(s, tc);
    return s;
}
