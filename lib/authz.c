/* libtlsrpt — external report destination authorization: the DMARC mechanism (RFC 7489 §7.1) transposed to TLSRPT.
 * RFC 8460 does not require it (its §7 says so); it is a local policy knob and a checker finding. See doc/dns.md.
 * SPDX-License-Identifier: MIT */
#include "dns_internal.h"
#include "domain.h"
#include "ip.h"

#include <stdlib.h>
#include <string.h>

/* "v=TLSRPTv1" followed by the end of the text or *WSP then ";" or the end (trailing blanks are harmless). */
static int authorizes(const char *text, size_t len)
{
    static const char version[] = "v=TLSRPTv1";
    const size_t vlen = sizeof version - 1;
    if (len < vlen || memcmp(text, version, vlen) != 0)
        return 0;
    size_t i = vlen;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    return i == len || text[i] == ';';
}

/* The labels between the policy domain and the destination host in an authorization record name. */
#define AUTHZ_INFIX "._report._tls."

/* 1 if the host is an IP address rather than a domain name: a bracketed literal, an IPv4 or IPv6 address, or any
 * name whose last label is all digits (no top-level domain is numeric, RFC 3696 §2), such as "192.0.2". */
static int is_ip_literal(const char *host)
{
    size_t len = strlen(host);
    if (host[0] == '[' || trpt_ip_parse(host, len, NULL) != 0)
        return 1;
    if (len > 1 && host[len - 1] == '.')
        len--;
    size_t start = len;
    while (start > 0 && host[start - 1] != '.')
        start--;
    if (start == len)
        return 0;
    for (size_t i = start; i < len; i++)
        if (host[i] < '0' || host[i] > '9')
            return 0;
    return 1;
}

TLSRPT_API int tlsrpt_authorization_name(char **out, const char *policy_domain, const tlsrpt_uri *destination,
                                         int *required)
{
    if (required)
        *required = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!policy_domain || !destination)
        return TLSRPT_EINVAL;
    const char *host = tlsrpt_uri_host(destination);
    if (!host || !*host || is_ip_literal(host))
        return TLSRPT_EINVAL;

    char *policy = NULL, *dest = NULL;
    int rc = trpt_domain_to_alabel(policy_domain, 1, &policy);
    if (rc == TLSRPT_OK)
        rc = trpt_domain_to_alabel(host, 1, &dest);
    int same = 0;
    if (rc == TLSRPT_OK) {
        same = trpt_same_org_domain(policy, dest);
        if (same < 0)
            rc = same;
    }
    if (rc == TLSRPT_OK && required)
        *required = !same;
    if (rc == TLSRPT_OK && strlen(policy) + strlen(AUTHZ_INFIX) + strlen(dest) > TRPT_DOMAIN_MAX_LENGTH)
        rc = TLSRPT_ELIMIT; /* *required stays set: only the name cannot exist */
    if (rc == TLSRPT_OK) {
        trpt_buf b;
        trpt_buf_init(&b);
        trpt_buf_puts(&b, policy);
        trpt_buf_puts(&b, AUTHZ_INFIX);
        trpt_buf_puts(&b, dest);
        rc = trpt_buf_finish(&b, out, NULL);
    }
    if (rc != TLSRPT_OK && rc != TLSRPT_ELIMIT && required)
        *required = 0;
    free(policy);
    free(dest);
    return rc;
}

/* What the decision needs before DNS: the policy domain's A-label, the destination host, the record's name. */
typedef struct authz_query {
    char *policy;     /* policy domain, A-labels */
    const char *host; /* tlsrpt_uri_host() of the destination */
    char *name;       /* tlsrpt_authorization_name() */
    const char *dest; /* the host as the name spells it (A-labels): what follows the policy domain and the infix */
    char *qname;      /* name + "." */
} authz_query;

static void authz_query_free(authz_query *q)
{
    free(q->policy);
    tlsrpt_free(q->name);
    free(q->qname);
}

