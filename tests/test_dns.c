/* DNS: the resolver object, lookup functions, RFC 8460 §3 policy and the authorization check, without a network
 * (every query goes to a lookup function, or to a loopback port). SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_hooks.h"
#include "dns_internal.h"
#include "testutil.h"

/* ---- a scripted lookup function -------------------------------------------------------------------------------- */

#define MAX_FAKE_RRS 8
#define MAX_FAKE_STRINGS 4

typedef struct fake_rr {
    const char *strings[MAX_FAKE_STRINGS];
    size_t lens[MAX_FAKE_STRINGS];
    size_t n;
} fake_rr;

typedef struct fake {
    int rc;                 /* what the function returns */
    fake_rr rrs[MAX_FAKE_RRS];
    size_t n_rrs;
    int authenticated;
    int calls;
    char qname[300];        /* the last query name */
    int add_rc[MAX_FAKE_RRS]; /* what tlsrpt_txt_answer_add returned */
} fake;

static int fake_lookup(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    fake *f = userdata;
    f->calls++;
    snprintf(f->qname, sizeof f->qname, "%s", qname);
    for (size_t i = 0; i < f->n_rrs; i++)
        f->add_rc[i] = tlsrpt_txt_answer_add(answer, f->rrs[i].strings, f->rrs[i].lens, f->rrs[i].n);
    if (f->authenticated)
        ck_assert_int_eq(tlsrpt_txt_answer_set_authenticated(answer, 1), TLSRPT_OK);
    return f->rc;
}

/* Adds an RR of C strings (NULL-terminated list). */
static void fake_add(fake *f, const char *s0, const char *s1, const char *s2)
{
    fake_rr *rr = &f->rrs[f->n_rrs++];
    const char *in[3] = {s0, s1, s2};
    rr->n = 0;
    for (size_t i = 0; i < 3 && in[i]; i++) {
        rr->strings[rr->n] = in[i];
        rr->lens[rr->n] = strlen(in[i]);
        rr->n++;
    }
}

static tlsrpt_resolver *fake_resolver(fake *f)
{
    tlsrpt_resolver *res = NULL;
    /* Never the system configuration: a file that does not exist, then the lookup function. */
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/tlsrpt-test/resolv.conf"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, fake_lookup, f), TLSRPT_OK);
    return res;
}

/* Runs tlsrpt_lookup through the fake and checks return == status and the qname. */
static tlsrpt_lookup_result *run_lookup(fake *f, const char *domain, int want)
{
    tlsrpt_resolver *res = fake_resolver(f);
    tlsrpt_lookup_result *l = NULL;
    int rc = tlsrpt_lookup(res, domain, &l);
    ck_assert_int_eq(rc, want);
    ck_assert_ptr_nonnull(l);
    ck_assert_int_eq(tlsrpt_lookup_result_status(l), want);
    ck_assert_int_eq(f->calls, 1);
    ck_assert_str_eq(tlsrpt_lookup_result_qname(l), f->qname);
    if (want == TLSRPT_OK)
        ck_assert_ptr_nonnull(tlsrpt_lookup_result_record(l));
    else
        ck_assert_ptr_null(tlsrpt_lookup_result_record(l));
    tlsrpt_resolver_free(res);
    return l;
}

static size_t count_id(const tlsrpt_diag *d, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (strcmp(tlsrpt_diag_id(d, i), id) == 0)
            n++;
    return n;
}

/* ---- the resolver object ----------------------------------------------------------------------------------------- */

START_TEST(resolver_arguments)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/resolv.conf"), TLSRPT_OK);
    ck_assert_ptr_nonnull(res);

    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "127.0.0.1", 5353), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "::1", 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "2001:db8::53", 53), TLSRPT_OK);
    const char *bad[] = {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1]", "::1%lo", "fe80::1%eth0",
                         "127.0.0.1:53", " 127.0.0.1", "ns.example.com"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(tlsrpt_resolver_set_nameserver(res, bad[i], 53) == TLSRPT_EINVAL, "'%s' accepted", bad[i]);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, NULL, 53), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(NULL, "127.0.0.1", 53), TLSRPT_EINVAL);

    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, UINT32_MAX), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 0), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(NULL, 100), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, TLSRPT_MAX_RESOLVER_RETRIES), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, TLSRPT_MAX_RESOLVER_RETRIES + 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(NULL, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(NULL, fake_lookup, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, NULL, NULL), TLSRPT_OK);
    ck_assert_int_eq(trpt_resolver_set_edns_udp_size(res, 511), TLSRPT_EINVAL);
    ck_assert_int_eq(trpt_resolver_set_edns_udp_size(res, 0), TLSRPT_OK);

    tlsrpt_lookup_result *l = (tlsrpt_lookup_result *)&l;
    ck_assert_int_eq(tlsrpt_lookup(NULL, "example.com", &l), TLSRPT_EINVAL);
    ck_assert_ptr_null(l);
    l = (tlsrpt_lookup_result *)&l;
    ck_assert_int_eq(tlsrpt_lookup(res, NULL, &l), TLSRPT_EINVAL);
    ck_assert_ptr_null(l);
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", NULL), TLSRPT_EINVAL);

    tlsrpt_resolver_free(res);
    tlsrpt_resolver_free(NULL);
    tlsrpt_lookup_result_free(NULL);
    ck_assert_int_eq(tlsrpt_lookup_result_status(NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_lookup_result_qname(NULL));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_txt(NULL, 0));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(NULL, 0), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_record(NULL));
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(NULL), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_diag(NULL));
}
END_TEST

/* resolv.conf missing: the resolver is created, lookups fail with ETEMPFAIL and say why, and a name server or a
 * lookup function set afterwards is used. */
START_TEST(missing_resolv_conf_fails_at_lookup)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/tlsrpt-test/resolv.conf"), TLSRPT_OK);
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_ETEMPFAIL);
    ck_assert_int_eq(tlsrpt_lookup_result_status(l), TLSRPT_ETEMPFAIL);
    ck_assert_str_eq(tlsrpt_lookup_result_qname(l), "_smtp._tls.example.com.");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "dns-no-resolver-config", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "/nonexistent/tlsrpt-test/resolv.conf"));
    tlsrpt_lookup_result_free(l);

    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL, NULL);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, fake_lookup, &f), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_OK);
    tlsrpt_lookup_result_free(l);

    /* Back to the network: the configuration error again. */
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, NULL, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_ETEMPFAIL);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-no-resolver-config", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(resolv_conf_without_nameserver)
{
    char path[] = "/tmp/tlsrpt-test-resolv-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char text[] = "search example.com\noptions ndots:1\n";
    ck_assert_int_eq(write(fd, text, sizeof text - 1), (int)(sizeof text - 1));
    close(fd);
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, path), TLSRPT_OK);
    unlink(path);
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_ETEMPFAIL);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-no-resolver-config", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_lookup_result_diag(l), 0), "no usable name server"));
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

/* A closed loopback port: UDP gets ICMP port unreachable, the lookup fails at once with a network error, and the
 * configuration error is gone because set_nameserver replaced the list. */
START_TEST(closed_port_is_a_network_error)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/resolv.conf"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_nameserver(res, "127.0.0.1", 9), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_timeout(res, 2000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_retries(res, 0), TLSRPT_OK);
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_ETEMPFAIL);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "dns-network-error", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "127.0.0.1 port 9"));
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

/* ---- RFC 8460 §3 through a lookup function ---------------------------------------------------------------------- */

START_TEST(one_record)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "Example.COM.", TLSRPT_OK);
    ck_assert_str_eq(f.qname, "_smtp._tls.example.com.");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 1);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "v=TLSRPTv1;rua=mailto:tlsrpt@example.com");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 0), 40);
    ck_assert_ptr_null(tlsrpt_lookup_result_txt(l, 1));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 1), 0);
    const tlsrpt_record *r = tlsrpt_lookup_result_record(l);
    ck_assert_uint_eq(tlsrpt_record_rua_count(r), 1);
    ck_assert_str_eq(tlsrpt_uri_string(tlsrpt_record_rua(r, 0)), "mailto:tlsrpt@example.com");
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 0);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(authenticated_answer)
{
    fake f = {.rc = TLSRPT_OK, .authenticated = 1};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    tlsrpt_lookup_result_free(l);
    ck_assert_int_eq(tlsrpt_txt_answer_set_authenticated(NULL, 1), TLSRPT_EINVAL);
}
END_TEST

/* An NXDOMAIN that the lookup function validated keeps its flag (found by fuzz/fuzz_dns_answer.c: the RRs were
 * dropped together with it). */
