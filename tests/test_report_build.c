/* Building reports: arguments, conversions, equal-policy and equal-detail lookup, counts and their overflow, merge
 * arithmetic and its rollback, the no-allocation hot path, and every allocation failure (this executable is linked
 * with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free so that the library's allocations can be counted and failed).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "gzip.h"
#include "ip.h"
#include "report_testutil.h"

/* ---- Allocation counting and failure injection: tests/alloc_hooks.h (arm, disarm) ---------------------------------- */
#include "alloc_hooks.h"

/* ---- Fixtures ------------------------------------------------------------------------------------------------------- */

#define DAY 1719792000 /* 2024-07-01T00:00:00Z */

static tlsrpt_report *new_report(void)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Example Org", "tlsrpt@example.org", "rid-1", DAY, DAY + 86399),
                     TLSRPT_OK);
    return r;
}

static tlsrpt_policy *sts_policy(tlsrpt_report *r, const char *domain)
{
    static const char *const strings[] = {"version: STSv1", "mode: enforce", "mx: mx.example.net", "max_age: 86400"};
    static const char *const mx[] = {"mx.example.net"};
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, domain, strings, 4, mx, 1, &p), TLSRPT_OK);
    return p;
}

static tlsrpt_failure *failure(const char *type, const char *ip, const char *mx)
{
    tlsrpt_failure *f;
    ck_assert_int_eq(tlsrpt_failure_new(&f, type), TLSRPT_OK);
    if (ip)
        ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, ip), TLSRPT_OK);
    if (mx)
        ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, mx), TLSRPT_OK);
    return f;
}

/* ---- tlsrpt_report_new ---------------------------------------------------------------------------------------------- */

START_TEST(report_new_values)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Org \xc3\xa9", NULL, "id", DAY, DAY + 86400), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_organization_name(r), "Org \xc3\xa9");
    ck_assert_ptr_null(tlsrpt_report_contact_info(r));
    ck_assert_str_eq(tlsrpt_report_id(r), "id");
    ck_assert_int_eq(tlsrpt_report_start_time(r), DAY);
    ck_assert_int_eq(tlsrpt_report_end_time(r), DAY + 86400);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 0);
    tlsrpt_report_free(r);

    /* The extreme times RFC 3339 can write. */
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "i", TRPT_TIME_MIN, TRPT_TIME_MAX), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_start_time(r), -62167219200LL);
    ck_assert_int_eq(tlsrpt_report_end_time(r), 253402300799LL);
    tlsrpt_report_free(r);
    tlsrpt_report_free(NULL);
}
END_TEST

START_TEST(report_new_rejects)
{
    tlsrpt_report *r = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_new(NULL, "o", "c", "i", 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, NULL, "c", "i", 0, 1), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_report_new(&r, "", "c", "i", 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", NULL, 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "", 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o\xff", "c", "i", 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c\xc3", "i", 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "i\xed\xa0\x80", 0, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "i", 5, 5), TLSRPT_EINVAL);  /* empty period */
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "i", 6, 5), TLSRPT_EINVAL);  /* inverted */
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "i", TRPT_TIME_MIN - 1, 5), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_new(&r, "o", "c", "i", 0, TRPT_TIME_MAX + 1), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
}
END_TEST

/* ---- tlsrpt_report_add_policy --------------------------------------------------------------------------------------- */

