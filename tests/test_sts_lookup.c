/* MTA-STS discovery without a network: tlsrpt_sts_evaluate on the caller's answers, tlsrpt_sts_lookup through a
 * lookup function and a fetch function, the response object, the resolver's HTTPS settings, the names.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_hooks.h"
#include "testutil.h"

static const char POLICY[] = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

static tlsrpt_txt_answer *answer_of(size_t n, const char *const *records)
{
    tlsrpt_txt_answer *a = NULL;
    ck_assert_int_eq(tlsrpt_txt_answer_new(&a), TLSRPT_OK);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(records[i]);
        ck_assert_int_eq(tlsrpt_txt_answer_add(a, &records[i], &len, 1), TLSRPT_OK);
    }
    return a;
}

static tlsrpt_https_response *response_of(int status, const char *ctype, const char *body)
{
    tlsrpt_https_response *r = NULL;
    ck_assert_int_eq(tlsrpt_https_response_new(&r), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_https_response_set_status(r, status, ctype), TLSRPT_OK);
    if (body)
        ck_assert_int_eq(tlsrpt_https_response_append(r, body, strlen(body)), TLSRPT_OK);
    return r;
}

static tlsrpt_sts_lookup_result *eval(int dns, const tlsrpt_txt_answer *a, const tlsrpt_https_response *resp,
                                      int want)
{
    tlsrpt_sts_lookup_result *r = NULL;
    int rc = tlsrpt_sts_evaluate("Example.COM.", dns, a, resp, &r);
    ck_assert_msg(rc == want, "rc %d (%s), want %d", rc, tlsrpt_status_string(rc), want);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_status(r), want);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_domain(r), "example.com");
    ck_assert_str_eq(tlsrpt_sts_lookup_result_txt_qname(r), "_mta-sts.example.com.");
    ck_assert_str_eq(tlsrpt_sts_lookup_result_url(r), "https://mta-sts.example.com/.well-known/mta-sts.txt");
    return r;
}

START_TEST(names)
{
    char *s = NULL;
    ck_assert_int_eq(tlsrpt_sts_policy_url("bücher.example", &s), TLSRPT_OK);
    ck_assert_str_eq(s, "https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt");
    free(s);
    ck_assert_int_eq(tlsrpt_sts_txt_qname("Example.com.", &s), TLSRPT_OK);
    ck_assert_str_eq(s, "_mta-sts.example.com.");
    free(s);
    ck_assert_int_eq(tlsrpt_sts_txt_qname("not a domain", &s), TLSRPT_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(tlsrpt_sts_txt_qname(NULL, &s), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_policy_url("example.com", NULL), TLSRPT_EINVAL);
    /* 253 octets in all: a domain of 244 fits "_mta-sts." (9), one of 245 does not. */
    char name[300];
    memset(name, 'a', sizeof name);
    for (size_t i = 63; i < 260; i += 64)
        name[i] = '.';
    name[244] = '\0';
    ck_assert_int_eq(tlsrpt_sts_txt_qname(name, &s), TLSRPT_OK);
    ck_assert_uint_eq(strlen(s), 9 + 244 + 1);
    free(s);
    name[244] = 'a';
    name[245] = '\0';
    ck_assert_int_eq(tlsrpt_sts_txt_qname(name, &s), TLSRPT_EINVAL);
}
END_TEST