START_TEST(authenticated_nxdomain)
{
    fake f = {.rc = TLSRPT_ENOTFOUND, .authenticated = 1};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ENOTFOUND);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    fake g = {.rc = TLSRPT_ENOTFOUND};
    l = run_lookup(&g, "example.com", TLSRPT_ENOTFOUND);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(strings_joined_without_spaces)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tls", "rpt@exa", "mple.com");
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "v=TLSRPTv1;rua=mailto:tlsrpt@example.com");
    ck_assert_str_eq(tlsrpt_uri_mailbox(tlsrpt_record_rua(tlsrpt_lookup_result_record(l), 0)), "tlsrpt@example.com");
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(two_records_are_multiple)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:a@example.com", NULL, NULL);
    fake_add(&f, "v=spf1 -all", NULL, NULL);
    fake_add(&f, "v=TLSRPTv1 ; rua=https://r.example.net/x", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_EMULTIPLE);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 3);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_diag(d, "dns-multiple-records", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_diag(d, "dns-txt-not-tlsrpt", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(other_txt_ignored)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=spf1 include:_spf.example.com -all", NULL, NULL);
    fake_add(&f, "google-site-verification=abc", NULL, NULL);
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL, NULL);
    fake_add(&f, "v=TLSRPTv10;rua=mailto:x@example.com", NULL, NULL);
    fake_add(&f, "V=TLSRPTv1;rua=mailto:x@example.com", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 5);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "v=spf1 include:_spf.example.com -all");
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 3), "v=TLSRPTv10;rua=mailto:x@example.com");
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_uint_eq(count_id(d, "dns-txt-not-tlsrpt"), 4);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(tlsrpt_diag_severity(d, i), TLSRPT_SEVERITY_INFO);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "\"v=spf1 include:_spf.example.com -all\""));
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(only_other_txt_is_not_found)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=spf1 -all", NULL, NULL);
    fake_add(&f, "v=TLSRPTv1", NULL, NULL); /* no ';': not a candidate */
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 2);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    ck_assert_diag(d, "dns-no-tlsrpt-record", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(count_id(d, "dns-txt-not-tlsrpt"), 2);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(no_data_and_nxdomain)
{
    fake f = {.rc = TLSRPT_OK};
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-no-data", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);

    fake g = {.rc = TLSRPT_ENOTFOUND};
    fake_add(&g, "v=TLSRPTv1;rua=mailto:ignored@example.com", NULL, NULL); /* NXDOMAIN wins over added RRs */
    l = run_lookup(&g, "example.com", TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(callback_failures_are_tempfail)
{
    fake f = {.rc = TLSRPT_ETEMPFAIL};
    fake_add(&f, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ETEMPFAIL);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-lookup-tempfail", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);

    const int others[] = {42, -100, TLSRPT_ESYNTAX, TLSRPT_EMULTIPLE, TLSRPT_ENOMEM, TLSRPT_EINVAL};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        fake g = {.rc = others[i]};
        l = run_lookup(&g, "example.com", TLSRPT_ETEMPFAIL);
        ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
        ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-lookup-callback-error", TLSRPT_SEVERITY_ERROR,
                       TLSRPT_NO_OFFSET);
        tlsrpt_lookup_result_free(l);
    }
}
END_TEST

START_TEST(malformed_single_candidate)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=TLSRPTv1;", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ESYNTAX);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 1);
    ck_assert_int_ge(diag_find(tlsrpt_lookup_result_diag(l), "record-rua-missing"), 0);
    tlsrpt_lookup_result_free(l);

    fake g = {.rc = TLSRPT_OK};
    fake_add(&g, "v=TLSRPTv1;rua=ftp://example.com/x", NULL, NULL);
    l = run_lookup(&g, "example.com", TLSRPT_ESEMANTIC);
    ck_assert_int_ge(diag_find(tlsrpt_lookup_result_diag(l), "rua-none-usable"), 0);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(whitespace_before_semicolon_is_a_candidate)
{
    fake f = {.rc = TLSRPT_OK};
    fake_add(&f, "v=TLSRPTv1 \t;rua=mailto:tlsrpt@example.com", NULL, NULL);
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_OK);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "record-space-before-semicolon", TLSRPT_SEVERITY_WARNING, 10);
    tlsrpt_lookup_result_free(l);
}
END_TEST

START_TEST(nul_byte_in_record)
{
    static const char with_nul[] = "v=TLSRPTv1;rua=mailto:tlsrpt@example.com\0x";
    fake f = {.rc = TLSRPT_OK};
    f.rrs[0].strings[0] = with_nul;
    f.rrs[0].lens[0] = sizeof with_nul - 1;
    f.rrs[0].n = 1;
    f.n_rrs = 1;
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ESYNTAX);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 0), sizeof with_nul - 1);
    ck_assert_int_eq(memcmp(tlsrpt_lookup_result_txt(l, 0), with_nul, sizeof with_nul), 0);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "record-nul", TLSRPT_SEVERITY_ERROR, 40);
    tlsrpt_lookup_result_free(l);
}
END_TEST

/* A joined record over TLSRPT_MAX_RECORD_LENGTH reaches the parser, which says ELIMIT. */
START_TEST(record_over_length_limit)
{
    size_t len = TLSRPT_MAX_RECORD_LENGTH + 1;
    char *big = malloc(len);
    ck_assert_ptr_nonnull(big);
    memset(big, 'a', len);
    memcpy(big, "v=TLSRPTv1;rua=mailto:tlsrpt@example.com;x=", 43);
    fake f = {.rc = TLSRPT_OK};
    f.rrs[0].strings[0] = big;
    f.rrs[0].lens[0] = len;
    f.rrs[0].n = 1;
    f.n_rrs = 1;
    tlsrpt_lookup_result *l = run_lookup(&f, "example.com", TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 0), len);
    ck_assert_int_ge(diag_find(tlsrpt_lookup_result_diag(l), "record-too-long"), 0);
    tlsrpt_lookup_result_free(l);
    free(big);
}
END_TEST

/* Answer limits: TLSRPT_MAX_TXT_RRS records and TLSRPT_MAX_TXT_ANSWER_SIZE bytes are accepted, one more is not,
 * and a lookup whose answer overflowed is ELIMIT whatever the function returns. */
static size_t limit_rrs;
static size_t limit_bytes;
static int limit_last_rc;

static int limit_lookup(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    (void)qname;
    (void)userdata;
    static const char spf[] = "v=spf1 -all";
    const char *s = spf;
    size_t len = sizeof spf - 1;
    for (size_t i = 0; i < limit_rrs; i++) {
        limit_last_rc = tlsrpt_txt_answer_add(answer, &s, &len, 1);
        if (i + 1 < limit_rrs)
            ck_assert_int_eq(limit_last_rc, TLSRPT_OK);
    }
    if (limit_bytes) {
        char *big = calloc(1, limit_bytes);
        const char *strings[2] = {big, big + 1};
        size_t lens[2] = {1, limit_bytes - 1};
        limit_last_rc = tlsrpt_txt_answer_add(answer, strings, lens, 2);
        free(big);
    }
    return TLSRPT_OK;
}

static int limit_run(size_t rrs, size_t bytes, int *add_rc)
{
    limit_rrs = rrs;
    limit_bytes = bytes;
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/resolv.conf"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, limit_lookup, NULL), TLSRPT_OK);
    tlsrpt_lookup_result *l = NULL;
    int rc = tlsrpt_lookup(res, "example.com", &l);
    ck_assert_int_eq(tlsrpt_lookup_result_status(l), rc);
    if (rc == TLSRPT_ELIMIT) {
        ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-answer-too-large", TLSRPT_SEVERITY_ERROR,
                       TLSRPT_NO_OFFSET);
        ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    }
    *add_rc = limit_last_rc;
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
    return rc;
}

START_TEST(answer_limits)
{
    int add_rc;
    ck_assert_int_eq(limit_run(TLSRPT_MAX_TXT_RRS, 0, &add_rc), TLSRPT_ENOTFOUND);
    ck_assert_int_eq(add_rc, TLSRPT_OK);
    ck_assert_int_eq(limit_run(TLSRPT_MAX_TXT_RRS + 1, 0, &add_rc), TLSRPT_ELIMIT);
    ck_assert_int_eq(add_rc, TLSRPT_ELIMIT);
    ck_assert_int_eq(limit_run(0, TLSRPT_MAX_TXT_ANSWER_SIZE, &add_rc), TLSRPT_ENOTFOUND);
    ck_assert_int_eq(add_rc, TLSRPT_OK);
    ck_assert_int_eq(limit_run(0, TLSRPT_MAX_TXT_ANSWER_SIZE + 1, &add_rc), TLSRPT_ELIMIT);
    ck_assert_int_eq(add_rc, TLSRPT_ELIMIT);
    /* 11 bytes already in the answer: the big RR then fits only up to the remaining size. */
    ck_assert_int_eq(limit_run(1, TLSRPT_MAX_TXT_ANSWER_SIZE - 11, &add_rc), TLSRPT_ENOTFOUND);
    ck_assert_int_eq(add_rc, TLSRPT_OK);
    ck_assert_int_eq(limit_run(1, TLSRPT_MAX_TXT_ANSWER_SIZE - 10, &add_rc), TLSRPT_ELIMIT);
    ck_assert_int_eq(add_rc, TLSRPT_ELIMIT);
}
END_TEST