START_TEST(add_policy_values_and_conversions)
{
    tlsrpt_report *r = new_report();
    static const char *const mx[] = {"*.MX.B\xc3\xbc" "cher.example.", "Mail.Example.NET"};
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "B\xc3\xbc" "cher.Example", NULL, 0, mx, 2, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_type(p), TLSRPT_POLICY_STS);
    ck_assert_str_eq(tlsrpt_policy_type_name(p), "sts");
    ck_assert_str_eq(tlsrpt_policy_domain(p), "xn--bcher-kva.example");
    ck_assert_uint_eq(tlsrpt_policy_string_count(p), 0);
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 2);
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "*.mx.xn--bcher-kva.example");
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 1), "mail.example.net");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 0);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 0);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 0);
    ck_assert_int_eq(p->has_strings, 0);
    ck_assert_int_eq(p->has_mx_hosts, 1);
    ck_assert_int_eq(p->has_failures, 0);

    /* The same policy written differently (converted forms equal) is the same object. */
    static const char *const mx2[] = {"*.mx.xn--bcher-kva.example", "mail.example.net"};
    tlsrpt_policy *q;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "xn--bcher-kva.example", NULL, 0, mx2, 2, &q),
                     TLSRPT_OK);
    ck_assert_ptr_eq(p, q);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);

    /* Any difference makes a new policy: type, domain, strings present, mx order. */
    static const char *const mx_rev[] = {"mail.example.net", "*.mx.xn--bcher-kva.example"};
    static const char *const strings[] = {"version: STSv1"};
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_TLSA, "xn--bcher-kva.example", NULL, 0, mx2, 2, &q),
                     TLSRPT_OK);
    ck_assert_ptr_ne(p, q);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "other.example", NULL, 0, mx2, 2, &q),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "xn--bcher-kva.example", strings, 1, mx2, 2, &q),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "xn--bcher-kva.example", NULL, 0, mx_rev, 2, &q),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "xn--bcher-kva.example", NULL, 0,
                                               NULL, 0, &q),
                     TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_policy_type_name(q), "no-policy-found");
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 6);
    /* Insertion order is kept. */
    ck_assert_ptr_eq(tlsrpt_report_policy(r, 0), p);
    ck_assert_ptr_eq(tlsrpt_report_policy(r, 5), q);
    ck_assert_str_eq(tlsrpt_policy_type_name(tlsrpt_report_policy(r, 1)), "tlsa");
    ck_assert_str_eq(tlsrpt_policy_string(tlsrpt_report_policy(r, 3), 0), "version: STSv1");
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(add_policy_rejects)
{
    tlsrpt_report *r = new_report();
    tlsrpt_policy *p = (tlsrpt_policy *)1;
    static const char *const good[] = {"mx.example.net"};
    static const char *const bad_mx[] = {"mx.example.net", "bad host"};
    static const char *const wildcard_mid[] = {"mx.*.example.net"};
    static const char *const null_entry[] = {NULL};
    static const char *const bad_utf8[] = {"mode: \xc0\xaf"};
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, good, 1, NULL),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(NULL, TLSRPT_POLICY_STS, "example.net", NULL, 0, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_OTHER, "example.net", NULL, 0, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, 4, "example.net", NULL, 0, good, 1, &p), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, NULL, NULL, 0, good, 1, &p), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "not a domain", NULL, 0, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "-bad.example", NULL, 0, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, bad_mx, 2, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, wildcard_mid, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, null_entry, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", null_entry, 1, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", bad_utf8, 1, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 1, good, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, NULL, 1, &p),
                     TLSRPT_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 0);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(add_policy_many_mx_hosts)
{
    /* More mx-hosts than fit the stack array, with conversion of each. */
    tlsrpt_report *r = new_report();
    char names[20][32];
    const char *mx[20];
    for (int i = 0; i < 20; i++) {
        snprintf(names[i], sizeof names[i], "MX%d.Example.net", i);
        mx[i] = names[i];
    }
    tlsrpt_policy *p, *q;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, mx, 20, &p), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 20);
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 19), "mx19.example.net");
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", NULL, 0, mx, 20, &q), TLSRPT_OK);
    ck_assert_ptr_eq(p, q);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Failure details ------------------------------------------------------------------------------------------------- */