/* Everything but the query: the arguments, the same-organization and IP-literal cases, the name. Returns
 * TLSRPT_OK with *decided 0 (q->qname must be queried) or 1 (verdict set, no query: the finding is in diag), or
 * TLSRPT_EINVAL / TLSRPT_ENOMEM. */
static int authz_prepare(authz_query *q, const char *policy_domain, const tlsrpt_uri *destination, int *verdict,
                         tlsrpt_diag *diag, int *decided)
{
    *decided = 1;
    q->host = tlsrpt_uri_host(destination);
    if (!q->host || !*q->host)
        return TLSRPT_EINVAL;
    int rc = trpt_domain_to_alabel(policy_domain, 0, &q->policy);
    if (rc != TLSRPT_OK)
        return rc;
    if (is_ip_literal(q->host)) {
        /* An address cannot publish a TXT record; it is never in the policy domain's organization either. */
        return trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-ip-literal-host", TLSRPT_NO_OFFSET, NULL,
                             "The destination host %s is an IP address, which cannot publish the authorization "
                             "record.",
                             q->host);
    }
    int required = 0;
    rc = tlsrpt_authorization_name(&q->name, q->policy, destination, &required);
    if ((rc == TLSRPT_OK || rc == TLSRPT_ELIMIT) && !required) {
        *verdict = TLSRPT_AUTH_NOT_REQUIRED;
        return trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "authz-not-required", TLSRPT_NO_OFFSET, NULL,
                             "%s is in the organizational domain of %s: no authorization record is needed.", q->host,
                             q->policy);
    }
    if (rc == TLSRPT_ELIMIT)
        return trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-name-too-long", TLSRPT_NO_OFFSET, NULL,
                             "The authorization record name for %s at %s would be longer than %u octets and cannot "
                             "exist.",
                             q->policy, q->host, TRPT_DOMAIN_MAX_LENGTH);
    if (rc != TLSRPT_OK)
        return rc;
    q->dest = q->name + strlen(q->policy) + strlen(AUTHZ_INFIX);
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, q->name);
    trpt_buf_putc(&b, '.');
    rc = trpt_buf_finish(&b, &q->qname, NULL);
    if (rc == TLSRPT_OK)
        *decided = 0;
    return rc;
}

/* The decision from the answer to the query for q->qname: dns_status is TLSRPT_OK, TLSRPT_ENOTFOUND or
 * TLSRPT_ETEMPFAIL (whose ERROR is already in diag). Returns TLSRPT_OK (verdict set), TLSRPT_ETEMPFAIL or
 * TLSRPT_ENOMEM. */
static int authz_conclude(const authz_query *q, int dns_status, const tlsrpt_txt_answer *a, int *verdict,
                          tlsrpt_diag *diag)
{
    if (dns_status == TLSRPT_ETEMPFAIL)
        return TLSRPT_ETEMPFAIL;
    if (a->out_of_memory)
        return TLSRPT_ENOMEM;
    int rc;
    /* An answer too large to look at, or a chain the library does not follow, authorizes nothing (the ERROR
     * says why). */
    if (a->over_limit) {
        rc = trpt_dns_answer_too_large("dns-answer-too-large", q->qname, diag);
        return rc == TLSRPT_ENOMEM ? TLSRPT_ENOMEM : TLSRPT_OK;
    }
    rc = trpt_dns_chain_check(a, q->qname, diag);
    if (rc != TLSRPT_OK)
        return rc == TLSRPT_ENOMEM ? TLSRPT_ENOMEM : TLSRPT_OK;
    if (dns_status == TLSRPT_ENOTFOUND)
        return trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-record-missing", TLSRPT_NO_OFFSET, NULL,
                             "%s does not exist (NXDOMAIN): %s has not authorized reports for %s.", q->qname,
                             q->dest, q->policy);
    int found = 0;
    for (size_t i = 0; i < a->n_rrs && !found; i++) {
        size_t len;
        char *text = trpt_txt_rr_join(&a->rrs[i], &len);
        if (!text)
            return TLSRPT_ENOMEM;
        found = authorizes(text, len);
        free(text);
    }
    if (found) {
        *verdict = TLSRPT_AUTH_AUTHORIZED;
        return trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "authz-authorized", TLSRPT_NO_OFFSET, NULL,
                             "%s publishes a TXT record starting with v=TLSRPTv1: reports for %s are authorized.",
                             q->qname, q->policy);
    }
    if (a->n_rrs == 0)
        return trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-record-missing", TLSRPT_NO_OFFSET, NULL,
                             "%s has no TXT record (no data): %s has not authorized reports for %s.", q->qname,
                             q->dest, q->policy);
    return trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-no-tlsrpt-txt", TLSRPT_NO_OFFSET, NULL,
                         "None of the %zu TXT records at %s starts with v=TLSRPTv1: %s has not authorized reports "
                         "for %s.",
                         a->n_rrs, q->qname, q->dest, q->policy);
}