START_TEST(caller_owned_answer)
{
    /* Since 1.1 an answer can be made by the caller (for the evaluation functions): same adds, same limits. */
    ck_assert_int_eq(tlsrpt_txt_answer_new(NULL), TLSRPT_EINVAL);
    tlsrpt_txt_answer_free(NULL);
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    ck_assert_ptr_nonnull(a);
    const char *strings[] = {"v=TLSRPTv1;", "rua=mailto:r@example.com"};
    size_t lens[] = {11, 24};
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, strings, lens, 2), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_set_authenticated(a, 7), TLSRPT_OK);
    size_t big = TLSRPT_MAX_TXT_ANSWER_SIZE;
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, strings, &big, 1), TLSRPT_ELIMIT);
    for (unsigned i = 1; i < TLSRPT_MAX_TXT_RRS; i++)
        ck_assert_int_eq(tlsrpt_txt_answer_add(a, NULL, NULL, 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, NULL, NULL, 0), TLSRPT_ELIMIT);
    tlsrpt_txt_answer_free(a); /* the RRs' strings with it: the valgrind and ASan suites check */
}
END_TEST

static int bad_args_lookup(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    (void)qname;
    (void)userdata;
    const char *s = "x";
    size_t one = 1;
    const char *null_string = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_add(NULL, &s, &one, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add(answer, NULL, &one, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add(answer, &s, NULL, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add(answer, &null_string, &one, 1), TLSRPT_EINVAL);
    /* An empty RR (no strings), and a NULL string of length 0. */
    ck_assert_int_eq(tlsrpt_txt_answer_add(answer, NULL, NULL, 0), TLSRPT_OK);
    size_t zero = 0;
    ck_assert_int_eq(tlsrpt_txt_answer_add(answer, &null_string, &zero, 1), TLSRPT_OK);
    return TLSRPT_OK;
}

START_TEST(answer_add_arguments)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/resolv.conf"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, bad_args_lookup, NULL), TLSRPT_OK);
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 2);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_length(l, 1), 0);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-no-tlsrpt-record", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(domain_names)
{
    fake f = {.rc = TLSRPT_ENOTFOUND};
    tlsrpt_lookup_result *l = run_lookup(&f, "bücher.example", TLSRPT_ENOTFOUND);
    ck_assert_str_eq(f.qname, "_smtp._tls.xn--bcher-kva.example.");
    tlsrpt_lookup_result_free(l);
    fake g = {.rc = TLSRPT_ENOTFOUND};
    l = run_lookup(&g, "faß.de", TLSRPT_ENOTFOUND); /* IDNA2008 non-transitional */
    ck_assert_str_eq(g.qname, "_smtp._tls.xn--fa-hia.de.");
    tlsrpt_lookup_result_free(l);

    /* 242 octets is the longest domain whose _smtp._tls name fits in 253. */
    char longest[300];
    memset(longest, 0, sizeof longest);
    for (int i = 0; i < 4; i++) {
        memset(longest + i * 61, 'a', 60);
        longest[i * 61 + 60] = '.';
    }
    longest[242] = '\0';
    ck_assert_uint_eq(strlen(longest), 242);
    fake h = {.rc = TLSRPT_ENOTFOUND};
    l = run_lookup(&h, longest, TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(strlen(h.qname), 254); /* 253 + the root dot */
    tlsrpt_lookup_result_free(l);
    strcat(longest, "a");

    const char *bad[] = {"", ".", "exa mple.com", "a..b", "-a.example", "_smtp._tls.example.com", "a@b.example",
                         "xn--zz-\xff.example", longest};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fake b = {.rc = TLSRPT_OK};
        tlsrpt_resolver *res = fake_resolver(&b);
        l = (tlsrpt_lookup_result *)&b;
        ck_assert_msg(tlsrpt_lookup(res, bad[i], &l) == TLSRPT_EINVAL, "'%s' accepted", bad[i]);
        ck_assert_ptr_null(l);
        ck_assert_int_eq(b.calls, 0);
        tlsrpt_resolver_free(res);
    }
}
END_TEST

/* ---- authorization --------------------------------------------------------------------------------------------- */

static int check_authz(fake *f, const char *policy, const char *uri, int want_rc, int want_verdict,
                       tlsrpt_diag *d)
{
    tlsrpt_resolver *res = fake_resolver(f);
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, uri, strlen(uri), NULL), TLSRPT_OK);
    int verdict = -1;
    int rc = tlsrpt_check_authorization(res, policy, u, &verdict, d);
    ck_assert_msg(rc == want_rc, "%s -> %s: rc %d, want %d", policy, uri, rc, want_rc);
    ck_assert_msg(verdict == want_verdict, "%s -> %s: verdict %d, want %d", policy, uri, verdict, want_verdict);
    tlsrpt_uri_free(u);
    tlsrpt_resolver_free(res);
    return rc;
}