START_TEST(failure_new_and_setters)
{
    tlsrpt_failure *f = (tlsrpt_failure *)1;
    ck_assert_int_eq(tlsrpt_failure_new(NULL, "x"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_new(&f, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(f);
    ck_assert_int_eq(tlsrpt_failure_new(&f, ""), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_new(&f, "bad\xff"), TLSRPT_EINVAL);

    ck_assert_int_eq(tlsrpt_failure_new(&f, "some-future-type"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "some-future-type");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_OTHER);
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_hostname(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_helo(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_ip(f));
    ck_assert_ptr_null(tlsrpt_failure_additional_information(f));
    ck_assert_ptr_null(tlsrpt_failure_reason_code(f));
    ck_assert_uint_eq(tlsrpt_failure_session_count(f), 0);
    tlsrpt_failure_free(f);

    ck_assert_int_eq(tlsrpt_failure_new(&f, "validation-failure"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_VALIDATION_FAILURE);

    /* IP addresses: checked, stored in RFC 5952 form (lower-case, longest zero run compressed, IPv4 as is). */
    static const struct {
        const char *in, *stored;
    } ips[] = {
        {"192.0.2.1", "192.0.2.1"},
        {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        {"2001:db8:abcd:0012::1", "2001:db8:abcd:12::1"},
        {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},
        {"::", "::"},
        {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
    };
    for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
        ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, ips[i].in), TLSRPT_OK);
        ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), ips[i].stored);
        ck_assert_int_eq(trpt_ip_is_canonical(ips[i].stored, strlen(ips[i].stored)), 1);
        ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, ips[i].in), TLSRPT_OK);
        ck_assert_str_eq(tlsrpt_failure_receiving_ip(f), ips[i].stored);
    }
    static const char *const bad_ips[] = {"", "192.0.2", "192.0.2.256", "01.2.3.4", "192.0.2.1 ", "[2001:db8::1]",
                                          "fe80::1%eth0", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "example.com"};
    for (size_t i = 0; i < sizeof bad_ips / sizeof bad_ips[0]; i++) {
        ck_assert_msg(tlsrpt_failure_set_sending_mta_ip(f, bad_ips[i]) == TLSRPT_EINVAL, "%s accepted", bad_ips[i]);
        ck_assert_msg(tlsrpt_failure_set_receiving_ip(f, bad_ips[i]) == TLSRPT_EINVAL, "%s accepted", bad_ips[i]);
    }
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), "::ffff:192.0.2.1"); /* unchanged by the failures */
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, NULL), TLSRPT_OK);
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(f));

    /* Host names: A-labels, lower case, no trailing dot. */
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "MX1.B\xc3\xbc" "cher.example."), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_hostname(f), "mx1.xn--bcher-kva.example");
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "bad_host.example"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "*.example.com"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, ""), TLSRPT_EINVAL);
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_hostname(f), "mx1.xn--bcher-kva.example");

    /* HELO: a host name or an address literal. */
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, "Mx1.Example.COM"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_helo(f), "mx1.example.com");
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, "[192.0.2.7]"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_helo(f), "[192.0.2.7]");
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(f, "[IPv6:2001:db8::7]"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_helo(f), "[IPv6:2001:db8::7]");
    static const char *const bad_helos[] = {"[2001:db8::7]", "[192.0.2.300]", "[]", "[IPv6:192.0.2.1]", "a b",
                                            "helo\r\nX: y", ""};
    for (size_t i = 0; i < sizeof bad_helos / sizeof bad_helos[0]; i++)
        ck_assert_msg(tlsrpt_failure_set_receiving_mx_helo(f, bad_helos[i]) == TLSRPT_EINVAL, "%s accepted",
                      bad_helos[i]);
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_helo(f), "[IPv6:2001:db8::7]");

    /* additional-information: an RFC 3986 URI, stored as given. */
    static const char *const good_uris[] = {
        "https://reports.example.com/info?id=5065427c-23d3#StarttlsNotSupported",
        "https://user:pw@[2001:db8::1]:8443/a/b;c=d?x=1&y=%20#f",
        "http://192.0.2.1/",
        "urn:ietf:rfc:8460",
        "mailto:postmaster@example.com",
        "x:",
        "https://example.com",
        "https://[v1.fe]/",
        "https://example.com:/",
    };
    for (size_t i = 0; i < sizeof good_uris / sizeof good_uris[0]; i++) {
        ck_assert_msg(tlsrpt_failure_set_additional_information(f, good_uris[i]) == TLSRPT_OK, "%s refused",
                      good_uris[i]);
        ck_assert_str_eq(tlsrpt_failure_additional_information(f), good_uris[i]);
    }
    static const char *const bad_uris[] = {
        "",                                 /* empty */
        "reports.example.com/info",         /* no scheme */
        "1https://example.com/",            /* scheme starts with a digit */
        "https://example.com/a b",          /* space */
        "https://example.com/%zz",          /* bad percent-encoding */
        "https://example.com/%2",           /* truncated percent-encoding */
        "https://[2001:db8::1/",            /* unclosed IP literal */
        "https://[fe80::1%25eth0]/",        /* zone id is not RFC 3986 */
        "https://example.com:80a/",         /* bad port */
        "https://exa mple.com/",            /* space in host */
        "https://example.com/\"q\"",        /* quote */
        "https://example.com/#a#b",         /* second '#' */
        "https://example.com/\xc3\xa9",     /* raw non-ASCII (an IRI, not a URI) */
        "https://example.com/<x>",
        "https://exa[mple.com/",
    };
    for (size_t i = 0; i < sizeof bad_uris / sizeof bad_uris[0]; i++)
        ck_assert_msg(tlsrpt_failure_set_additional_information(f, bad_uris[i]) == TLSRPT_EINVAL, "%s accepted",
                      bad_uris[i]);
    ck_assert_str_eq(tlsrpt_failure_additional_information(f), "https://example.com:/");

    /* The URI length limit: TLSRPT_MAX_URI_LENGTH accepted, one more refused. */
    char *long_uri = malloc(TLSRPT_MAX_URI_LENGTH + 2);
    ck_assert_ptr_nonnull(long_uri);
    memcpy(long_uri, "https://e.example/", 18);
    memset(long_uri + 18, 'a', TLSRPT_MAX_URI_LENGTH - 18);
    long_uri[TLSRPT_MAX_URI_LENGTH] = '\0';
    ck_assert_int_eq(tlsrpt_failure_set_additional_information(f, long_uri), TLSRPT_OK);
    long_uri[TLSRPT_MAX_URI_LENGTH] = 'a';
    long_uri[TLSRPT_MAX_URI_LENGTH + 1] = '\0';
    ck_assert_int_eq(tlsrpt_failure_set_additional_information(f, long_uri), TLSRPT_EINVAL);
    free(long_uri);

    /* Reason code: any UTF-8 text, controls included. */
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "X509_V_ERR \"q\"\n\xe2\x9c\x93"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_reason_code(f), "X509_V_ERR \"q\"\n\xe2\x9c\x93");
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, "\xe2\x9c"), TLSRPT_EINVAL);
    ck_assert_str_eq(tlsrpt_failure_reason_code(f), "X509_V_ERR \"q\"\n\xe2\x9c\x93");
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, NULL), TLSRPT_OK);
    ck_assert_ptr_null(tlsrpt_failure_reason_code(f));

    /* NULL failure. */
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(NULL, "192.0.2.1"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(NULL, "192.0.2.1"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(NULL, "a.example"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_helo(NULL, "a.example"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_additional_information(NULL, "x:"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(NULL, "x"), TLSRPT_EINVAL);
    tlsrpt_failure_free(f);
    tlsrpt_failure_free(NULL);
}
END_TEST

START_TEST(add_failures_merges_and_counts)
{
    tlsrpt_report *r = new_report();
    tlsrpt_policy *p = sts_policy(r, "example.net");
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 10), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 5), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 15);

    tlsrpt_failure *a = failure("certificate-expired", "192.0.2.1", "mx.example.net");
    tlsrpt_failure *b = failure("certificate-expired", "192.0.2.2", "mx.example.net");
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, 3), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, b, 4), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, 5), TLSRPT_OK);
    /* The caller's object is copied: changing it afterwards makes a different detail. */
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(a, "expired yesterday"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(a, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, 0), TLSRPT_OK);

    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 3);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 13);
    const tlsrpt_failure *d0 = tlsrpt_policy_failure(p, 0), *d1 = tlsrpt_policy_failure(p, 1),
                         *d2 = tlsrpt_policy_failure(p, 2);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(d0), "192.0.2.1");
    ck_assert_ptr_null(tlsrpt_failure_reason_code(d0));
    ck_assert_uint_eq(tlsrpt_failure_session_count(d0), 8);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(d1), "192.0.2.2");
    ck_assert_uint_eq(tlsrpt_failure_session_count(d1), 4);
    ck_assert_str_eq(tlsrpt_failure_reason_code(d2), "expired yesterday");
    ck_assert_uint_eq(tlsrpt_failure_session_count(d2), 1);
    ck_assert_uint_eq(tlsrpt_failure_session_count(a), 0); /* the caller's object is not counted */

    ck_assert_int_eq(tlsrpt_policy_add_failures(NULL, a, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, NULL, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_policy_add_successes(NULL, 1), TLSRPT_EINVAL);
    tlsrpt_failure_free(a);
    tlsrpt_failure_free(b);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(counts_saturate_as_errors)
{
    tlsrpt_report *r = new_report();
    tlsrpt_policy *p = sts_policy(r, "example.net");
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, UINT64_MAX - 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 1), TLSRPT_OK); /* exactly UINT64_MAX */
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 1), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), UINT64_MAX);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 0), TLSRPT_OK);

    tlsrpt_failure *a = failure("starttls-not-supported", "192.0.2.1", NULL);
    tlsrpt_failure *b = failure("starttls-not-supported", "192.0.2.2", NULL);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, UINT64_MAX - 10), TLSRPT_OK);
    /* The summary would overflow through another detail: nothing changes, no detail is added. */
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, b, 11), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 1);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), UINT64_MAX - 10);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, b, 10), TLSRPT_OK); /* summary exactly UINT64_MAX */
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), UINT64_MAX);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, 1), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 0)), UINT64_MAX - 10);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 1)), 10);

    /* A detail at its own maximum on a parsed-style policy whose summary is lower than the sum. */
    p->failed_sessions = 0;
    p->failures[0]->session_count = UINT64_MAX;
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, a, 1), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 0);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 0)), UINT64_MAX);
    tlsrpt_failure_free(a);
    tlsrpt_failure_free(b);
    tlsrpt_report_free(r);
}
END_TEST

