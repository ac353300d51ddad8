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

TLSRPT_API int tlsrpt_check_authorization(tlsrpt_resolver *res, const char *policy_domain,
                                          const tlsrpt_uri *destination, int *verdict, tlsrpt_diag *diag)
{
    if (!verdict)
        return TLSRPT_EINVAL;
    *verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    if (!res || !policy_domain || !destination)
        return TLSRPT_EINVAL;
    const char *host = tlsrpt_uri_host(destination);
    if (!host || !*host)
        return TLSRPT_EINVAL;

    char *policy = NULL, *name = NULL, *qname = NULL;
    int rc = trpt_domain_to_alabel(policy_domain, 0, &policy);
    if (rc != TLSRPT_OK)
        return rc;
    if (is_ip_literal(host)) {
        /* An address cannot publish a TXT record; it is never in the policy domain's organization either. */
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-ip-literal-host", TLSRPT_NO_OFFSET, NULL,
                           "The destination host %s is an IP address, which cannot publish the authorization "
                           "record.",
                           host);
        free(policy);
        return rc;
    }
    int required = 0;
    rc = tlsrpt_authorization_name(&name, policy, destination, &required);
    if ((rc == TLSRPT_OK || rc == TLSRPT_ELIMIT) && !required) {
        *verdict = TLSRPT_AUTH_NOT_REQUIRED;
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "authz-not-required", TLSRPT_NO_OFFSET, NULL,
                           "%s is in the organizational domain of %s: no authorization record is needed.", host,
                           policy);
        goto out;
    }
    if (rc == TLSRPT_ELIMIT) {
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-name-too-long", TLSRPT_NO_OFFSET, NULL,
                           "The authorization record name for %s at %s would be longer than %u octets and cannot "
                           "exist.",
                           policy, host, TRPT_DOMAIN_MAX_LENGTH);
        goto out;
    }
    if (rc != TLSRPT_OK)
        goto out;
    /* The host as the name spells it (A-labels): what follows the policy domain and the infix. */
    const char *dest = name + strlen(policy) + strlen(AUTHZ_INFIX);
    trpt_buf q;
    trpt_buf_init(&q);
    trpt_buf_puts(&q, name);
    trpt_buf_putc(&q, '.');
    rc = trpt_buf_finish(&q, &qname, NULL);
    if (rc != TLSRPT_OK)
        goto out;

    tlsrpt_txt_answer answer;
    trpt_txt_answer_init(&answer);
    rc = trpt_resolver_query_txt(res, qname, &answer, diag);
    if (rc == TLSRPT_OK) {
        int found = 0;
        for (size_t i = 0; i < answer.n_rrs && !found; i++) {
            size_t len;
            char *text = trpt_txt_rr_join(&answer.rrs[i], &len);
            if (!text) {
                rc = TLSRPT_ENOMEM;
                break;
            }
            found = authorizes(text, len);
            free(text);
        }
        if (rc == TLSRPT_OK && found) {
            *verdict = TLSRPT_AUTH_AUTHORIZED;
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "authz-authorized", TLSRPT_NO_OFFSET, NULL,
                               "%s publishes a TXT record starting with v=TLSRPTv1: reports for %s are authorized.",
                               qname, policy);
        } else if (rc == TLSRPT_OK && answer.n_rrs == 0) {
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-record-missing", TLSRPT_NO_OFFSET, NULL,
                               "%s has no TXT record (no data): %s has not authorized reports for %s.", qname, dest,
                               policy);
        } else if (rc == TLSRPT_OK) {
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-no-tlsrpt-txt", TLSRPT_NO_OFFSET, NULL,
                               "None of the %zu TXT records at %s starts with v=TLSRPTv1: %s has not authorized "
                               "reports for %s.",
                               answer.n_rrs, qname, dest, policy);
        }
    } else if (rc == TLSRPT_ENOTFOUND) {
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-record-missing", TLSRPT_NO_OFFSET, NULL,
                           "%s does not exist (NXDOMAIN): %s has not authorized reports for %s.", qname, dest,
                           policy);
    } else if (rc == TLSRPT_ELIMIT) {
        /* The answer was too large to look at (the ERROR says so); it authorizes nothing. */
        rc = TLSRPT_OK;
    }
    trpt_txt_answer_clear(&answer);
    if (rc != TLSRPT_OK && rc != TLSRPT_ETEMPFAIL && rc != TLSRPT_ENOMEM)
        rc = TLSRPT_ETEMPFAIL;
out:
    if (rc != TLSRPT_OK)
        *verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    free(policy);
    tlsrpt_free(name);
    free(qname);
    return rc;
}