START_TEST(authorization_not_required_in_same_organization)
{
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    fake f = {.rc = TLSRPT_ETEMPFAIL};
    check_authz(&f, "example.com", "mailto:tlsrpt@reports.example.com", TLSRPT_OK, TLSRPT_AUTH_NOT_REQUIRED, d);
    check_authz(&f, "mail.example.co.uk", "https://example.co.uk/tlsrpt", TLSRPT_OK, TLSRPT_AUTH_NOT_REQUIRED, d);
    check_authz(&f, "EXAMPLE.com.", "mailto:x@Example.COM", TLSRPT_OK, TLSRPT_AUTH_NOT_REQUIRED, d);
    ck_assert_int_eq(f.calls, 0); /* no DNS at all */
    ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
    ck_assert_diag(d, "authz-not-required", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(authorization_records)
{
    static const struct {
        const char *txt;
        int verdict;
    } cases[] = {
        {"v=TLSRPTv1", TLSRPT_AUTH_AUTHORIZED},
        {"v=TLSRPTv1;", TLSRPT_AUTH_AUTHORIZED},
        {"v=TLSRPTv1 ;", TLSRPT_AUTH_AUTHORIZED},
        {"v=TLSRPTv1\t; rua=mailto:x@example.net", TLSRPT_AUTH_AUTHORIZED},
        {"v=TLSRPTv1  ", TLSRPT_AUTH_AUTHORIZED},
        {"v=TLSRPTv10", TLSRPT_AUTH_NOT_AUTHORIZED},
        {"v=TLSRPTv1x;", TLSRPT_AUTH_NOT_AUTHORIZED},
        {"v=tlsrptv1", TLSRPT_AUTH_NOT_AUTHORIZED},
        {" v=TLSRPTv1", TLSRPT_AUTH_NOT_AUTHORIZED},
        {"v=DMARC1", TLSRPT_AUTH_NOT_AUTHORIZED},
        {"", TLSRPT_AUTH_NOT_AUTHORIZED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tlsrpt_diag *d = NULL;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        fake f = {.rc = TLSRPT_OK};
        fake_add(&f, "v=spf1 -all", NULL, NULL);
        fake_add(&f, cases[i].txt, NULL, NULL);
        check_authz(&f, "example.com", "mailto:tlsrpt@reports.example.net", TLSRPT_OK, cases[i].verdict, d);
        ck_assert_int_eq(f.calls, 1);
        ck_assert_str_eq(f.qname, "example.com._report._tls.reports.example.net.");
        ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
        if (cases[i].verdict == TLSRPT_AUTH_AUTHORIZED)
            ck_assert_diag(d, "authz-authorized", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
        else
            ck_assert_diag(d, "authz-no-tlsrpt-txt", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
        tlsrpt_diag_free(d);
    }
    /* Strings of one RR are joined. */
    fake g = {.rc = TLSRPT_OK};
    fake_add(&g, "v=TLS", "RPTv1", NULL);
    check_authz(&g, "example.com", "https://collector.example.net/r", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, NULL);
    ck_assert_str_eq(g.qname, "example.com._report._tls.collector.example.net.");
}
END_TEST

START_TEST(authorization_absent_and_failures)
{
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    fake f = {.rc = TLSRPT_ENOTFOUND};
    check_authz(&f, "example.co.uk", "mailto:r@other.co.uk", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    ck_assert_str_eq(f.qname, "example.co.uk._report._tls.other.co.uk.");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "authz-record-missing", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "NXDOMAIN"));
    tlsrpt_diag_clear(d);

    fake g = {.rc = TLSRPT_OK};
    check_authz(&g, "example.com", "mailto:r@example.net", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    ck_assert_diag(d, "authz-record-missing", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "no data"));
    tlsrpt_diag_clear(d);

    fake h = {.rc = TLSRPT_ETEMPFAIL};
    check_authz(&h, "example.com", "mailto:r@example.net", TLSRPT_ETEMPFAIL, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    ck_assert_diag(d, "dns-lookup-tempfail", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_clear(d);

    fake i = {.rc = 7};
    check_authz(&i, "example.com", "mailto:r@example.net", TLSRPT_ETEMPFAIL, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    ck_assert_diag(d, "dns-lookup-callback-error", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_clear(d);

    /* A U-label policy domain becomes A-labels in the query name. */
    fake j = {.rc = TLSRPT_OK};
    fake_add(&j, "v=TLSRPTv1", NULL, NULL);
    check_authz(&j, "bücher.example", "mailto:r@XN--RPORTS-BVA.example.net", TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, NULL);
    ck_assert_str_eq(j.qname, "xn--bcher-kva.example._report._tls.xn--rports-bva.example.net.");

    /* An IP-literal host can never publish the record. */
    fake k = {.rc = TLSRPT_OK};
    check_authz(&k, "example.com", "https://192.0.2.1/tlsrpt", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    check_authz(&k, "example.com", "https://[2001:db8::1]/tlsrpt", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    check_authz(&k, "example.com", "https://192.0.2/tlsrpt", TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, d);
    ck_assert_int_eq(k.calls, 0);
    ck_assert_uint_eq(count_id(d, "authz-ip-literal-host"), 3);
    ck_assert_diag(d, "authz-ip-literal-host", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(authorization_arguments)
{
    fake f = {.rc = TLSRPT_OK};
    tlsrpt_resolver *res = fake_resolver(&f);
    tlsrpt_uri *u = NULL, *nohost = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, TEXT("mailto:r@example.net"), NULL), TLSRPT_OK);
    int verdict = -1;
    ck_assert_int_eq(tlsrpt_check_authorization(NULL, "example.com", u, &verdict, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    verdict = -1;
    ck_assert_int_eq(tlsrpt_check_authorization(res, NULL, u, &verdict, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    ck_assert_int_eq(tlsrpt_check_authorization(res, "example.com", NULL, &verdict, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_check_authorization(res, "example.com", u, NULL, NULL), TLSRPT_EINVAL);
    verdict = -1;
    ck_assert_int_eq(tlsrpt_check_authorization(res, "not a domain", u, &verdict, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    /* A URI without a host. */
    ck_assert_int_eq(tlsrpt_uri_parse(&nohost, TEXT("urn:example:tlsrpt"), NULL), TLSRPT_OK);
    ck_assert_ptr_null(tlsrpt_uri_host(nohost));
    verdict = -1;
    ck_assert_int_eq(tlsrpt_check_authorization(res, "example.com", nohost, &verdict, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    ck_assert_int_eq(f.calls, 0);

    /* A query name over 253 octets cannot exist. */
    char policy[260];
    memset(policy, 0, sizeof policy);
    for (int i = 0; i < 3; i++) {
        memset(policy + i * 61, 'p', 60);
        policy[i * 61 + 60] = '.';
    }
    memset(policy + 183, 'q', 40);
    strcpy(policy + 223, ".example"); /* 231 octets: with "._report._tls.example.net" 256 */
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    verdict = -1;
    ck_assert_int_eq(tlsrpt_check_authorization(res, policy, u, &verdict, d), TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    ck_assert_diag(d, "authz-name-too-long", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    ck_assert_int_eq(f.calls, 0);
    tlsrpt_diag_free(d);
    tlsrpt_uri_free(u);
    tlsrpt_uri_free(nohost);
    tlsrpt_resolver_free(res);
}
END_TEST

/* ---- authorization name ---------------------------------------------------------------------------------------- */

/* tlsrpt_authorization_name(policy, uri): returns the status; *name is a copy of the result or "" (caller frees). */
static int authz_name(const char *policy, const char *uri, char **name, int *required)
{
    tlsrpt_uri *u = NULL;
    ck_assert_msg(tlsrpt_uri_parse(&u, uri, strlen(uri), NULL) == TLSRPT_OK, "%s does not parse", uri);
    char *out = (char *)1;
    int rc = tlsrpt_authorization_name(&out, policy, u, required);
    if (rc != TLSRPT_OK)
        ck_assert_ptr_null(out);
    *name = out;
    tlsrpt_uri_free(u);
    return rc;
}

START_TEST(authorization_name_values)
{
    static const struct {
        const char *policy, *uri, *name;
        int required;
    } cases[] = {
        {"example.com", "mailto:tlsrpt@Reports.Example.NET", "example.com._report._tls.reports.example.net", 1},
        {"example.com", "https://collector.example.org/v1/tlsrpt", "example.com._report._tls.collector.example.org", 1},
        {"example.com", "mailto:tlsrpt@example.com", "example.com._report._tls.example.com", 0},
        {"EXAMPLE.com.", "https://tlsrpt.mail.example.com/r", "example.com._report._tls.tlsrpt.mail.example.com", 0},
        /* Organizational domains from the Public Suffix List, not the last two labels. */
        {"mine.co.uk", "mailto:r@other.co.uk", "mine.co.uk._report._tls.other.co.uk", 1},
        {"a.example.co.uk", "mailto:r@b.example.co.uk", "a.example.co.uk._report._tls.b.example.co.uk", 0},
        /* U-labels become A-labels; underscore labels are DNS names too. */
        {"Bücher.Example", "mailto:r@xn--rports-bva.example.net",
         "xn--bcher-kva.example._report._tls.xn--rports-bva.example.net", 1},
        {"_tenant.example.com", "mailto:r@example.net", "_tenant.example.com._report._tls.example.net", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *name = NULL;
        int required = -1;
        ck_assert_int_eq(authz_name(cases[i].policy, cases[i].uri, &name, &required), TLSRPT_OK);
        ck_assert_str_eq(name, cases[i].name);
        ck_assert_msg(required == cases[i].required, "%s -> %s: required %d", cases[i].policy, cases[i].uri,
                      required);
        tlsrpt_free(name);
        /* required may be NULL. */
        ck_assert_int_eq(authz_name(cases[i].policy, cases[i].uri, &name, NULL), TLSRPT_OK);
        ck_assert_str_eq(name, cases[i].name);
        tlsrpt_free(name);
    }
}
END_TEST

START_TEST(authorization_name_invalid)
{
    char *name = NULL;
    int required = -1;
    static const char *const no_name[] = {
        "https://192.0.2.1/r", "https://[2001:db8::1]/r", "mailto:r@192.0.2.1", "https://192.0.2/r",
        "urn:example:tlsrpt",
    };
    for (size_t i = 0; i < sizeof no_name / sizeof no_name[0]; i++) {
        required = -1;
        ck_assert_msg(authz_name("example.com", no_name[i], &name, &required) == TLSRPT_EINVAL, "%s", no_name[i]);
        ck_assert_int_eq(required, 0);
    }
    required = -1;
    ck_assert_int_eq(authz_name("not a domain", "mailto:r@example.net", &name, &required), TLSRPT_EINVAL);
    ck_assert_int_eq(required, 0);
    ck_assert_int_eq(authz_name("", "mailto:r@example.net", &name, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(authz_name("a..example", "mailto:r@example.net", &name, NULL), TLSRPT_EINVAL);

    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, TEXT("mailto:r@example.net"), NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_authorization_name(NULL, "example.com", u, &required), TLSRPT_EINVAL);
    name = (char *)1;
    required = -1;
    ck_assert_int_eq(tlsrpt_authorization_name(&name, NULL, u, &required), TLSRPT_EINVAL);
    ck_assert_ptr_null(name);
    ck_assert_int_eq(required, 0);
    name = (char *)1;
    ck_assert_int_eq(tlsrpt_authorization_name(&name, "example.com", NULL, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(name);
    tlsrpt_uri_free(u);
}
END_TEST

/* A policy domain of `len` octets: three 60-octet labels, a filler label, then `suffix`. */
static void long_policy(char *buf, size_t len, const char *suffix)
{
    size_t slen = strlen(suffix);
    memset(buf, 0, len + 1);
    for (int i = 0; i < 3; i++) {
        memset(buf + i * 61, 'p', 60);
        buf[i * 61 + 60] = '.';
    }
    ck_assert_uint_gt(len, 183 + slen + 1);
    memset(buf + 183, 'q', len - 183 - slen);
    memcpy(buf + len - slen, suffix, slen);
}

START_TEST(authorization_name_length_limit)
{
    /* "<policy>._report._tls.example.net": 14 + 11 octets around the policy domain. */
    char policy[260], *name = NULL;
    int required = -1;
    long_policy(policy, 253 - 25, ".example");
    ck_assert_int_eq(authz_name(policy, "mailto:r@example.net", &name, &required), TLSRPT_OK);
    ck_assert_uint_eq(strlen(name), 253);
    ck_assert_int_eq(required, 1);
    tlsrpt_free(name);

    long_policy(policy, 254 - 25, ".example");
    required = -1;
    ck_assert_int_eq(authz_name(policy, "mailto:r@example.net", &name, &required), TLSRPT_ELIMIT);
    ck_assert_int_eq(required, 1); /* still known */
    /* In the destination's own organization: over the limit, and not required. */
    long_policy(policy, 254 - 25, ".example.net");
    required = -1;
    ck_assert_int_eq(authz_name(policy, "mailto:r@example.net", &name, &required), TLSRPT_ELIMIT);
    ck_assert_int_eq(required, 0);
}
END_TEST

/* The lint finding and the authorization check use the same name. */
START_TEST(authorization_name_shared)
{
    static const char rec[] = "v=TLSRPTv1; rua=mailto:r@Collector.Example.NET,https://192.0.2.1/r";
    tlsrpt_record *r = NULL;
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_parse(&r, rec, strlen(rec), NULL), TLSRPT_OK);
    char *name = NULL;
    ck_assert_int_eq(tlsrpt_authorization_name(&name, "Bücher.example", tlsrpt_record_rua(r, 0), NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_record_lint(r, "Bücher.example", d), TLSRPT_OK);
    ck_assert_uint_eq(count_id(d, "lint-rua-external"), 1);
    char expect[512];
    snprintf(expect, sizeof expect, "expect the TXT record %s \"v=TLSRPTv1\".", name);
    ck_assert_str_eq(name, "xn--bcher-kva.example._report._tls.collector.example.net");
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (strcmp(tlsrpt_diag_id(d, i), "lint-rua-external") == 0)
            ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, i), expect));

    fake f = {.rc = TLSRPT_ENOTFOUND};
    tlsrpt_resolver *res = fake_resolver(&f);
    int verdict = -1;
    ck_assert_int_eq(tlsrpt_check_authorization(res, "Bücher.example", tlsrpt_record_rua(r, 0), &verdict, NULL),
                     TLSRPT_OK);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    snprintf(expect, sizeof expect, "%s.", name);
    ck_assert_str_eq(f.qname, expect);
    tlsrpt_resolver_free(res);
    tlsrpt_free(name);
    tlsrpt_record_free(r);

    /* Over the name limit: lint still reports the external destination, without a name. */
    char policy[260], text[400];
    long_policy(policy, 254 - 25, ".example");
    snprintf(text, sizeof text, "v=TLSRPTv1; rua=mailto:r@example.net");
    ck_assert_int_eq(tlsrpt_record_parse(&r, text, strlen(text), NULL), TLSRPT_OK);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_record_lint(r, policy, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "lint-rua-external", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "longer than 253 octets, so it cannot be published"));
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- the evaluation layer (since 1.1): caller answers, DNS facts ---------------------------------------------- */

START_TEST(lookup_qname_values)
{
    char *q = NULL;
    ck_assert_int_eq(tlsrpt_lookup_qname("Example.COM.", &q), TLSRPT_OK);
    ck_assert_str_eq(q, "_smtp._tls.example.com.");
    tlsrpt_free(q);
    ck_assert_int_eq(tlsrpt_lookup_qname("bücher.example", &q), TLSRPT_OK);
    ck_assert_str_eq(q, "_smtp._tls.xn--bcher-kva.example.");
    tlsrpt_free(q);
    const char *bad[] = {"", ".", "a..b", "-a.example", "exa mple.com", "_smtp._tls.example.com"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = (char *)&q;
        ck_assert_msg(tlsrpt_lookup_qname(bad[i], &q) == TLSRPT_EINVAL, "'%s' accepted", bad[i]);
        ck_assert_ptr_null(q);
    }
    /* 242 octets: + "_smtp._tls." = 253 fits; 243 does not. */
    char name[260];
    memset(name, 'a', sizeof name);
    for (size_t i = 60; i < 242; i += 61)
        name[i] = '.';
    name[242] = '\0';
    ck_assert_int_eq(tlsrpt_lookup_qname(name, &q), TLSRPT_OK);
    ck_assert_uint_eq(strlen(q), 254);
    tlsrpt_free(q);
    name[242] = 'a';
    name[243] = '\0';
    q = (char *)&q;
    ck_assert_int_eq(tlsrpt_lookup_qname(name, &q), TLSRPT_EINVAL);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(tlsrpt_lookup_qname(NULL, &q), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_lookup_qname("example.com", NULL), TLSRPT_EINVAL);
}
END_TEST

/* The DNS of an MTA that resolves on its own (an event loop): per query name what its resolver got. */
typedef struct mta_rr {
    const char *strings[3];
    int64_t ttl;
} mta_rr;

typedef struct mta_entry {
    const char *qname;
    int status;               /* TLSRPT_OK, TLSRPT_ENOTFOUND or TLSRPT_ETEMPFAIL */
    const char *cnames[3];    /* the chain its resolver followed */
    mta_rr rrs[2];
    int ad;
    const char *server;
} mta_entry;

static const mta_entry mta_dns[] = {
    {"_smtp._tls.one.example.", TLSRPT_OK, {NULL}, {{{"v=TLSRPTv1;rua=mailto:tls", "rpt@one.example", NULL}, 3600},
                                                     {{"v=spf1 -all", NULL, NULL}, 3600}}, 1, "192.0.2.53"},
    {"_smtp._tls.alias.example.", TLSRPT_OK, {"_smtp._tls.hop.example.", "_smtp._tls.one.example", NULL},
     {{{"v=TLSRPTv1;rua=mailto:tlsrpt@one.example", NULL, NULL}, 300}}, 0, "2001:DB8::53"},
    {"_smtp._tls.gone.example.", TLSRPT_ENOTFOUND, {NULL}, {{{NULL}, 0}}, 1, "192.0.2.53"},
    {"_smtp._tls.busy.example.", TLSRPT_ETEMPFAIL, {NULL}, {{{NULL}, 0}}, 0, NULL},
    {"_smtp._tls.looped.example.", TLSRPT_OK, {"a.looped.example.", "_SMTP._tls.looped.example.", NULL},
     {{{NULL}, 0}}, 1, NULL},
    {"x.example._report._tls.collector.example.", TLSRPT_OK, {NULL}, {{{"v=TLSRPTv1", NULL, NULL}, 60}}, 0, NULL},
};

static const mta_entry *mta_find(const char *qname)
{
    for (size_t i = 0; i < sizeof mta_dns / sizeof mta_dns[0]; i++)
        if (strcmp(mta_dns[i].qname, qname) == 0)
            return &mta_dns[i];
    return NULL;
}

/* What the MTA's own resolver code does with a finished query: fill an answer. Returns the DNS status. */
static int mta_fill(const char *qname, tlsrpt_txt_answer *a)
{
    const mta_entry *e = mta_find(qname);
    if (!e)
        return TLSRPT_ENOTFOUND;
    for (size_t i = 0; i < 3 && e->cnames[i]; i++)
        ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, e->cnames[i], 120), TLSRPT_OK);
    for (size_t i = 0; i < 2 && e->rrs[i].strings[0]; i++) {
        size_t lens[3], n = 0;
        while (n < 3 && e->rrs[i].strings[n]) {
            lens[n] = strlen(e->rrs[i].strings[n]);
            n++;
        }
        ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, e->rrs[i].strings, lens, n, e->rrs[i].ttl), TLSRPT_OK);
    }
    ck_assert_int_eq(tlsrpt_txt_answer_set_authenticated(a, e->ad), TLSRPT_OK);
    if (e->server)
        ck_assert_int_eq(tlsrpt_txt_answer_set_server(a, e->server, 53), TLSRPT_OK);
    return e->status;
}

static int mta_lookup_fn(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    (void)userdata;
    return mta_fill(qname, answer);
}

static void same_result(const tlsrpt_lookup_result *a, const tlsrpt_lookup_result *b)
{
    ck_assert_int_eq(tlsrpt_lookup_result_status(a), tlsrpt_lookup_result_status(b));
    ck_assert_str_eq(tlsrpt_lookup_result_qname(a), tlsrpt_lookup_result_qname(b));
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(a), tlsrpt_lookup_result_authenticated(b));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(a), tlsrpt_lookup_result_txt_count(b));
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(a); i++) {
        ck_assert_str_eq(tlsrpt_lookup_result_txt(a, i), tlsrpt_lookup_result_txt(b, i));
        ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(a, i), tlsrpt_lookup_result_txt_ttl(b, i));
        ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(a, i), tlsrpt_lookup_result_txt_string_count(b, i));
    }
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(a), tlsrpt_lookup_result_cname_count(b));
    for (size_t i = 0; i < tlsrpt_lookup_result_cname_count(a); i++)
        ck_assert_str_eq(tlsrpt_lookup_result_cname(a, i), tlsrpt_lookup_result_cname(b, i));
    const tlsrpt_diag *da = tlsrpt_lookup_result_diag(a), *db = tlsrpt_lookup_result_diag(b);
    ck_assert_uint_eq(tlsrpt_diag_count(da), tlsrpt_diag_count(db));
    for (size_t i = 0; i < tlsrpt_diag_count(da); i++)
        ck_assert_str_eq(tlsrpt_diag_id(da, i), tlsrpt_diag_id(db, i));
}

/* An event-loop MTA: it sends the TXT query itself (to the name tlsrpt_lookup_qname() gives), and when its resolver
 * calls back, it evaluates the answer with tlsrpt_lookup_evaluate(). Same outcome as tlsrpt_lookup() with a lookup
 * function over the same data, for every kind of answer. */
START_TEST(event_loop_mta_evaluates_its_answers)
{
    static const struct {
        const char *domain;
        int want;
        const char *first_id; /* the first finding, or NULL for none */
    } cases[] = {
        {"one.example", TLSRPT_OK, "dns-txt-not-tlsrpt"},
        {"alias.example", TLSRPT_OK, NULL},
        {"gone.example", TLSRPT_ENOTFOUND, "dns-nxdomain"},
        {"busy.example", TLSRPT_ETEMPFAIL, "dns-lookup-tempfail"},
        {"looped.example", TLSRPT_ENOTFOUND, "dns-cname-loop"},
        {"nothing.example", TLSRPT_ENOTFOUND, "dns-nxdomain"},
    };
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/resolv.conf"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, mta_lookup_fn, NULL), TLSRPT_OK);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *qname = NULL;
        ck_assert_int_eq(tlsrpt_lookup_qname(cases[k].domain, &qname), TLSRPT_OK);
        /* ... the event loop runs; the query for qname completes: */
        tlsrpt_txt_answer *answer = NULL;
        ck_assert_int_eq(tlsrpt_txt_answer_new(&answer), TLSRPT_OK);
        int dns_status = mta_fill(qname, answer);
        tlsrpt_lookup_result *e = NULL, *l = NULL;
        ck_assert_int_eq(tlsrpt_lookup_evaluate(cases[k].domain, dns_status, answer, &e), cases[k].want);
        tlsrpt_txt_answer_free(answer); /* the result keeps its own copy */
        ck_assert_int_eq(tlsrpt_lookup(res, cases[k].domain, &l), cases[k].want);
        ck_assert_str_eq(tlsrpt_lookup_result_qname(e), qname);
        same_result(e, l);
        const tlsrpt_diag *d = tlsrpt_lookup_result_diag(e);
        if (cases[k].first_id)
            ck_assert_str_eq(tlsrpt_diag_id(d, 0), cases[k].first_id);
        else
            ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
        tlsrpt_lookup_result_free(e);
        tlsrpt_lookup_result_free(l);
        tlsrpt_free(qname);
    }
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(evaluate_facts)
{
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    ck_assert_int_eq(mta_fill("_smtp._tls.one.example.", a), TLSRPT_OK);
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_lookup_evaluate("one.example", TLSRPT_OK, a, &l), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 2);
    ck_assert_str_eq(tlsrpt_lookup_result_txt(l, 0), "v=TLSRPTv1;rua=mailto:tlsrpt@one.example");
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 0), 3600);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(l, 0), 2);
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 0), "v=TLSRPTv1;rua=mailto:tls");
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_length(l, 0, 0), 25);
    ck_assert_str_eq(tlsrpt_lookup_result_txt_string(l, 0, 1), "rpt@one.example");
    ck_assert_ptr_null(tlsrpt_lookup_result_txt_string(l, 0, 2));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_length(l, 0, 2), 0);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(l, 1), 1);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(l, 2), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_txt_string(l, 2, 0));
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 2), TLSRPT_TTL_UNKNOWN);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "192.0.2.53");
    ck_assert_uint_eq(tlsrpt_lookup_result_server_port(l), 53);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_cname(l, 0));
    ck_assert_int_eq(tlsrpt_lookup_result_cname_ttl(l, 0), TLSRPT_TTL_UNKNOWN);
    tlsrpt_lookup_result_free(l);
    /* The same answer evaluated again (it is only read), and as an NXDOMAIN: the RRs are not data then. */
    ck_assert_int_eq(tlsrpt_lookup_evaluate("one.example", TLSRPT_ENOTFOUND, a, &l), TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "192.0.2.53");
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    tlsrpt_txt_answer_free(a);

    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    ck_assert_int_eq(mta_fill("_smtp._tls.alias.example.", a), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup_evaluate("alias.example", TLSRPT_OK, a, &l), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 2);
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 0), "_smtp._tls.hop.example.");
    ck_assert_str_eq(tlsrpt_lookup_result_cname(l, 1), "_smtp._tls.one.example."); /* the dot added */
    ck_assert_int_eq(tlsrpt_lookup_result_cname_ttl(l, 1), 120);
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "2001:db8::53"); /* canonical text */
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
    tlsrpt_lookup_result_free(l);
    tlsrpt_txt_answer_free(a);

    /* Nothing set: TTLs and the server unknown. NULL getters. */
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    const char *s = "v=TLSRPTv1;rua=mailto:r@example.com";
    size_t len = strlen(s);
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, &s, &len, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, a, &l), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 0), TLSRPT_TTL_UNKNOWN);
    ck_assert_ptr_null(tlsrpt_lookup_result_server(l));
    ck_assert_uint_eq(tlsrpt_lookup_result_server_port(l), 0);
    tlsrpt_lookup_result_free(l);
    tlsrpt_txt_answer_free(a);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(NULL, 0), TLSRPT_TTL_UNKNOWN);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(NULL, 0), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_txt_string(NULL, 0, 0));
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_length(NULL, 0, 0), 0);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_lookup_result_cname(NULL, 0));
    ck_assert_int_eq(tlsrpt_lookup_result_cname_ttl(NULL, 0), TLSRPT_TTL_UNKNOWN);
    ck_assert_ptr_null(tlsrpt_lookup_result_server(NULL));
    ck_assert_uint_eq(tlsrpt_lookup_result_server_port(NULL), 0);
}
END_TEST