/* The state of a report's arena, to check that a failed call gave back everything it took there. */
typedef struct arena_state {
    trpt_arena_mark mark;
    size_t total;
} arena_state;

static arena_state arena_now(const tlsrpt_report *r)
{
    arena_state s = {trpt_arena_get_mark(&r->arena), r->arena.total};
    return s;
}

static void assert_arena_is(const tlsrpt_report *r, arena_state s)
{
    ck_assert_ptr_eq(r->arena.head, s.mark.head);
    ck_assert_uint_eq(r->arena.used, s.mark.used);
    ck_assert_uint_eq(r->arena.total, s.total);
}

START_TEST(hot_path_does_not_allocate)
{
    tlsrpt_report *r = new_report();
    tlsrpt_policy *p = sts_policy(r, "example.net");
    for (int i = 0; i < 50; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "192.0.2.%d", i);
        tlsrpt_failure *f = failure("certificate-expired", ip, "mx.example.net");
        ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 1), TLSRPT_OK);
        tlsrpt_failure_free(f);
    }
    tlsrpt_failure *f = failure("certificate-expired", "192.0.2.17", "mx.example.net");
    static const char *const strings[] = {"version: STSv1", "mode: enforce", "mx: mx.example.net", "max_age: 86400"};
    static const char *const mx[] = {"mx.example.net"};

    arm(-1);
    for (int i = 0; i < 1000; i++) {
        tlsrpt_policy *q;
        int rc1 = tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "example.net", strings, 4, mx, 1, &q);
        int rc2 = tlsrpt_policy_add_failures(q, f, 2);
        int rc3 = tlsrpt_policy_add_successes(q, 3);
        if (rc1 || rc2 || rc3 || q != p)
            break;
    }
    long allocations = disarm();
    ck_assert_int_eq(allocations, 0);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(p, 17)), 1 + 2000);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 50 + 2000);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 3000);
    tlsrpt_failure_free(f);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(allocation_failures_leave_no_trace)
{
    /* Every allocation of add_policy and add_failures, failed in turn: ENOMEM and the report as before. */
    for (long k = 0;; k++) {
        tlsrpt_report *r = new_report();
        tlsrpt_policy *p = sts_policy(r, "example.net");
        tlsrpt_failure *f = failure("certificate-expired", "192.0.2.1", "mx.example.net");
        char *before = serialize_or_fail(r, 0);
        static const char *const mx[] = {"*.B\xc3\xbc" "cher.example"};
        arena_state arena_before = arena_now(r);
        arm(k);
        tlsrpt_policy *q = NULL;
        int rc = tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "b\xc3\xbc" "cher.example", NULL, 0, mx, 1, &q);
        if (rc == TLSRPT_OK) {
            arena_before = arena_now(r);
            rc = tlsrpt_policy_add_failures(p, f, 7);
        }
        long seen = disarm();
        if (k >= seen) {
            ck_assert_int_eq(rc, TLSRPT_OK); /* no allocation was failed: done */
            ck_assert_uint_eq(tlsrpt_report_policy_count(r), 2);
            free(before);
            tlsrpt_failure_free(f);
            tlsrpt_report_free(r);
            ck_assert_int_gt(k, 3);
            break;
        }
        ck_assert_int_eq(rc, TLSRPT_ENOMEM);
        char *after = serialize_or_fail(r, 0);
        /* add_policy failing leaves no policy; add_failures failing leaves no detail and no count. */
        if (q == NULL)
            ck_assert_str_eq(after, before);
        else
            ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 0);
        ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 0);
        assert_arena_is(r, arena_before); /* the failed call gave back what it took in the arena */
        free(before);
        free(after);
        tlsrpt_failure_free(f);
        tlsrpt_report_free(r);
    }
}
END_TEST