/* tlsrpt_sts_fetch_name: each outcome's word, as doc/json-output.md lists them; NULL for any other value. */
START_TEST(fetch_names)
{
    static const struct {
        int fetch;
        const char *name;
    } want[] = {{TLSRPT_STS_FETCH_NONE, "none"},
                {TLSRPT_STS_FETCH_OK, "ok"},
                {TLSRPT_STS_FETCH_CONNECT, "connect"},
                {TLSRPT_STS_FETCH_TIMEOUT, "timeout"},
                {TLSRPT_STS_FETCH_TLS, "tls"},
                {TLSRPT_STS_FETCH_CERTIFICATE, "certificate"},
                {TLSRPT_STS_FETCH_PROTOCOL, "protocol"},
                {TLSRPT_STS_FETCH_TOO_LARGE, "too-large"},
                {TLSRPT_STS_FETCH_UNSUPPORTED, "unsupported"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_str_eq(tlsrpt_sts_fetch_name(want[i].fetch), want[i].name);
    ck_assert_ptr_null(tlsrpt_sts_fetch_name(-1));
    ck_assert_ptr_null(tlsrpt_sts_fetch_name(TLSRPT_STS_FETCH_UNSUPPORTED + 1));
    ck_assert_ptr_null(tlsrpt_sts_fetch_name(INT32_MIN));
}
END_TEST

START_TEST(txt_stage)
{
    const char *one[] = {"v=spf1 -all", "v=STSv1; id=abc123;"};
    tlsrpt_txt_answer *a = answer_of(2, one);
    tlsrpt_sts_lookup_result *r = eval(TLSRPT_OK, a, NULL, TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_txt_status(r), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_sts_record_id(tlsrpt_sts_lookup_result_record(r)), "abc123");
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_txt_count(r), 2);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_txt(r, 0), "v=spf1 -all");
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_txt_length(r, 1), 19);
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_txt(r, 2));
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_txt_length(r, 2), 0);
    ck_assert_diag(tlsrpt_sts_lookup_result_diag(r), "sts-dns-txt-not-sts", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_NONE);
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_result_type(r));
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_txt_answer_free(a);

    struct {
        size_t n;
        const char *rr[2];
        int status;
        const char *id;
    } cases[] = {
        {0, {NULL, NULL}, TLSRPT_ENOTFOUND, "sts-dns-no-data"},
        {1, {"v=STSv10; id=1;", NULL}, TLSRPT_ENOTFOUND, "sts-dns-no-record"},
        {2, {"v=STSv1; id=1;", "v=STSv1; id=2;"}, TLSRPT_EMULTIPLE, "sts-dns-multiple-records"},
        {1, {"v=STSv1; id=not-alnum;", NULL}, TLSRPT_ESYNTAX, "sts-dns-record-invalid"},
        {1, {"v=STSv1;", NULL}, TLSRPT_ESYNTAX, "sts-dns-record-invalid"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        a = answer_of(cases[i].n, cases[i].rr);
        tlsrpt_https_response *resp = response_of(200, "text/plain", POLICY);
        /* Even with a good response: without a valid record there is no policy and nothing to report. */
        r = eval(TLSRPT_OK, a, resp, cases[i].status);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_txt_status(r), cases[i].status);
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_record(r));
        ck_assert_diag(tlsrpt_sts_lookup_result_diag(r), cases[i].id, TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_result_type(r));
        tlsrpt_sts_lookup_result_free(r);
        tlsrpt_https_response_free(resp);
        tlsrpt_txt_answer_free(a);
    }

    /* The TXT stage alone. */
    const char *rec1[] = {"v=STSv1; id=only;"};
    a = answer_of(1, rec1);
    r = NULL;
    ck_assert_int_eq(tlsrpt_sts_evaluate_txt("example.com", TLSRPT_OK, a, &r), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_sts_record_id(tlsrpt_sts_lookup_result_record(r)), "only");
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_NONE);
    tlsrpt_sts_lookup_result_free(r);
    ck_assert_int_eq(tlsrpt_sts_evaluate_txt("example.com", TLSRPT_OK, NULL, &r), TLSRPT_EINVAL);
    tlsrpt_txt_answer_free(a);

    r = eval(TLSRPT_ENOTFOUND, NULL, NULL, TLSRPT_ENOTFOUND);
    ck_assert_diag(tlsrpt_sts_lookup_result_diag(r), "sts-dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_sts_lookup_result_free(r);
    r = eval(TLSRPT_ETEMPFAIL, NULL, NULL, TLSRPT_ETEMPFAIL);
    ck_assert_diag(tlsrpt_sts_lookup_result_diag(r), "sts-dns-tempfail", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_sts_lookup_result_free(r);

    /* An answer that went over a limit evaluates to ELIMIT. */
    a = answer_of(0, NULL);
    size_t big = TLSRPT_MAX_TXT_ANSWER_SIZE + 1;
    const char *s = "x";
    ck_assert_int_eq(tlsrpt_txt_answer_add(a, &s, &big, 1), TLSRPT_ELIMIT);
    r = eval(TLSRPT_OK, a, NULL, TLSRPT_ELIMIT);
    ck_assert_diag(tlsrpt_sts_lookup_result_diag(r), "sts-dns-answer-too-large", TLSRPT_SEVERITY_ERROR,
                   TLSRPT_NO_OFFSET);
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_txt_answer_free(a);
}
END_TEST

START_TEST(fetch_stage)
{
    const char *rec[] = {"v=STSv1; id=1;"};
    tlsrpt_txt_answer *a = answer_of(1, rec);
    struct {
        int status;
        const char *ctype;
        const char *body;
        int want;
        const char *type;
        const char *id;
        int has_policy;
    } cases[] = {
        {200, "text/plain", POLICY, TLSRPT_OK, NULL, NULL, 1},
        {200, "TEXT/Plain ; charset=\"UTF-8\"", POLICY, TLSRPT_OK, NULL, NULL, 1},
        {200, "text/plain;charset=us-ascii;format=flowed", POLICY, TLSRPT_OK, NULL, NULL, 1},
        {200, "text/plain; charset=latin1", POLICY, TLSRPT_OK, NULL, "sts-media-type-charset", 1},
        {200, "text/html", POLICY, TLSRPT_ESEMANTIC, "sts-policy-invalid", "sts-media-type", 1},
        {200, "text/plainx", POLICY, TLSRPT_ESEMANTIC, "sts-policy-invalid", "sts-media-type", 1},
        {200, NULL, POLICY, TLSRPT_ESEMANTIC, "sts-policy-invalid", "sts-media-type", 1},
        {200, "text/plain", "version: STSv1\nmode: maybe\n", TLSRPT_ESYNTAX, "sts-policy-invalid", NULL, 0},
        {200, "text/plain", NULL, TLSRPT_ESYNTAX, "sts-policy-invalid", NULL, 0},
        {404, "text/plain", POLICY, TLSRPT_ESEMANTIC, "sts-policy-fetch-error", "sts-fetch-status", 0},
        {302, "text/plain", POLICY, TLSRPT_ESEMANTIC, "sts-policy-fetch-error", "sts-fetch-redirect", 0},
        {204, "text/plain", NULL, TLSRPT_ESEMANTIC, "sts-policy-fetch-error", "sts-fetch-status", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tlsrpt_https_response *resp = response_of(cases[i].status, cases[i].ctype, cases[i].body);
        tlsrpt_sts_lookup_result *r = eval(TLSRPT_OK, a, resp, cases[i].want);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_OK);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_http_status(r), cases[i].status);
        ck_assert_pstr_eq(tlsrpt_sts_lookup_result_content_type(r), cases[i].ctype);
        ck_assert_pstr_eq(tlsrpt_sts_lookup_result_result_type(r), cases[i].type);
        if (cases[i].id)
            ck_assert_msg(diag_find(tlsrpt_sts_lookup_result_diag(r), cases[i].id) >= 0, "case %zu: no %s", i,
                          cases[i].id);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_policy(r) != NULL, cases[i].has_policy);
        if (cases[i].body) {
            ck_assert_str_eq(tlsrpt_sts_lookup_result_body(r), cases[i].body);
            ck_assert_uint_eq(tlsrpt_sts_lookup_result_body_length(r), strlen(cases[i].body));
        }
        tlsrpt_sts_lookup_result_free(r);
        tlsrpt_https_response_free(resp);
    }

    /* No response arrived: each kind, with what a sender reports. */
    struct {
        int fetch;
        int want;
        const char *type;
        const char *id;
    } errs[] = {
        {TLSRPT_STS_FETCH_CONNECT, TLSRPT_ETEMPFAIL, "sts-policy-fetch-error", "sts-fetch-connect"},
        {TLSRPT_STS_FETCH_TIMEOUT, TLSRPT_ETEMPFAIL, "sts-policy-fetch-error", "sts-fetch-timeout"},
        {TLSRPT_STS_FETCH_TLS, TLSRPT_ETEMPFAIL, "sts-policy-fetch-error", "sts-fetch-tls"},
        {TLSRPT_STS_FETCH_CERTIFICATE, TLSRPT_ETEMPFAIL, "sts-webpki-invalid", "sts-fetch-certificate"},
        {TLSRPT_STS_FETCH_PROTOCOL, TLSRPT_ETEMPFAIL, "sts-policy-fetch-error", "sts-fetch-failed"},
        {TLSRPT_STS_FETCH_TOO_LARGE, TLSRPT_ELIMIT, "sts-policy-fetch-error", "sts-fetch-too-large"},
        {TLSRPT_STS_FETCH_UNSUPPORTED, TLSRPT_EUNSUPPORTED, NULL, "sts-fetch-unsupported"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        tlsrpt_https_response *resp = NULL;
        ck_assert_int_eq(tlsrpt_https_response_new(&resp), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_https_response_set_error(resp, errs[i].fetch, "because\n\x01"), TLSRPT_OK);
        tlsrpt_sts_lookup_result *r = eval(TLSRPT_OK, a, resp, errs[i].want);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), errs[i].fetch);
        ck_assert_int_eq(tlsrpt_sts_lookup_result_http_status(r), 0);
        ck_assert_pstr_eq(tlsrpt_sts_lookup_result_result_type(r), errs[i].type);
        ck_assert_diag(tlsrpt_sts_lookup_result_diag(r), errs[i].id, TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
        /* The caller's message is quoted: no control character reaches the diagnostic. */
        const tlsrpt_diag *d = tlsrpt_sts_lookup_result_diag(r);
        const char *msg = tlsrpt_diag_message(d, (size_t)diag_find(d, errs[i].id));
        ck_assert_ptr_nonnull(strstr(msg, "because\\x0A\\x01"));
        ck_assert_ptr_null(tlsrpt_sts_lookup_result_policy(r));
        tlsrpt_sts_lookup_result_free(r);
        tlsrpt_https_response_free(resp);
    }
    /* A response nobody filled in is a failed transfer, not a policy. */
    tlsrpt_https_response *empty = NULL;
    ck_assert_int_eq(tlsrpt_https_response_new(&empty), TLSRPT_OK);
    tlsrpt_sts_lookup_result *r = eval(TLSRPT_OK, a, empty, TLSRPT_ETEMPFAIL);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_PROTOCOL);
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_https_response_free(empty);
    tlsrpt_txt_answer_free(a);
}
END_TEST