START_TEST(evaluate_statuses_and_arguments)
{
    tlsrpt_lookup_result *l = NULL;
    /* No answer object: an empty answer. */
    ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, NULL, &l), TLSRPT_ENOTFOUND);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-no-data", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_ENOTFOUND, NULL, &l), TLSRPT_ENOTFOUND);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    /* ETEMPFAIL: the answer is not looked at, nothing is authenticated. */
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    const char *s = "v=TLSRPTv1;rua=mailto:r@example.com";
    size_t len = strlen(s);
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, &s, &len, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_set_authenticated(a, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_ETEMPFAIL, a, &l), TLSRPT_ETEMPFAIL);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
    ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
    ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-lookup-tempfail", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
    /* Arguments: *out NULL on EINVAL. */
    const int bad_status[] = {TLSRPT_EMULTIPLE, TLSRPT_ELIMIT, TLSRPT_EINVAL, 1, 42};
    for (size_t i = 0; i < sizeof bad_status / sizeof bad_status[0]; i++) {
        l = (tlsrpt_lookup_result *)&l;
        ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", bad_status[i], a, &l), TLSRPT_EINVAL);
        ck_assert_ptr_null(l);
    }
    l = (tlsrpt_lookup_result *)&l;
    ck_assert_int_eq(tlsrpt_lookup_evaluate(NULL, TLSRPT_OK, a, &l), TLSRPT_EINVAL);
    ck_assert_ptr_null(l);
    l = (tlsrpt_lookup_result *)&l;
    ck_assert_int_eq(tlsrpt_lookup_evaluate("not a domain", TLSRPT_OK, a, &l), TLSRPT_EINVAL);
    ck_assert_ptr_null(l);
    ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, a, NULL), TLSRPT_EINVAL);
    /* Over the limits: ELIMIT whatever the caller's status, as through a lookup function; the AD bit is kept
     * (it describes the refused data). */
    for (unsigned i = 1; i < TLSRPT_MAX_TXT_RRS; i++)
        ck_assert_int_eq(tlsrpt_txt_answer_add(a, NULL, NULL, 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, NULL, NULL, 0), TLSRPT_ELIMIT);
    const int statuses[] = {TLSRPT_OK, TLSRPT_ENOTFOUND, TLSRPT_ETEMPFAIL};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", statuses[i], a, &l), TLSRPT_ELIMIT);
        ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
        ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
        ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-answer-too-large", TLSRPT_SEVERITY_ERROR,
                       TLSRPT_NO_OFFSET);
        tlsrpt_lookup_result_free(l);
    }
    tlsrpt_txt_answer_free(a);
}
END_TEST