/* ---- Merge ----------------------------------------------------------------------------------------------------------- */

START_TEST(merge_arithmetic)
{
    tlsrpt_report *dst, *src;
    ck_assert_int_eq(tlsrpt_report_new(&dst, "Org", "c@example.org", "daily", DAY + 3600, DAY + 7200), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_new(&src, "Other", NULL, "proc-2", DAY, DAY + 5000), TLSRPT_OK);

    tlsrpt_policy *d1 = sts_policy(dst, "a.example");
    tlsrpt_policy *d2 = sts_policy(dst, "b.example");
    tlsrpt_failure *x = failure("certificate-expired", "192.0.2.1", "mx.example.net");
    tlsrpt_failure *y = failure("dnssec-invalid", NULL, NULL);
    tlsrpt_policy_add_successes(d1, 100);
    tlsrpt_policy_add_failures(d1, x, 7);
    tlsrpt_policy_add_successes(d2, 1);

    tlsrpt_policy *s1 = sts_policy(src, "b.example");
    tlsrpt_policy *s2 = sts_policy(src, "a.example");
    tlsrpt_policy *s3;
    ck_assert_int_eq(tlsrpt_report_add_policy(src, TLSRPT_POLICY_NO_POLICY_FOUND, "c.example", NULL, 0, NULL, 0, &s3),
                     TLSRPT_OK);
    tlsrpt_policy_add_successes(s1, 20);
    tlsrpt_policy_add_failures(s1, y, 2);
    tlsrpt_policy_add_successes(s2, 50);
    tlsrpt_policy_add_failures(s2, x, 3);
    tlsrpt_policy_add_failures(s2, y, 4);
    tlsrpt_policy_add_successes(s3, 9);
    char *src_before = serialize_or_fail(src, 0);

    ck_assert_int_eq(tlsrpt_report_merge(dst, src), TLSRPT_OK);
    /* dst keeps its metadata, the period widens to cover both. */
    ck_assert_str_eq(tlsrpt_report_organization_name(dst), "Org");
    ck_assert_str_eq(tlsrpt_report_id(dst), "daily");
    ck_assert_int_eq(tlsrpt_report_start_time(dst), DAY);
    ck_assert_int_eq(tlsrpt_report_end_time(dst), DAY + 7200);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), 3);
    /* Existing policies stay where they are (same objects), the new one is appended. */
    ck_assert_ptr_eq(tlsrpt_report_policy(dst, 0), d1);
    ck_assert_ptr_eq(tlsrpt_report_policy(dst, 1), d2);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(d1), 150);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(d1), 14);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(d1), 2);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d1, 0)), 10);
    ck_assert_str_eq(tlsrpt_failure_result_type(tlsrpt_policy_failure(d1, 1)), "dnssec-invalid");
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d1, 1)), 4);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(d2), 21);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(d2), 2);
    const tlsrpt_policy *n3 = tlsrpt_report_policy(dst, 2);
    ck_assert_str_eq(tlsrpt_policy_type_name(n3), "no-policy-found");
    ck_assert_str_eq(tlsrpt_policy_domain(n3), "c.example");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(n3), 9);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(n3), 0);
    ck_assert_int_eq(n3->has_failures, 0);

    /* src is unchanged. */
    char *src_after = serialize_or_fail(src, 0);
    ck_assert_str_eq(src_before, src_after);
    free(src_before);
    free(src_after);

    /* Merging a report into itself doubles every count. */
    ck_assert_int_eq(tlsrpt_report_merge(dst, dst), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), 3);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(d1), 300);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(d1), 28);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d1, 0)), 20);

    /* The merged report can still be built on without allocating on the hot path. */
    tlsrpt_policy *again = sts_policy(dst, "a.example");
    ck_assert_ptr_eq(again, d1);
    arm(-1);
    int rc = tlsrpt_policy_add_failures(d1, y, 1);
    ck_assert_int_eq(disarm(), 0);
    ck_assert_int_eq(rc, TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d1, 1)), 9);

    ck_assert_int_eq(tlsrpt_report_merge(NULL, src), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_merge(dst, NULL), TLSRPT_EINVAL);
    tlsrpt_failure_free(x);
    tlsrpt_failure_free(y);
    tlsrpt_report_free(src);
    tlsrpt_report_free(dst);
}
END_TEST