TLSRPT_API int tlsrpt_check_authorization(tlsrpt_resolver *res, const char *policy_domain,
                                          const tlsrpt_uri *destination, int *verdict, tlsrpt_diag *diag)
{
    if (!verdict)
        return TLSRPT_EINVAL;
    *verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    if (!res || !policy_domain || !destination)
        return TLSRPT_EINVAL;
    authz_query q = {0};
    int decided = 1;
    int rc = authz_prepare(&q, policy_domain, destination, verdict, diag, &decided);
    if (rc == TLSRPT_OK && !decided) {
        tlsrpt_txt_answer answer;
        trpt_txt_answer_init(&answer);
        rc = trpt_resolver_query(res, q.qname, &answer, diag);
        if (rc == TLSRPT_OK || rc == TLSRPT_ENOTFOUND || rc == TLSRPT_ETEMPFAIL)
            rc = authz_conclude(&q, rc, &answer, verdict, diag);
        else if (rc != TLSRPT_ENOMEM)
            rc = TLSRPT_ETEMPFAIL; /* a name the transport cannot send: as in 1.0 */
        trpt_txt_answer_clear(&answer);
    }
    if (rc != TLSRPT_OK)
        *verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    authz_query_free(&q);
    return rc;
}

TLSRPT_API int tlsrpt_authorization_evaluate(const char *policy_domain, const tlsrpt_uri *destination,
                                             int dns_status, const tlsrpt_txt_answer *answer, int *verdict,
                                             tlsrpt_diag *diag)
{
    if (!verdict)
        return TLSRPT_EINVAL;
    *verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    if (!policy_domain || !destination ||
        (dns_status != TLSRPT_OK && dns_status != TLSRPT_ENOTFOUND && dns_status != TLSRPT_ETEMPFAIL))
        return TLSRPT_EINVAL;
    authz_query q = {0};
    int decided = 1;
    int rc = authz_prepare(&q, policy_domain, destination, verdict, diag, &decided);
    if (rc == TLSRPT_OK && !decided) {
        tlsrpt_txt_answer empty;
        trpt_txt_answer_init(&empty);
        /* An answer over the limits is refused whatever the query said, as for a lookup function. */
        if (answer && (answer->over_limit || answer->out_of_memory))
            dns_status = TLSRPT_OK;
        if (dns_status == TLSRPT_ETEMPFAIL)
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-lookup-tempfail", TLSRPT_NO_OFFSET, NULL,
                               "The caller's lookup of %s reported a temporary failure.", q.qname);
        if (rc == TLSRPT_OK)
            rc = authz_conclude(&q, dns_status, answer ? answer : &empty, verdict, diag);
    }
    if (rc != TLSRPT_OK)
        *verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    authz_query_free(&q);
    return rc;
}
