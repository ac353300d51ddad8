/* libtlsrpt — MTA-STS policy discovery (RFC 8461 §3.1-3.3): the TXT stage, the fetch stage, and what a sending MTA
 * without a cached policy makes of them (status and RFC 8460 result type). tlsrpt_sts_evaluate() is the pure layer;
 * tlsrpt_sts_lookup() is the two transports (the resolver's TXT query, the HTTPS fetch) plus that layer.
 * SPDX-License-Identifier: MIT */
#include "sts_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tlsrpt_sts_lookup_result {
    int status;
    const char *result_type;
    char *domain;
    char *qname;
    char *url;
    int txt_status;
    char **txt;
    size_t *txt_len;
    size_t n_txt;
    tlsrpt_sts_record *record;
    int authenticated;
    int fetch;
    int http_status;
    char *content_type;
    char *body;
    size_t body_len;
    tlsrpt_sts_policy *policy;
    tlsrpt_diag *diag;
};

#define QUOTE_MAX 80u

/* ---- names ------------------------------------------------------------------------------------------------------ */

static int make_name(const char *domain, const char *before, const char *after, char **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!domain)
        return TLSRPT_EINVAL;
    return trpt_domain_name_under(domain, before, after, out);
}

TLSRPT_API int tlsrpt_sts_policy_url(const char *domain, char **out)
{
    return make_name(domain, "https://mta-sts.", "/.well-known/mta-sts.txt", out);
}

TLSRPT_API int tlsrpt_sts_txt_qname(const char *domain, char **out)
{
    return make_name(domain, "_mta-sts.", ".", out);
}

/* ---- the result object ------------------------------------------------------------------------------------------ */

TLSRPT_API void tlsrpt_sts_lookup_result_free(tlsrpt_sts_lookup_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_txt; i++)
        free(r->txt[i]);
    free(r->txt);
    free(r->txt_len);
    free(r->domain);
    free(r->qname);
    free(r->url);
    tlsrpt_sts_record_free(r->record);
    free(r->content_type);
    free(r->body);
    tlsrpt_sts_policy_free(r->policy);
    tlsrpt_diag_free(r->diag);
    free(r);
}

static int result_new(const char *domain, tlsrpt_sts_lookup_result **out)
{
    *out = NULL;
    tlsrpt_sts_lookup_result *r = calloc(1, sizeof *r);
    if (!r)
        return TLSRPT_ENOMEM;
    int rc = trpt_domain_to_alabel(domain, 0, &r->domain);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_txt_qname(r->domain, &r->qname);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_policy_url(r->domain, &r->url);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&r->diag);
    if (rc != TLSRPT_OK) {
        tlsrpt_sts_lookup_result_free(r);
        return rc;
    }
    *out = r;
    return TLSRPT_OK;
}

/* ---- the TXT stage (RFC 8461 §3.1) --------------------------------------------------------------------------------- */

static const trpt_txt_kind STS_TXT = {
    .is_candidate = tlsrpt_sts_record_is_candidate,
    .a_record = "an MTA-STS record",
    .policy = "MTA-STS",
    .version = "v=STSv1",
    .rule = "RFC 8461 section 3.1",
    .id_not_kind = DIAG_ID("sts-dns-txt-not-sts"),
    .id_no_data = DIAG_ID("sts-dns-no-data"),
    .id_no_record = DIAG_ID("sts-dns-no-record"),
    .id_multiple = DIAG_ID("sts-dns-multiple-records"),
};