/* Builds the pair of reports for the overflow and allocation tests: dst and src overlap in one policy and one detail
 * and each has something of its own. */
static void overlapping_pair(tlsrpt_report **dst, tlsrpt_report **src, uint64_t dst_detail, uint64_t src_detail)
{
    ck_assert_int_eq(tlsrpt_report_new(dst, "Org", NULL, "d", DAY, DAY + 10), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_new(src, "Org", NULL, "s", DAY - 10, DAY + 20), TLSRPT_OK);
    tlsrpt_failure *x = failure("certificate-expired", "192.0.2.1", NULL);
    tlsrpt_failure *y = failure("tlsa-invalid", "192.0.2.9", NULL);
    tlsrpt_policy *d = sts_policy(*dst, "a.example");
    tlsrpt_policy_add_successes(d, 5);
    ck_assert_int_eq(tlsrpt_policy_add_failures(d, y, 1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(d, x, dst_detail), TLSRPT_OK);
    tlsrpt_policy *s = sts_policy(*src, "z.example"); /* new in dst */
    tlsrpt_policy_add_successes(s, 1);
    ck_assert_int_eq(tlsrpt_policy_add_failures(s, y, 2), TLSRPT_OK);
    s = sts_policy(*src, "a.example");
    tlsrpt_policy_add_successes(s, 6);
    ck_assert_int_eq(tlsrpt_policy_add_failures(s, y, 3), TLSRPT_OK); /* existing detail */
    tlsrpt_failure_set_reason_code(y, "new detail");
    ck_assert_int_eq(tlsrpt_policy_add_failures(s, y, 4), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(s, x, src_detail), TLSRPT_OK); /* last: the one that overflows */
    tlsrpt_failure_free(x);
    tlsrpt_failure_free(y);
}

START_TEST(merge_overflow_leaves_dst_unchanged)
{
    tlsrpt_report *dst, *src;
    /* The last detail overflows while every summary still fits: dst's failure summary is 1 + MAX/2, src's is
     * 3 + 4 + MAX/2 - 100, together MAX - 93; the detail itself is raised directly to MAX - 10. */
    overlapping_pair(&dst, &src, UINT64_MAX / 2, UINT64_MAX / 2 - 100);
    dst->policies[0]->failures[1]->session_count = UINT64_MAX - 10;
    const tlsrpt_policy *d0 = tlsrpt_report_policy(dst, 0);
    char *before = serialize_or_fail(dst, TLSRPT_JSON_PRETTY);
    arena_state arena_before = arena_now(dst);
    /* A failed merge gives back what it appended, also in the arena: retrying does not grow dst. */
    for (int i = 0; i < 20; i++) {
        ck_assert_int_eq(tlsrpt_report_merge(dst, src), TLSRPT_ELIMIT);
        assert_arena_is(dst, arena_before);
    }
    char *after = serialize_or_fail(dst, TLSRPT_JSON_PRETTY);
    ck_assert_str_eq(before, after);
    ck_assert_ptr_eq(tlsrpt_report_policy(dst, 0), d0);
    ck_assert_int_eq(tlsrpt_report_start_time(dst), DAY); /* the period did not widen */
    free(after);
    /* dst still works: lookups find the old objects, and a merge that fits succeeds. */
    tlsrpt_policy *again = sts_policy(dst, "a.example");
    ck_assert_ptr_eq(again, d0);
    dst->policies[0]->failures[1]->session_count = 0;
    ck_assert_int_eq(tlsrpt_report_merge(dst, src), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), 2);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(d0), 3);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d0, 0)), 4);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d0, 1)), UINT64_MAX / 2 - 100);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(d0, 2)), 4);
    ck_assert_int_eq(tlsrpt_report_start_time(dst), DAY - 10);
    ck_assert_int_eq(tlsrpt_report_end_time(dst), DAY + 20);
    free(before);
    tlsrpt_report_free(dst);
    tlsrpt_report_free(src);

    /* A summary count that overflows (successes), and exactly UINT64_MAX that does not. */
    overlapping_pair(&dst, &src, 1, 1);
    dst->policies[0]->successful_sessions = UINT64_MAX - 5;
    before = serialize_or_fail(dst, 0);
    ck_assert_int_eq(tlsrpt_report_merge(dst, src), TLSRPT_ELIMIT);
    after = serialize_or_fail(dst, 0);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    dst->policies[0]->successful_sessions = UINT64_MAX - 6;
    ck_assert_int_eq(tlsrpt_report_merge(dst, src), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(dst, 0)), UINT64_MAX);
    tlsrpt_report_free(dst);
    tlsrpt_report_free(src);
}
END_TEST