START_TEST(answer_fact_arguments)
{
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    const char *s = "v=TLSRPTv1;rua=mailto:r@example.com";
    size_t len = strlen(s);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, &s, &len, 1, -2), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, &s, &len, 1, (int64_t)UINT32_MAX + 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(NULL, &s, &len, 1, 0), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, NULL, &len, 1, 0), TLSRPT_EINVAL);
    /* RFC 2181 §8: the most significant bit set means 0. */
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, &s, &len, 1, 0x80000000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, NULL, NULL, 0, 0x7fffffff), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, NULL, NULL, 0, TLSRPT_TTL_UNKNOWN), TLSRPT_OK);

    char long_name[300];
    memset(long_name, 'a', sizeof long_name);
    long_name[255] = '\0';
    const char *bad_targets[] = {"", ".", long_name};
    for (size_t i = 0; i < 3; i++)
        ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, bad_targets[i], 0), TLSRPT_EINVAL);
    long_name[254] = '\0'; /* 254 without a dot: the dot would make 255 */
    ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, long_name, 0), TLSRPT_EINVAL);
    long_name[253] = '.';
    ck_assert_int_eq(tlsrpt_txt_answer_add_cname(NULL, "a.example", 0), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, NULL, 0), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, "a.example", -5), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, long_name, 0xffffffff), TLSRPT_OK);

    const char *bad_servers[] = {"", "localhost", "[::1]", "127.0.0.1:53", "::1%lo"};
    for (size_t i = 0; i < sizeof bad_servers / sizeof bad_servers[0]; i++)
        ck_assert_msg(tlsrpt_txt_answer_set_server(a, bad_servers[i], 53) == TLSRPT_EINVAL, "'%s'", bad_servers[i]);
    ck_assert_int_eq(tlsrpt_txt_answer_set_server(a, NULL, 53), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_set_server(NULL, "::1", 53), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_txt_answer_set_server(a, "::FFFF:192.0.2.1", 0), TLSRPT_OK);

    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, a, &l), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 3);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 0), 0);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 1), 0x7fffffff);
    ck_assert_int_eq(tlsrpt_lookup_result_txt_ttl(l, 2), TLSRPT_TTL_UNKNOWN);
    ck_assert_uint_eq(tlsrpt_lookup_result_txt_string_count(l, 1), 0);
    ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 1);
    ck_assert_uint_eq(strlen(tlsrpt_lookup_result_cname(l, 0)), 254);
    ck_assert_int_eq(tlsrpt_lookup_result_cname_ttl(l, 0), 0);
    ck_assert_str_eq(tlsrpt_lookup_result_server(l), "::ffff:192.0.2.1");
    ck_assert_uint_eq(tlsrpt_lookup_result_server_port(l), 0);
    tlsrpt_lookup_result_free(l);
    tlsrpt_txt_answer_free(a);
}
END_TEST