START_TEST(response_object)
{
    tlsrpt_https_response *r = NULL;
    ck_assert_int_eq(tlsrpt_https_response_new(NULL), TLSRPT_EINVAL);
    tlsrpt_https_response_free(NULL);
    ck_assert_int_eq(tlsrpt_https_response_new(&r), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_https_response_set_status(NULL, 200, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_https_response_set_status(r, 99, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_https_response_set_status(r, 1000, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_https_response_append(r, NULL, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_https_response_append(r, NULL, 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_https_response_set_error(r, TLSRPT_STS_FETCH_OK, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_https_response_set_error(r, 99, NULL), TLSRPT_EINVAL);
    /* The body cap: exactly TLSRPT_MAX_STS_POLICY_SIZE bytes fit, one more does not, in any slicing. */
    char *chunk = malloc(TLSRPT_MAX_STS_POLICY_SIZE);
    memset(chunk, '#', TLSRPT_MAX_STS_POLICY_SIZE);
    ck_assert_int_eq(tlsrpt_https_response_set_status(r, 200, "text/plain"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_https_response_append(r, chunk, 1000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_https_response_append(r, chunk, TLSRPT_MAX_STS_POLICY_SIZE - 1000), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_https_response_append(r, chunk, 1), TLSRPT_ELIMIT);
    const char *rec[] = {"v=STSv1; id=1;"};
    tlsrpt_txt_answer *a = answer_of(1, rec);
    tlsrpt_sts_lookup_result *res = eval(TLSRPT_OK, a, r, TLSRPT_ELIMIT);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(res), TLSRPT_STS_FETCH_TOO_LARGE);
    tlsrpt_sts_lookup_result_free(res);
    tlsrpt_txt_answer_free(a);
    tlsrpt_https_response_free(r);
    free(chunk);
}
END_TEST

/* ---- tlsrpt_sts_lookup through a lookup function and a fetch function ---- */

typedef struct fake {
    const char *txt;     /* the one TXT record, or NULL for NXDOMAIN */
    int status;          /* HTTP status, or -TLSRPT_STS_FETCH_* for an error */
    const char *body;
    int rc;              /* what the fetch function returns */
    int calls;
    char url[256], host[256];
    uint32_t timeout;
} fake;

static int fake_txt(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    fake *f = userdata;
    ck_assert_str_eq(qname, "_mta-sts.example.com.");
    if (!f->txt)
        return TLSRPT_ENOTFOUND;
    size_t len = strlen(f->txt);
    return tlsrpt_txt_answer_add(answer, &f->txt, &len, 1);
}

static int fake_fetch(const char *url, const char *host, uint32_t timeout_ms, tlsrpt_https_response *response,
                      void *userdata)
{
    fake *f = userdata;
    f->calls++;
    strcpy(f->url, url);
    strcpy(f->host, host);
    f->timeout = timeout_ms;
    if (f->status < 0)
        ck_assert_int_eq(tlsrpt_https_response_set_error(response, -f->status, "fake"), TLSRPT_OK);
    else if (f->status > 0) {
        ck_assert_int_eq(tlsrpt_https_response_set_status(response, f->status, "text/plain"), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_https_response_append(response, f->body, strlen(f->body)), TLSRPT_OK);
    }
    return f->rc;
}

static tlsrpt_resolver *fake_resolver(fake *f)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, fake_txt, f), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_fetch(res, fake_fetch, f), TLSRPT_OK);
    return res;
}

START_TEST(lookup_through_hooks)
{
    fake f = {.txt = "v=STSv1; id=20240101;", .status = 200, .body = POLICY};
    tlsrpt_resolver *res = fake_resolver(&f);
    tlsrpt_sts_lookup_result *r = NULL;
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "EXAMPLE.com", 0, &r), TLSRPT_OK);
    ck_assert_int_eq(f.calls, 1);
    ck_assert_str_eq(f.url, "https://mta-sts.example.com/.well-known/mta-sts.txt");
    ck_assert_str_eq(f.host, "mta-sts.example.com");
    ck_assert_uint_eq(f.timeout, TLSRPT_STS_DEFAULT_FETCH_TIMEOUT_MS);
    ck_assert_int_eq(tlsrpt_sts_policy_mode(tlsrpt_sts_lookup_result_policy(r)), TLSRPT_STS_MODE_ENFORCE);
    tlsrpt_sts_lookup_result_free(r);

    /* TXT only: no fetch. */
    ck_assert_int_eq(tlsrpt_resolver_set_https_timeout(res, 1234), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", TLSRPT_STS_LOOKUP_TXT_ONLY, &r), TLSRPT_OK);
    ck_assert_int_eq(f.calls, 1);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_NONE);
    tlsrpt_sts_lookup_result_free(r);

    /* No record: no fetch, unless asked for. */
    f.txt = NULL;
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", 0, &r), TLSRPT_ENOTFOUND);
    ck_assert_int_eq(f.calls, 1);
    tlsrpt_sts_lookup_result_free(r);
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", TLSRPT_STS_LOOKUP_FETCH_ALWAYS, &r), TLSRPT_ENOTFOUND);
    ck_assert_int_eq(f.calls, 2);
    ck_assert_uint_eq(f.timeout, 1234);
    ck_assert_ptr_nonnull(tlsrpt_sts_lookup_result_policy(r)); /* shown to the checker */
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_result_type(r));
    tlsrpt_sts_lookup_result_free(r);

    /* The fetch function fails without saying how: a failed transfer. */
    f.txt = "v=STSv1; id=1;";
    f.status = 0;
    f.rc = 42;
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", 0, &r), TLSRPT_ETEMPFAIL);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(r), TLSRPT_STS_FETCH_PROTOCOL);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(tlsrpt_sts_lookup_result_diag(r), 0), "returned 42"));
    tlsrpt_sts_lookup_result_free(r);
    /* ... or says how. */
    f.status = -TLSRPT_STS_FETCH_CERTIFICATE;
    f.rc = TLSRPT_OK;
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", 0, &r), TLSRPT_ETEMPFAIL);
    ck_assert_str_eq(tlsrpt_sts_lookup_result_result_type(r), "sts-webpki-invalid");
    tlsrpt_sts_lookup_result_free(r);

    /* Arguments. */
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", 4, &r), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "exa mple.com", 0, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_lookup(NULL, "example.com", 0, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_lookup(res, NULL, 0, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_lookup(res, "example.com", 0, NULL), TLSRPT_EINVAL);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(evaluate_arguments)
{
    tlsrpt_sts_lookup_result *r = (tlsrpt_sts_lookup_result *)1;
    ck_assert_int_eq(tlsrpt_sts_evaluate("example.com", TLSRPT_OK, NULL, NULL, &r), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_sts_evaluate("example.com", TLSRPT_ESYNTAX, NULL, NULL, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_evaluate(NULL, TLSRPT_ENOTFOUND, NULL, NULL, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_evaluate("example.com", TLSRPT_ENOTFOUND, NULL, NULL, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_evaluate("-bad-.com", TLSRPT_ENOTFOUND, NULL, NULL, &r), TLSRPT_EINVAL);
    /* Getters on NULL. */
    ck_assert_int_eq(tlsrpt_sts_lookup_result_status(NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_txt_status(NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_domain(NULL));
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_result_type(NULL));
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_policy(NULL));
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_body(NULL));
    ck_assert_uint_eq(tlsrpt_sts_lookup_result_body_length(NULL), 0);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_fetch(NULL), TLSRPT_STS_FETCH_NONE);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_http_status(NULL), 0);
    ck_assert_int_eq(tlsrpt_sts_lookup_result_authenticated(NULL), 0);
    ck_assert_ptr_null(tlsrpt_sts_lookup_result_diag(NULL));
    tlsrpt_sts_lookup_result_free(NULL);
}
END_TEST

START_TEST(https_settings)
{
    tlsrpt_resolver *res = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_timeout(NULL, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_timeout(res, 0), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_ca_file(NULL, "x"), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_ca_file(res, "/nonexistent/ca.pem"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_ca_file(res, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_fetch(NULL, NULL, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(NULL, "a.example", "127.0.0.1", 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "a.example", "localhost", 443), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "a.example", "127.0.0.1", 0), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "not a host", "127.0.0.1", 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "a.example", NULL, 1), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "a.example", "::1", 8443), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "", "127.0.0.1", 8443), TLSRPT_OK);
    /* Up to the limit (the same host again replaces its mapping), then ELIMIT; NULL clears. */
    char host[32];
    for (unsigned i = 0; i < TLSRPT_MAX_HTTPS_CONNECT_TO - 2; i++) {
        snprintf(host, sizeof host, "h%u.example", i);
        ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, host, "127.0.0.1", 1), TLSRPT_OK);
    }
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "A.example.", "127.0.0.2", 2), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "one-more.example", "127.0.0.1", 1), TLSRPT_ELIMIT);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, NULL, NULL, 0), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_https_connect_to(res, "one-more.example", "127.0.0.1", 1), TLSRPT_OK);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(allocation_failures)
{
    /* Every allocation of an evaluation may fail: ENOMEM, nothing leaked (the ASan and valgrind suites check). */
    const char *rec[] = {"v=spf1", "v=STSv1; id=1; ext=value;"};
    tlsrpt_txt_answer *a = answer_of(2, rec);
    tlsrpt_https_response *resp = response_of(200, "text/plain; charset=utf-8", POLICY);
    long enomem = 0;
    for (long k = 0;; k++) {
        tlsrpt_sts_lookup_result *r = NULL;
        arm(k);
        int rc = tlsrpt_sts_evaluate("example.com", TLSRPT_OK, a, resp, &r);
        disarm();
        ck_assert_msg(rc == TLSRPT_OK || rc == TLSRPT_ENOMEM, "allocation %ld failed: rc %d", k, rc);
        ck_assert_int_eq(r != NULL, rc == TLSRPT_OK);
        enomem += rc == TLSRPT_ENOMEM;
        if (rc == TLSRPT_OK)
            ck_assert_ptr_nonnull(tlsrpt_sts_lookup_result_policy(r));
        tlsrpt_sts_lookup_result_free(r);
        if (alloc_count <= k)
            break;
    }
    ck_assert_int_gt(enomem, 10);
    tlsrpt_https_response_free(resp);
    tlsrpt_txt_answer_free(a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("sts-lookup");
    TCase *tc = tcase_create("evaluate");
    tcase_add_test(tc, names);
    tcase_add_test(tc, fetch_names);
    tcase_add_test(tc, txt_stage);
    tcase_add_test(tc, fetch_stage);
    tcase_add_test(tc, response_object);
    tcase_add_test(tc, evaluate_arguments);
    suite_add_tcase(s, tc);
    tc = tcase_create("lookup");
    tcase_add_test(tc, lookup_through_hooks);
    tcase_add_test(tc, https_settings);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}