/* Applies §3.1 to a TXT answer. Returns the TXT stage's status, or TLSRPT_ENOMEM. */
static int evaluate_txt(tlsrpt_sts_lookup_result *r, int dns_status, const tlsrpt_txt_answer *a)
{
    /* The CNAME rule of tlsrpt_lookup: a loop or a chain past TRPT_DNS_MAX_CNAME_CHAIN is no usable record. */
    int chain = a && dns_status != TLSRPT_ETEMPFAIL ? trpt_dns_chain_check(a, r->qname, r->diag) : TLSRPT_OK;
    if (chain != TLSRPT_OK) {
        r->authenticated = a->authenticated;
        return chain;
    }
    if (dns_status == TLSRPT_ENOTFOUND) {
        r->authenticated = a ? a->authenticated : 0;
        return trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR, "sts-dns-nxdomain", TLSRPT_NO_OFFSET, NULL,
                             "%s does not exist (NXDOMAIN): the domain publishes no MTA-STS policy.",
                             r->qname) == TLSRPT_OK
                   ? TLSRPT_ENOTFOUND
                   : TLSRPT_ENOMEM;
    }
    if (dns_status == TLSRPT_ETEMPFAIL) {
        return trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR, "sts-dns-tempfail", TLSRPT_NO_OFFSET, NULL,
                             "The TXT lookup of %s failed temporarily: whether the domain publishes MTA-STS is "
                             "unknown; a sender retries later and meanwhile applies a cached policy if it has one.",
                             r->qname) == TLSRPT_OK
                   ? TLSRPT_ETEMPFAIL
                   : TLSRPT_ENOMEM;
    }
    if (a->out_of_memory)
        return TLSRPT_ENOMEM;
    if (a->over_limit)
        return trpt_dns_answer_too_large("sts-dns-answer-too-large", r->qname, r->diag);
    r->authenticated = a->authenticated;
    size_t candidate = 0;
    int sel = trpt_txt_select(&STS_TXT, a, r->qname, &r->txt, &r->txt_len, &r->n_txt, &candidate, r->diag);
    if (sel != TLSRPT_OK)
        return sel;
    int rc = tlsrpt_sts_record_parse(&r->record, r->txt[candidate], r->txt_len[candidate], r->diag);
    if (rc == TLSRPT_OK || rc == TLSRPT_ENOMEM)
        return rc;
    /* RFC 8461 §3.1: a syntactically invalid record means no MTA-STS policy. */
    if (trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR, "sts-dns-record-invalid", TLSRPT_NO_OFFSET, NULL,
                      "The \"v=STSv1\" record at %s is not valid: RFC 8461 section 3.1 says senders then assume the "
                      "domain has no MTA-STS policy.",
                      r->qname) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    return rc == TLSRPT_ELIMIT ? TLSRPT_ELIMIT : TLSRPT_ESYNTAX;
}

/* ---- the fetch stage (RFC 8461 §3.2, §3.3) ------------------------------------------------------------------------ */

/* 1 if the Content-Type's media type is text/plain (case-insensitive, parameters after ';' ignored); *charset_ok
 * is 0 when a charset parameter other than utf-8 or us-ascii is given. */
static int is_text_plain(const char *ct, int *charset_ok)
{
    *charset_ok = 1;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t n = strcspn(ct, ";");
    size_t m = n;
    while (m > 0 && (ct[m - 1] == ' ' || ct[m - 1] == '\t'))
        m--;
    if (m != 10 || strncasecmp(ct, "text/plain", 10) != 0)
        return 0;
    const char *p = ct + n;
    while (*p == ';') {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, ";");
        if (len >= 8 && strncasecmp(p, "charset=", 8) == 0) {
            const char *v = p + 8;
            size_t vl = len - 8;
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                v++;
                vl -= 2;
            }
            while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            if (!((vl == 5 && strncasecmp(v, "utf-8", 5) == 0) || (vl == 8 && strncasecmp(v, "us-ascii", 8) == 0)))
                *charset_ok = 0;
        }
        p += len;
    }
    return 1;
}

static const char *fetch_id(int fetch)
{
    switch (fetch) {
    case TLSRPT_STS_FETCH_CONNECT:
        return DIAG_ID("sts-fetch-connect");
    case TLSRPT_STS_FETCH_TIMEOUT:
        return DIAG_ID("sts-fetch-timeout");
    case TLSRPT_STS_FETCH_TLS:
        return DIAG_ID("sts-fetch-tls");
    case TLSRPT_STS_FETCH_CERTIFICATE:
        return DIAG_ID("sts-fetch-certificate");
    case TLSRPT_STS_FETCH_TOO_LARGE:
        return DIAG_ID("sts-fetch-too-large");
    case TLSRPT_STS_FETCH_UNSUPPORTED:
        return DIAG_ID("sts-fetch-unsupported");
    default:
        return DIAG_ID("sts-fetch-failed");
    }
}