/* An answer behind n CNAMEs a, b, c, ... (the last one owns the record). */
static tlsrpt_txt_answer *chain_answer(size_t n, int ad)
{
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    for (size_t i = 0; i < n; i++) {
        char target[64];
        snprintf(target, sizeof target, "hop%zu.chain.example.", i + 1);
        int rc = tlsrpt_txt_answer_add_cname(a, target, 300);
        ck_assert_int_eq(rc, i <= 11 ? TLSRPT_OK : TLSRPT_ELIMIT);
    }
    const char *s = "v=TLSRPTv1;rua=mailto:r@example.com";
    size_t len = strlen(s);
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, &s, &len, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_txt_answer_set_authenticated(a, ad), TLSRPT_OK);
    return a;
}

/* Chains as long as BIND's and Unbound's default (11 CNAMEs) are followed; a longer one or a loop is a permanent
 * "no usable record" with its own id, and `authenticated` still says whether the refused data was validated. */
START_TEST(cname_chain_rule)
{
    const size_t ok_lengths[] = {1, 9, 11};
    for (size_t k = 0; k < 3; k++) {
        tlsrpt_txt_answer *a = chain_answer(ok_lengths[k], 1);
        tlsrpt_lookup_result *l = NULL;
        ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, a, &l), TLSRPT_OK);
        ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), ok_lengths[k]);
        ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
        tlsrpt_lookup_result_free(l);
        tlsrpt_txt_answer_free(a);
    }
    const size_t long_lengths[] = {12, 13, 40};
    for (size_t k = 0; k < 3; k++) {
        tlsrpt_txt_answer *a = chain_answer(long_lengths[k], 1);
        tlsrpt_lookup_result *l = NULL;
        ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, a, &l), TLSRPT_ENOTFOUND);
        const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
        ck_assert_diag(d, "dns-cname-chain-too-long", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
        ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(d, 0), "hop11.chain.example. -> hop12.chain.example."));
        ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 12);
        ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 0);
        ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 1);
        tlsrpt_lookup_result_free(l);
        tlsrpt_txt_answer_free(a);
    }
    /* Loops: back to the query name (case does not matter), or to an earlier target. */
    const char *loops[][3] = {{"_SMTP._TLS.Example.COM.", NULL, NULL},
                              {"a.example.", "b.example.", "A.example"},
                              {"a.example.", "a.example.", NULL}};
    for (size_t k = 0; k < 3; k++) {
        tlsrpt_txt_answer *a = NULL;
        ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
        for (size_t i = 0; i < 3 && loops[k][i]; i++)
            ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, loops[k][i], TLSRPT_TTL_UNKNOWN), TLSRPT_OK);
        tlsrpt_lookup_result *l = NULL;
        ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_OK, a, &l), TLSRPT_ENOTFOUND);
        ck_assert_uint_eq(tlsrpt_diag_count(tlsrpt_lookup_result_diag(l)), 1);
        ck_assert_diag(tlsrpt_lookup_result_diag(l), "dns-cname-loop", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
        ck_assert_int_eq(tlsrpt_lookup_result_authenticated(l), 0);
        tlsrpt_lookup_result_free(l);
        /* A chain ending in NXDOMAIN is reported as the loop, not as NXDOMAIN. */
        ck_assert_int_eq(tlsrpt_lookup_evaluate("example.com", TLSRPT_ENOTFOUND, a, &l), TLSRPT_ENOTFOUND);
        ck_assert_str_eq(tlsrpt_diag_id(tlsrpt_lookup_result_diag(l), 0), "dns-cname-loop");
        tlsrpt_lookup_result_free(l);
        tlsrpt_txt_answer_free(a);
    }
}
END_TEST

/* lib/sts/ uses trpt_resolver_query_txt() with its 1.0 codes: a refused chain is ETEMPFAIL there, an answer over
 * the limits ELIMIT, each with its ERROR and an empty answer. */
static int refused_lookup(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    (void)userdata;
    if (strstr(qname, "loop"))
        ck_assert_int_eq(tlsrpt_txt_answer_add_cname(answer, qname, 0), TLSRPT_OK);
    else
        for (unsigned i = 0; i <= TLSRPT_MAX_TXT_RRS; i++)
            tlsrpt_txt_answer_add(answer, NULL, NULL, 0);
    return TLSRPT_OK;
}

START_TEST(query_txt_keeps_its_codes)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(trpt_resolver_new_from_file(&res, "/nonexistent/resolv.conf"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, refused_lookup, NULL), TLSRPT_OK);
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_txt_answer answer;
    trpt_txt_answer_init(&answer);
    ck_assert_int_eq(trpt_resolver_query_txt(res, "_mta-sts.loop.example.", &answer, d), TLSRPT_ETEMPFAIL);
    ck_assert_uint_eq(answer.n_rrs, 0);
    ck_assert_uint_eq(answer.n_cnames, 0);
    ck_assert_diag(d, "dns-cname-loop", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_int_eq(trpt_resolver_query_txt(res, "_mta-sts.big.example.", &answer, d), TLSRPT_ELIMIT);
    ck_assert_uint_eq(answer.n_rrs, 0);
    ck_assert_diag(d, "dns-answer-too-large", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    trpt_txt_answer_clear(&answer);
    tlsrpt_diag_free(d);
    tlsrpt_resolver_free(res);
}
END_TEST

static void authz_eval(const char *policy, const char *uri, int dns_status, const tlsrpt_txt_answer *a, int want_rc,
                       int want_verdict, const char *want_id)
{
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, uri, strlen(uri), NULL), TLSRPT_OK);
    tlsrpt_diag *d = NULL;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    int verdict = -1;
    int rc = tlsrpt_authorization_evaluate(policy, u, dns_status, a, &verdict, d);
    ck_assert_msg(rc == want_rc, "%s -> %s: rc %d, want %d", policy, uri, rc, want_rc);
    ck_assert_msg(verdict == want_verdict, "%s -> %s: verdict %d", policy, uri, verdict);
    if (want_id) {
        ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
        ck_assert_str_eq(tlsrpt_diag_id(d, 0), want_id);
    } else {
        ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    }
    tlsrpt_diag_free(d);
    tlsrpt_uri_free(u);
}