START_TEST(merge_allocation_failures_leave_dst_unchanged)
{
    for (long k = 0;; k++) {
        tlsrpt_report *dst, *src;
        overlapping_pair(&dst, &src, 1, 1);
        const tlsrpt_policy *d0 = tlsrpt_report_policy(dst, 0);
        char *before = serialize_or_fail(dst, 0);
        arena_state arena_before = arena_now(dst);
        arm(k);
        int rc = tlsrpt_report_merge(dst, src);
        long seen = disarm();
        char *after = serialize_or_fail(dst, 0);
        if (k >= seen) {
            ck_assert_int_eq(rc, TLSRPT_OK);
            ck_assert_str_ne(before, after);
            ck_assert_int_gt(k, 3);
            free(before);
            free(after);
            tlsrpt_report_free(dst);
            tlsrpt_report_free(src);
            break;
        }
        ck_assert_int_eq(rc, TLSRPT_ENOMEM);
        ck_assert_str_eq(before, after);
        ck_assert_ptr_eq(tlsrpt_report_policy(dst, 0), d0);
        assert_arena_is(dst, arena_before);
        free(before);
        free(after);
        tlsrpt_report_free(dst);
        tlsrpt_report_free(src);
    }
}
END_TEST

START_TEST(parsed_report_grows)
{
    /* A report the fast path read (report_fast.c) keeps its policy and failure-detail arrays in its arena at their
     * exact size and its strings in the text: adding a detail and a policy must move the arrays to the heap and
     * leave every string read before as it was (ASan and valgrind run this too). Once from JSON, once from gzip
     * (whose decompressed text the report keeps). */
    static const char json[] =
        "{\"organization-name\":\"A\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
        "\"end-datetime\":\"2024-07-01T23:59:59Z\"},\"contact-info\":\"a@a.example\",\"report-id\":\"a1\","
        "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\"],"
        "\"policy-domain\":\"x.example\",\"mx-host\":\"mx.x.example\"},\"summary\":{"
        "\"total-successful-session-count\":1,\"total-failure-session-count\":3},\"failure-details\":[{"
        "\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
        "\"mx.x.example\",\"failed-session-count\":3}]}]}";
    for (int gz = 0; gz < 2; gz++) {
        tlsrpt_report *r;
        unsigned char *in = (unsigned char *)json;
        size_t in_len = sizeof json - 1;
        if (gz)
            ck_assert_int_eq(trpt_gzip_compress(json, sizeof json - 1, &in, &in_len), TLSRPT_OK);
        trpt_parse_stats st;
        ck_assert_int_eq(trpt_report_parse_stats(&r, in, in_len, 0, NULL, &st), TLSRPT_OK);
        ck_assert_int_eq(st.fast_path, 1);
        if (gz)
            free(in);
        tlsrpt_policy *p = (tlsrpt_policy *)tlsrpt_report_policy(r, 0);
        for (int i = 0; i < 6; i++) { /* past the arena array and the first heap capacity */
            char ip[32];
            snprintf(ip, sizeof ip, "192.0.2.%d", 10 + i);
            tlsrpt_failure *f = failure("starttls-not-supported", ip, "mx.x.example");
            ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 1), TLSRPT_OK);
            tlsrpt_failure_free(f);
        }
        for (int i = 0; i < 6; i++) {
            char domain[32];
            snprintf(domain, sizeof domain, "y%d.example", i);
            (void)sts_policy(r, domain);
        }
        ck_assert_uint_eq(tlsrpt_report_policy_count(r), 7);
        ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 7);
        ck_assert_str_eq(tlsrpt_report_organization_name(r), "A");
        ck_assert_str_eq(tlsrpt_policy_domain(p), "x.example");
        ck_assert_str_eq(tlsrpt_policy_string(p, 0), "version: STSv1");
        ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "mx.x.example");
        const tlsrpt_failure *first = tlsrpt_policy_failure(p, 0);
        ck_assert_str_eq(tlsrpt_failure_result_type(first), "certificate-expired");
        ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(first), "192.0.2.1");
        ck_assert_uint_eq(tlsrpt_failure_session_count(first), 3);
        ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(tlsrpt_policy_failure(p, 6)), "192.0.2.15");
        ck_assert_str_eq(tlsrpt_policy_domain(tlsrpt_report_policy(r, 6)), "y5.example");
        /* A copy of it (merge into an empty report) is independent of it. */
        tlsrpt_report *c = new_report();
        ck_assert_int_eq(tlsrpt_report_merge(c, r), TLSRPT_OK);
        tlsrpt_report_free(r);
        ck_assert_uint_eq(tlsrpt_report_policy_count(c), 7);
        tlsrpt_report_free(c);
    }
}
END_TEST