static const char *fetch_what(int fetch)
{
    switch (fetch) {
    case TLSRPT_STS_FETCH_CONNECT:
        return "no connection could be made";
    case TLSRPT_STS_FETCH_TIMEOUT:
        return "the timeout passed";
    case TLSRPT_STS_FETCH_TLS:
        return "the TLS handshake failed";
    case TLSRPT_STS_FETCH_CERTIFICATE:
        return "the certificate is not valid for the policy host";
    case TLSRPT_STS_FETCH_TOO_LARGE:
        return "the body is longer than the 65536-byte limit";
    case TLSRPT_STS_FETCH_UNSUPPORTED:
        return "HTTPS is not built into this libtlsrpt";
    default:
        return "the transfer failed";
    }
}

/* Fills the fetch stage from a response. Returns the stage's status (OK, ESEMANTIC, ESYNTAX, ETEMPFAIL, ELIMIT,
 * EUNSUPPORTED) and sets *type to the result type a sender reports, or TLSRPT_ENOMEM. */
static int evaluate_response(tlsrpt_sts_lookup_result *r, const tlsrpt_https_response *resp, const char **type)
{
    *type = NULL;
    r->fetch = resp->fetch == TLSRPT_STS_FETCH_NONE ? TLSRPT_STS_FETCH_PROTOCOL : resp->fetch;
    if (r->fetch != TLSRPT_STS_FETCH_OK) {
        const char *why = resp->message ? resp->message
                                        : (resp->fetch == TLSRPT_STS_FETCH_NONE ? "nothing was received" : NULL);
        if (trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR, fetch_id(r->fetch), TLSRPT_NO_OFFSET, NULL,
                          "The policy could not be fetched from %s: %s%s%s.", r->url, fetch_what(r->fetch),
                          why ? ": " : "", why ? why : "") != TLSRPT_OK)
            return TLSRPT_ENOMEM;
        switch (r->fetch) {
        case TLSRPT_STS_FETCH_UNSUPPORTED:
            return TLSRPT_EUNSUPPORTED;
        case TLSRPT_STS_FETCH_CERTIFICATE:
            *type = "sts-webpki-invalid";
            return TLSRPT_ETEMPFAIL;
        case TLSRPT_STS_FETCH_TOO_LARGE:
            *type = "sts-policy-fetch-error";
            return TLSRPT_ELIMIT;
        default:
            *type = "sts-policy-fetch-error";
            return TLSRPT_ETEMPFAIL;
        }
    }
    r->http_status = resp->http_status;
    if (resp->content_type && !(r->content_type = trpt_strdup(resp->content_type)))
        return TLSRPT_ENOMEM;
    if (resp->body) {
        r->body = malloc(resp->len + 1);
        if (!r->body)
            return TLSRPT_ENOMEM;
        memcpy(r->body, resp->body, resp->len + 1);
        r->body_len = resp->len;
    }
    if (resp->http_status != 200) {
        int redirect = resp->http_status >= 300 && resp->http_status <= 399;
        *type = "sts-policy-fetch-error";
        return trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR,
                             redirect ? DIAG_ID("sts-fetch-redirect") : DIAG_ID("sts-fetch-status"),
                             TLSRPT_NO_OFFSET, NULL, "%s answered HTTP status %d%s; only 200 is a policy.", r->url,
                             resp->http_status,
                             redirect ? " (a redirect: RFC 8461 section 3.3 says it MUST NOT be followed)" : "") ==
                       TLSRPT_OK
                   ? TLSRPT_ESEMANTIC
                   : TLSRPT_ENOMEM;
    }
    int status = TLSRPT_OK;
    int charset_ok = 1;
    if (!resp->content_type || !is_text_plain(resp->content_type, &charset_ok)) {
        char *q = resp->content_type ? trpt_quoted(resp->content_type, strlen(resp->content_type), QUOTE_MAX) : NULL;
        int rc = trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR, "sts-media-type", TLSRPT_NO_OFFSET, NULL,
                               "The policy was served as %s%s%s; RFC 8461 section 3.2 says senders should validate "
                               "that the media type is \"text/plain\".",
                               q ? "\"" : "", q ? q : "no Content-Type", q ? "\"" : "");
        if (q)
            trpt_quoted_free(q);
        if (rc != TLSRPT_OK)
            return TLSRPT_ENOMEM;
        status = TLSRPT_ESEMANTIC;
        *type = "sts-policy-invalid";
    } else if (!charset_ok) {
        if (trpt_diag_add(r->diag, TLSRPT_SEVERITY_WARNING, "sts-media-type-charset", TLSRPT_NO_OFFSET, NULL,
                          "The policy's Content-Type names a charset other than utf-8 or us-ascii, the two RFC 8461 "
                          "section 3.2 names.") != TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    int rc = tlsrpt_sts_policy_parse(&r->policy, r->body ? r->body : "", r->body_len, r->diag);
    if (rc == TLSRPT_ENOMEM)
        return rc;
    if (rc != TLSRPT_OK) {
        *type = "sts-policy-invalid";
        return rc;
    }
    return status;
}

/* The TXT stage: sets txt_status and status (the record only when valid). Returns TLSRPT_OK or TLSRPT_ENOMEM. */
static int stage_txt(tlsrpt_sts_lookup_result *r, int dns_status, const tlsrpt_txt_answer *answer)
{
    int rc = evaluate_txt(r, dns_status, answer);
    if (rc == TLSRPT_ENOMEM)
        return rc;
    r->txt_status = r->status = rc;
    if (rc != TLSRPT_OK) {
        tlsrpt_sts_record_free(r->record);
        r->record = NULL;
    }
    return TLSRPT_OK;
}

/* The fetch stage. What a sender does follows the TXT stage first: without a valid record there is no policy to
 * fetch, and a fetch failure is reportable only when a valid TXT record is present (RFC 8461 §6). Returns
 * TLSRPT_OK or TLSRPT_ENOMEM. */
static int stage_fetch(tlsrpt_sts_lookup_result *r, const tlsrpt_https_response *response)
{
    const char *type = NULL;
    int rc = evaluate_response(r, response, &type);
    if (rc == TLSRPT_ENOMEM)
        return rc;
    if (r->txt_status == TLSRPT_OK) {
        r->status = rc;
        r->result_type = type;
    }
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_sts_evaluate(const char *domain, int dns_status, const tlsrpt_txt_answer *answer,
                                   const tlsrpt_https_response *response, tlsrpt_sts_lookup_result **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!domain || (dns_status != TLSRPT_OK && dns_status != TLSRPT_ENOTFOUND && dns_status != TLSRPT_ETEMPFAIL) ||
        (dns_status == TLSRPT_OK && !answer))
        return TLSRPT_EINVAL;
    tlsrpt_sts_lookup_result *r;
    int rc = result_new(domain, &r);
    if (rc != TLSRPT_OK)
        return rc;
    if (stage_txt(r, dns_status, answer) != TLSRPT_OK || (response && stage_fetch(r, response) != TLSRPT_OK)) {
        tlsrpt_sts_lookup_result_free(r);
        return TLSRPT_ENOMEM;
    }
    *out = r;
    return r->status;
}

TLSRPT_API int tlsrpt_sts_evaluate_txt(const char *domain, int dns_status, const tlsrpt_txt_answer *answer,
                                       tlsrpt_sts_lookup_result **out)
{
    return tlsrpt_sts_evaluate(domain, dns_status, answer, NULL, out);
}

/* ---- the live lookup --------------------------------------------------------------------------------------------- */

static int fetch(tlsrpt_resolver *res, const tlsrpt_sts_lookup_result *r, tlsrpt_https_response *resp)
{
    const trpt_https_settings *s = trpt_https_settings_of(res);
    const char *host = r->url + strlen("https://");
    char hostbuf[TRPT_DOMAIN_MAX_LENGTH + 2];
    size_t hl = strcspn(host, "/");
    memcpy(hostbuf, host, hl);
    hostbuf[hl] = '\0';
    if (!s->fn)
        return trpt_https_fetch_builtin(s, r->url, hostbuf, resp);
    int rc = s->fn(r->url, hostbuf, s->timeout_ms, resp, s->userdata);
    if (rc != TLSRPT_OK && resp->fetch <= TLSRPT_STS_FETCH_OK) {
        char why[64];
        snprintf(why, sizeof why, "the fetch function returned %d", rc);
        if (tlsrpt_https_response_set_error(resp, TLSRPT_STS_FETCH_PROTOCOL, why) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_sts_lookup(tlsrpt_resolver *res, const char *domain, unsigned int flags,
                                 tlsrpt_sts_lookup_result **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!res || !domain || (flags & ~(TLSRPT_STS_LOOKUP_TXT_ONLY | TLSRPT_STS_LOOKUP_FETCH_ALWAYS)) != 0)
        return TLSRPT_EINVAL;
    tlsrpt_sts_lookup_result *r;
    int rc = result_new(domain, &r);
    if (rc != TLSRPT_OK)
        return rc;

    tlsrpt_txt_answer answer;
    trpt_txt_answer_init(&answer);
    tlsrpt_https_response resp;
    memset(&resp, 0, sizeof resp);
    int dns = trpt_resolver_query(res, r->qname, &answer, r->diag);
    rc = dns == TLSRPT_ENOMEM ? TLSRPT_ENOMEM : stage_txt(r, dns, &answer);
    if (rc == TLSRPT_OK && !(flags & TLSRPT_STS_LOOKUP_TXT_ONLY) &&
        (r->txt_status == TLSRPT_OK || (flags & TLSRPT_STS_LOOKUP_FETCH_ALWAYS))) {
        rc = fetch(res, r, &resp);
        if (rc == TLSRPT_OK)
            rc = stage_fetch(r, &resp);
    }
    trpt_txt_answer_clear(&answer);
    trpt_https_response_reset(&resp);
    if (rc != TLSRPT_OK) {
        tlsrpt_sts_lookup_result_free(r);
        return rc;
    }
    *out = r;
    return r->status;
}

/* ---- getters ------------------------------------------------------------------------------------------------------ */

TLSRPT_API int tlsrpt_sts_lookup_result_status(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->status : TLSRPT_EINVAL;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_result_type(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->result_type : NULL;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_domain(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->domain : NULL;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_txt_qname(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->qname : NULL;
}

TLSRPT_API int tlsrpt_sts_lookup_result_txt_status(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->txt_status : TLSRPT_EINVAL;
}

TLSRPT_API size_t tlsrpt_sts_lookup_result_txt_count(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->n_txt : 0;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_txt(const tlsrpt_sts_lookup_result *r, size_t i)
{
    return (r && i < r->n_txt) ? r->txt[i] : NULL;
}

TLSRPT_API size_t tlsrpt_sts_lookup_result_txt_length(const tlsrpt_sts_lookup_result *r, size_t i)
{
    return (r && i < r->n_txt) ? r->txt_len[i] : 0;
}

TLSRPT_API const tlsrpt_sts_record *tlsrpt_sts_lookup_result_record(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->record : NULL;
}

TLSRPT_API int tlsrpt_sts_lookup_result_authenticated(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->authenticated : 0;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_url(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->url : NULL;
}

TLSRPT_API const char *tlsrpt_sts_fetch_name(int fetch)
{
    static const char *const names[] = {
        [TLSRPT_STS_FETCH_NONE] = "none",       [TLSRPT_STS_FETCH_OK] = "ok",
        [TLSRPT_STS_FETCH_CONNECT] = "connect", [TLSRPT_STS_FETCH_TIMEOUT] = "timeout",
        [TLSRPT_STS_FETCH_TLS] = "tls",         [TLSRPT_STS_FETCH_CERTIFICATE] = "certificate",
        [TLSRPT_STS_FETCH_PROTOCOL] = "protocol", [TLSRPT_STS_FETCH_TOO_LARGE] = "too-large",
        [TLSRPT_STS_FETCH_UNSUPPORTED] = "unsupported"};
    return fetch >= 0 && (size_t)fetch < sizeof names / sizeof names[0] ? names[fetch] : NULL;
}

TLSRPT_API int tlsrpt_sts_lookup_result_fetch(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->fetch : TLSRPT_STS_FETCH_NONE;
}

TLSRPT_API int tlsrpt_sts_lookup_result_http_status(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->http_status : 0;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_content_type(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->content_type : NULL;
}

TLSRPT_API const char *tlsrpt_sts_lookup_result_body(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->body : NULL;
}

TLSRPT_API size_t tlsrpt_sts_lookup_result_body_length(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->body_len : 0;
}

TLSRPT_API const tlsrpt_sts_policy *tlsrpt_sts_lookup_result_policy(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->policy : NULL;
}

TLSRPT_API const tlsrpt_diag *tlsrpt_sts_lookup_result_diag(const tlsrpt_sts_lookup_result *r)
{
    return r ? r->diag : NULL;
}