/* The MTA evaluates the authorization record it looked up itself. */
START_TEST(authorization_evaluate_caller_answers)
{
    const char *dest = "mailto:r@collector.example";
    char *name = NULL;
    tlsrpt_uri *u = NULL;
    ck_assert_int_eq(tlsrpt_uri_parse(&u, dest, strlen(dest), NULL), TLSRPT_OK);
    int required = 0;
    ck_assert_int_eq(tlsrpt_authorization_name(&name, "x.example", u, &required), TLSRPT_OK);
    ck_assert_int_eq(required, 1);
    char qname[300];
    snprintf(qname, sizeof qname, "%s.", name);
    tlsrpt_free(name);
    tlsrpt_uri_free(u);
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    int st = mta_fill(qname, a);
    authz_eval("x.example", dest, st, a, TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, "authz-authorized");
    tlsrpt_txt_answer_free(a);

    authz_eval("x.example", dest, TLSRPT_OK, NULL, TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, "authz-record-missing");
    authz_eval("x.example", dest, TLSRPT_ENOTFOUND, NULL, TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED,
               "authz-record-missing");
    authz_eval("x.example", dest, TLSRPT_ETEMPFAIL, NULL, TLSRPT_ETEMPFAIL, TLSRPT_AUTH_NOT_AUTHORIZED,
               "dns-lookup-tempfail");
    /* No query needed: the answer and a failed query are not looked at. */
    authz_eval("example.com", "mailto:r@reports.example.com", TLSRPT_ETEMPFAIL, NULL, TLSRPT_OK,
               TLSRPT_AUTH_NOT_REQUIRED, "authz-not-required");
    authz_eval("example.com", "https://192.0.2.1/tlsrpt", TLSRPT_OK, NULL, TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED,
               "authz-ip-literal-host");
    authz_eval("example.com", dest, 42, NULL, TLSRPT_EINVAL, TLSRPT_AUTH_NOT_AUTHORIZED, NULL);
    authz_eval("not a domain", dest, TLSRPT_OK, NULL, TLSRPT_EINVAL, TLSRPT_AUTH_NOT_AUTHORIZED, NULL);
    /* A chain over the bound, a loop: not authorized, the ERROR says why (as tlsrpt_check_authorization). */
    a = chain_answer(12, 1);
    authz_eval("x.example", dest, TLSRPT_OK, a, TLSRPT_OK, TLSRPT_AUTH_NOT_AUTHORIZED, "dns-cname-chain-too-long");
    tlsrpt_txt_answer_free(a);
    a = chain_answer(11, 0);
    authz_eval("x.example", dest, TLSRPT_OK, a, TLSRPT_OK, TLSRPT_AUTH_AUTHORIZED, "authz-authorized");
    tlsrpt_txt_answer_free(a);

    ck_assert_int_eq(tlsrpt_uri_parse(&u, dest, strlen(dest), NULL), TLSRPT_OK);
    int verdict = -1;
    ck_assert_int_eq(tlsrpt_authorization_evaluate("x.example", u, TLSRPT_OK, NULL, NULL, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_authorization_evaluate(NULL, u, TLSRPT_OK, NULL, &verdict, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    verdict = -1;
    ck_assert_int_eq(tlsrpt_authorization_evaluate("x.example", NULL, TLSRPT_OK, NULL, &verdict, NULL),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
    tlsrpt_uri_free(u);
}
END_TEST

/* Every allocation of the evaluation layer fails in turn: ENOMEM, *out NULL, nothing leaked (valgrind and ASan),
 * and once every allocation succeeds, the full result. */
START_TEST(evaluation_out_of_memory)
{
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    ck_assert_int_eq(mta_fill("_smtp._tls.alias.example.", a), TLSRPT_OK);
    const char *s = "v=spf1 -all";
    size_t len = strlen(s);
    ck_assert_int_eq(tlsrpt_txt_answer_add_with_ttl(a, &s, &len, 1, 60), TLSRPT_OK);
    int done = 0;
    for (long k = 0; !done; k++) {
        tlsrpt_lookup_result *l = (tlsrpt_lookup_result *)&l;
        arm(k);
        int rc = tlsrpt_lookup_evaluate("alias.example", TLSRPT_OK, a, &l);
        long made = disarm();
        if (k < made) {
            ck_assert_msg(rc == TLSRPT_ENOMEM, "allocation %ld failed: rc %d", k, rc);
            ck_assert_ptr_null(l);
        } else {
            ck_assert_int_eq(rc, TLSRPT_OK);
            ck_assert_uint_eq(tlsrpt_lookup_result_cname_count(l), 2);
            ck_assert_uint_eq(tlsrpt_lookup_result_txt_count(l), 2);
            tlsrpt_lookup_result_free(l);
            done = 1;
        }
    }
    tlsrpt_uri *u = NULL;
    const char *dest = "mailto:r@collector.example";
    ck_assert_int_eq(tlsrpt_uri_parse(&u, dest, strlen(dest), NULL), TLSRPT_OK);
    done = 0;
    for (long k = 0; !done; k++) {
        int verdict = -1;
        arm(k);
        int rc = tlsrpt_authorization_evaluate("x.example", u, TLSRPT_OK, a, &verdict, NULL);
        long made = disarm();
        if (k < made) {
            ck_assert_msg(rc == TLSRPT_ENOMEM, "allocation %ld failed: rc %d", k, rc);
            ck_assert_int_eq(verdict, TLSRPT_AUTH_NOT_AUTHORIZED);
        } else {
            ck_assert_int_eq(rc, TLSRPT_OK);
            done = 1;
        }
    }
    tlsrpt_uri_free(u);
    /* The adders: a failed allocation leaves the answer as it was, and marks it (an evaluation is then ENOMEM). */
    arm(0);
    ck_assert_int_eq(tlsrpt_txt_answer_add_cname(a, "more.example.", 1), TLSRPT_ENOMEM);
    disarm();
    tlsrpt_lookup_result *l = (tlsrpt_lookup_result *)&l;
    ck_assert_int_eq(tlsrpt_lookup_evaluate("alias.example", TLSRPT_OK, a, &l), TLSRPT_ENOMEM);
    ck_assert_ptr_null(l);
    tlsrpt_txt_answer_free(a);
    char *q = (char *)&q;
    arm(0);
    ck_assert_int_eq(tlsrpt_lookup_qname("example.com", &q), TLSRPT_ENOMEM);
    disarm();
    ck_assert_ptr_null(q);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("dns");
    TCase *tc = tcase_create("resolver");
    tcase_add_test(tc, resolver_arguments);
    tcase_add_test(tc, caller_owned_answer);
    tcase_add_test(tc, missing_resolv_conf_fails_at_lookup);
    tcase_add_test(tc, resolv_conf_without_nameserver);
    tcase_add_test(tc, closed_port_is_a_network_error);
    suite_add_tcase(s, tc);
    tc = tcase_create("rfc8460-section3");
    tcase_add_test(tc, one_record);
    tcase_add_test(tc, authenticated_answer);
    tcase_add_test(tc, authenticated_nxdomain);
    tcase_add_test(tc, strings_joined_without_spaces);
    tcase_add_test(tc, two_records_are_multiple);
    tcase_add_test(tc, other_txt_ignored);
    tcase_add_test(tc, only_other_txt_is_not_found);
    tcase_add_test(tc, no_data_and_nxdomain);
    tcase_add_test(tc, callback_failures_are_tempfail);
    tcase_add_test(tc, malformed_single_candidate);
    tcase_add_test(tc, whitespace_before_semicolon_is_a_candidate);
    tcase_add_test(tc, nul_byte_in_record);
    tcase_add_test(tc, record_over_length_limit);
    tcase_add_test(tc, answer_limits);
    tcase_add_test(tc, answer_add_arguments);
    tcase_add_test(tc, domain_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("authorization");
    tcase_add_test(tc, authorization_not_required_in_same_organization);
    tcase_add_test(tc, authorization_records);
    tcase_add_test(tc, authorization_absent_and_failures);
    tcase_add_test(tc, authorization_arguments);
    tcase_add_test(tc, authorization_name_values);
    tcase_add_test(tc, authorization_name_invalid);
    tcase_add_test(tc, authorization_name_length_limit);
    tcase_add_test(tc, authorization_name_shared);
    suite_add_tcase(s, tc);
    tc = tcase_create("evaluation");
    tcase_add_test(tc, lookup_qname_values);
    tcase_add_test(tc, event_loop_mta_evaluates_its_answers);
    tcase_add_test(tc, evaluate_facts);
    tcase_add_test(tc, evaluate_statuses_and_arguments);
    tcase_add_test(tc, answer_fact_arguments);
    tcase_add_test(tc, cname_chain_rule);
    tcase_add_test(tc, query_txt_keeps_its_codes);
    tcase_add_test(tc, authorization_evaluate_caller_answers);
    tcase_add_test(tc, evaluation_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}