START_TEST(merge_parsed_reports)
{
    /* Parsed reports carry presence flags the builder never sets (an empty policy-string array, an empty
     * failure-details array); merge matches on them and keeps them. */
    static const char a_json[] =
        "{\"organization-name\":\"A\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
        "\"end-datetime\":\"2024-07-01T23:59:59Z\"},\"contact-info\":\"a@a.example\",\"report-id\":\"a1\","
        "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[],\"policy-domain\":\"x.example\","
        "\"mx-host\":\"mx.x.example\"},\"summary\":{\"total-successful-session-count\":1,"
        "\"total-failure-session-count\":0},\"failure-details\":[]}]}";
    static const char b_json[] =
        "{\"organization-name\":\"B\",\"date-range\":{\"start-datetime\":\"2024-07-02T00:00:00Z\","
        "\"end-datetime\":\"2024-07-02T23:59:59Z\"},\"contact-info\":\"b@b.example\",\"report-id\":\"b1\","
        "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[],\"policy-domain\":\"x.example\","
        "\"mx-host\":[\"mx.x.example\"]},\"summary\":{\"total-successful-session-count\":2,"
        "\"total-failure-session-count\":3},\"failure-details\":[{\"result-type\":\"certificate-expired\","
        "\"failed-session-count\":3}]},{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"x.example\","
        "\"mx-host\":[\"mx.x.example\"]},\"summary\":{\"total-successful-session-count\":4,"
        "\"total-failure-session-count\":0}}]}";
    tlsrpt_report *a, *b;
    ck_assert_int_eq(tlsrpt_report_parse(&a, TEXT(a_json), 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_parse(&b, TEXT(b_json), 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge(a, b), TLSRPT_OK);
    char *json = serialize_or_fail(a, 0);
    ck_assert_str_eq(json,
                     "{\"organization-name\":\"A\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
                     "\"end-datetime\":\"2024-07-02T23:59:59Z\"},\"contact-info\":\"a@a.example\","
                     "\"report-id\":\"a1\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[],"
                     "\"policy-domain\":\"x.example\",\"mx-host\":[\"mx.x.example\"]},\"summary\":{"
                     "\"total-successful-session-count\":3,\"total-failure-session-count\":3},\"failure-details\":[{"
                     "\"result-type\":\"certificate-expired\",\"failed-session-count\":3}]},{\"policy\":{"
                     "\"policy-type\":\"sts\",\"policy-domain\":\"x.example\",\"mx-host\":[\"mx.x.example\"]},"
                     "\"summary\":{\"total-successful-session-count\":4,\"total-failure-session-count\":0}}]}");
    free(json);
    tlsrpt_report_free(a);
    tlsrpt_report_free(b);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report_build");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, report_new_values);
    tcase_add_test(tc, report_new_rejects);
    tcase_add_test(tc, add_policy_values_and_conversions);
    tcase_add_test(tc, add_policy_rejects);
    tcase_add_test(tc, add_policy_many_mx_hosts);
    tcase_add_test(tc, failure_new_and_setters);
    tcase_add_test(tc, add_failures_merges_and_counts);
    tcase_add_test(tc, counts_saturate_as_errors);
    tcase_add_test(tc, hot_path_does_not_allocate);
    tcase_add_test(tc, allocation_failures_leave_no_trace);
    suite_add_tcase(s, tc);
    tc = tcase_create("merge");
    tcase_add_test(tc, merge_arithmetic);
    tcase_add_test(tc, merge_overflow_leaves_dst_unchanged);
    tcase_add_test(tc, merge_allocation_failures_leave_dst_unchanged);
    tcase_add_test(tc, merge_parsed_reports);
    tcase_add_test(tc, parsed_report_grows);
    suite_add_tcase(s, tc);
    return s;
}
