/* libtlsrpt — external report destination authorization: the DMARC mechanism (RFC 7489 §7.1) transposed to TLSRPT.
 * RFC 8460 does not require it (its §7 says so); it is a local policy knob and a checker finding. See doc/dns.md.
 * SPDX-License-Identifier: MIT */
#include "dns_internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
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

static int is_ip_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return host[0] == '[' || inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
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

    char *policy = NULL, *dest = NULL, *qname = NULL;
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
    rc = trpt_domain_to_alabel(host, 1, &dest);
    if (rc != TLSRPT_OK) {
        free(policy);
        return rc;
    }
    int same = trpt_same_org_domain(policy, dest);
    if (same < 0) {
        rc = same;
        goto out;
    }
    if (same == 1) {
        *verdict = TLSRPT_AUTH_NOT_REQUIRED;
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "authz-not-required", TLSRPT_NO_OFFSET, NULL,
                           "%s is in the organizational domain of %s: no authorization record is needed.", dest,
                           policy);
        goto out;
    }

    trpt_buf q;
    trpt_buf_init(&q);
    trpt_buf_printf(&q, "%s._report._tls.%s.", policy, dest);
    rc = trpt_buf_finish(&q, &qname, NULL);
    if (rc != TLSRPT_OK)
        goto out;
    if (strlen(qname) - 1 > TRPT_DOMAIN_MAX_LENGTH) {
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "authz-name-too-long", TLSRPT_NO_OFFSET, NULL,
                           "The authorization record name %s is longer than %u octets and cannot exist.", qname,
                           TRPT_DOMAIN_MAX_LENGTH);
        goto out;
    }

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
    free(dest);
    free(qname);
    return rc;
}
