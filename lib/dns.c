/* libtlsrpt — RFC 8460 §3: which TXT record of an answer is the domain's TLSRPT record, and the lookup result that
 * says so. The evaluation is pure (an answer in, a result out): tlsrpt_lookup_evaluate() is it alone,
 * tlsrpt_lookup() is the resolver's query (dns_resolver.c) followed by it. SPDX-License-Identifier: MIT */
#include "dns_internal.h"
#include "domain.h"
#include "ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tlsrpt_lookup_result {
    int status;
    char *qname;
    char **txt;
    size_t *txt_len;
    size_t n_txt;
    tlsrpt_record *record;
    int authenticated;
    tlsrpt_diag *diag;
    tlsrpt_txt_answer dns; /* what DNS said: the RRs' strings and TTLs, the CNAME chain, the server (since 1.1) */
};

/* ---- lookup results --------------------------------------------------------------------------------------------- */

TLSRPT_API void tlsrpt_lookup_result_free(tlsrpt_lookup_result *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n_txt; i++)
        free(l->txt[i]);
    free(l->txt);
    free(l->txt_len);
    free(l->qname);
    tlsrpt_record_free(l->record);
    tlsrpt_diag_free(l->diag);
    trpt_txt_answer_clear(&l->dns);
    free(l);
}

TLSRPT_API int tlsrpt_lookup_result_status(const tlsrpt_lookup_result *l)
{
    return l ? l->status : TLSRPT_EINVAL;
}

TLSRPT_API const char *tlsrpt_lookup_result_qname(const tlsrpt_lookup_result *l)
{
    return l ? l->qname : NULL;
}

TLSRPT_API size_t tlsrpt_lookup_result_txt_count(const tlsrpt_lookup_result *l)
{
    return l ? l->n_txt : 0;
}

TLSRPT_API const char *tlsrpt_lookup_result_txt(const tlsrpt_lookup_result *l, size_t i)
{
    return (l && i < l->n_txt) ? l->txt[i] : NULL;
}

TLSRPT_API size_t tlsrpt_lookup_result_txt_length(const tlsrpt_lookup_result *l, size_t i)
{
    return (l && i < l->n_txt) ? l->txt_len[i] : 0;
}

TLSRPT_API const tlsrpt_record *tlsrpt_lookup_result_record(const tlsrpt_lookup_result *l)
{
    return (l && l->status == TLSRPT_OK) ? l->record : NULL;
}

TLSRPT_API int tlsrpt_lookup_result_authenticated(const tlsrpt_lookup_result *l)
{
    return l ? l->authenticated : 0;
}

TLSRPT_API const tlsrpt_diag *tlsrpt_lookup_result_diag(const tlsrpt_lookup_result *l)
{
    return l ? l->diag : NULL;
}

/* The RRs of the result's answer are the txt list, one for one (evaluate() keeps them in step). */
static const trpt_txt_rr *result_rr(const tlsrpt_lookup_result *l, size_t i)
{
    return (l && i < l->n_txt && i < l->dns.n_rrs) ? &l->dns.rrs[i] : NULL;
}

TLSRPT_API int64_t tlsrpt_lookup_result_txt_ttl(const tlsrpt_lookup_result *l, size_t i)
{
    const trpt_txt_rr *rr = result_rr(l, i);
    return rr ? rr->ttl : TLSRPT_TTL_UNKNOWN;
}

TLSRPT_API size_t tlsrpt_lookup_result_txt_string_count(const tlsrpt_lookup_result *l, size_t i)
{
    const trpt_txt_rr *rr = result_rr(l, i);
    return rr ? rr->n_strings : 0;
}

TLSRPT_API const char *tlsrpt_lookup_result_txt_string(const tlsrpt_lookup_result *l, size_t i, size_t j)
{
    const trpt_txt_rr *rr = result_rr(l, i);
    return (rr && j < rr->n_strings) ? rr->strings[j] : NULL;
}

TLSRPT_API size_t tlsrpt_lookup_result_txt_string_length(const tlsrpt_lookup_result *l, size_t i, size_t j)
{
    const trpt_txt_rr *rr = result_rr(l, i);
    return (rr && j < rr->n_strings) ? rr->lens[j] : 0;
}

TLSRPT_API size_t tlsrpt_lookup_result_cname_count(const tlsrpt_lookup_result *l)
{
    return l ? l->dns.n_cnames : 0;
}

TLSRPT_API const char *tlsrpt_lookup_result_cname(const tlsrpt_lookup_result *l, size_t i)
{
    return (l && i < l->dns.n_cnames) ? l->dns.cnames[i] : NULL;
}

TLSRPT_API int64_t tlsrpt_lookup_result_cname_ttl(const tlsrpt_lookup_result *l, size_t i)
{
    return (l && i < l->dns.n_cnames) ? l->dns.cname_ttls[i] : TLSRPT_TTL_UNKNOWN;
}

TLSRPT_API const char *tlsrpt_lookup_result_server(const tlsrpt_lookup_result *l)
{
    return (l && l->dns.server[0]) ? l->dns.server : NULL;
}

TLSRPT_API uint16_t tlsrpt_lookup_result_server_port(const tlsrpt_lookup_result *l)
{
    return (l && l->dns.server[0]) ? l->dns.server_port : 0;
}

/* ---- RFC 8460 §3 -------------------------------------------------------------------------------------------------- */

/* How much of a TXT record a diagnostic quotes. */
#define QUOTE_MAX 80u

static int add_quoted_diag(tlsrpt_diag *d, int severity, const char *id, const char *prefix, const char *text,
                           size_t len, const char *suffix)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, prefix);
    trpt_buf_putc(&b, '"');
    trpt_buf_put_quoted(&b, text, len, QUOTE_MAX);
    trpt_buf_putc(&b, '"');
    trpt_buf_puts(&b, suffix);
    char *msg;
    if (trpt_buf_finish(&b, &msg, NULL) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    int rc = trpt_diag_add(d, severity, id, TLSRPT_NO_OFFSET, NULL, "%s", msg);
    free(msg);
    return rc;
}

int trpt_txt_select(const trpt_txt_kind *kind, const tlsrpt_txt_answer *a, const char *qname, char ***out,
                    size_t **lens, size_t *n_out, size_t *candidate, tlsrpt_diag *diag)
{
    if (a->n_rrs > 0) {
        *out = calloc(a->n_rrs, sizeof **out);
        *lens = calloc(a->n_rrs, sizeof **lens);
        if (!*out || !*lens)
            return TLSRPT_ENOMEM;
    }
    size_t candidates = 0;
    for (size_t i = 0; i < a->n_rrs; i++) {
        (*out)[i] = trpt_txt_rr_join(&a->rrs[i], &(*lens)[i]);
        if (!(*out)[i])
            return TLSRPT_ENOMEM;
        *n_out = i + 1;
        if (kind->is_candidate((*out)[i], (*lens)[i])) {
            candidates++;
            *candidate = i;
            continue;
        }
        if (!trpt_diag_keeps(diag, TLSRPT_SEVERITY_INFO))
            continue;
        char prefix[384];
        snprintf(prefix, sizeof prefix, "TXT record %zu at %s is not %s and is ignored: ", i + 1, qname,
                 kind->a_record);
        if (add_quoted_diag(diag, TLSRPT_SEVERITY_INFO, kind->id_not_kind, prefix, (*out)[i], (*lens)[i], ".") !=
            TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    int rc = TLSRPT_OK, status = TLSRPT_OK;
    if (candidates == 0 && a->n_rrs == 0) {
        status = TLSRPT_ENOTFOUND;
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, kind->id_no_data, TLSRPT_NO_OFFSET, NULL,
                           "%s exists but has no TXT records: the domain publishes no %s policy.", qname, kind->policy);
    } else if (candidates == 0) {
        status = TLSRPT_ENOTFOUND;
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, kind->id_no_record, TLSRPT_NO_OFFSET, NULL,
                           "None of the %zu TXT records at %s starts with \"%s\": the domain publishes no %s policy.",
                           a->n_rrs, qname, kind->version, kind->policy);
    } else if (candidates > 1) {
        status = TLSRPT_EMULTIPLE;
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, kind->id_multiple, TLSRPT_NO_OFFSET, NULL,
                           "%zu TXT records at %s start with \"%s\"; %s says the domain then has no %s policy.",
                           candidates, qname, kind->version, kind->rule, kind->policy);
    }
    return rc == TLSRPT_OK ? status : TLSRPT_ENOMEM;
}

static const trpt_txt_kind TLSRPT_TXT = {
    .is_candidate = tlsrpt_record_is_candidate,
    .a_record = "a TLSRPT record",
    .policy = "TLSRPT",
    .version = "v=TLSRPTv1;",
    .rule = "RFC 8460 section 3",
    .id_not_kind = DIAG_ID("dns-txt-not-tlsrpt"),
    .id_no_data = DIAG_ID("dns-no-data"),
    .id_no_record = DIAG_ID("dns-no-tlsrpt-record"),
    .id_multiple = DIAG_ID("dns-multiple-records"),
};

/* Applies RFC 8460 §3 to the answer and fills l. Returns the status or TLSRPT_ENOMEM. */
static int evaluate(tlsrpt_lookup_result *l, const tlsrpt_txt_answer *a)
{
    size_t candidate = 0;
    int rc = trpt_txt_select(&TLSRPT_TXT, a, l->qname, &l->txt, &l->txt_len, &l->n_txt, &candidate, l->diag);
    if (rc != TLSRPT_OK)
        return rc;
    return tlsrpt_record_parse(&l->record, l->txt[candidate], l->txt_len[candidate], l->diag);
}

/* ---- the CNAME rule and the size rule, shared with authz.c ------------------------------------------------------ */

int trpt_dns_chain_check(const tlsrpt_txt_answer *a, const char *qname, tlsrpt_diag *diag)
{
    for (size_t i = 0; i < a->n_cnames; i++) {
        const char *owner = i == 0 ? qname : a->cnames[i - 1];
        int loop = trpt_ascii_strcasecmp(a->cnames[i], qname) == 0;
        for (size_t j = 0; j < i && !loop; j++)
            loop = trpt_ascii_strcasecmp(a->cnames[i], a->cnames[j]) == 0;
        if (loop)
            return trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-cname-loop", TLSRPT_NO_OFFSET, NULL,
                                 "The CNAME %s -> %s closes a loop: %s has no usable TXT record.", owner,
                                 a->cnames[i], qname) == TLSRPT_OK
                       ? TLSRPT_ENOTFOUND
                       : TLSRPT_ENOMEM;
        if (i >= TRPT_DNS_MAX_CNAME_CHAIN)
            return trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-cname-chain-too-long", TLSRPT_NO_OFFSET, NULL,
                                 "The CNAME %s -> %s is more than %u CNAMEs away from the query name (resolvers "
                                 "follow at most %u): %s has no usable TXT record.",
                                 owner, a->cnames[i], TRPT_DNS_MAX_CNAME_CHAIN, TRPT_DNS_MAX_CNAME_CHAIN,
                                 qname) == TLSRPT_OK
                       ? TLSRPT_ENOTFOUND
                       : TLSRPT_ENOMEM;
    }
    /* cname_overflow implies n_cnames == TRPT_DNS_MAX_CNAME_CHAIN + 1, refused in the loop. */
    return TLSRPT_OK;
}

int trpt_dns_answer_too_large(const char *id, const char *qname, tlsrpt_diag *diag)
{
    return trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, id, TLSRPT_NO_OFFSET, NULL,
                         "The answer for %s holds more than %u TXT records or %u bytes of TXT text.", qname,
                         TLSRPT_MAX_TXT_RRS, TLSRPT_MAX_TXT_ANSWER_SIZE) == TLSRPT_OK
               ? TLSRPT_ELIMIT
               : TLSRPT_ENOMEM;
}

/* ---- lookups ------------------------------------------------------------------------------------------------------ */

TLSRPT_API int tlsrpt_lookup_qname(const char *domain, char **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!domain)
        return TLSRPT_EINVAL;
    return trpt_domain_name_under(domain, "_smtp._tls.", ".", out);
}

/* A new result for the query name of domain. TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. */
static int result_new(const char *domain, tlsrpt_lookup_result **out)
{
    *out = NULL;
    tlsrpt_lookup_result *l = calloc(1, sizeof *l);
    if (!l)
        return TLSRPT_ENOMEM;
    trpt_txt_answer_init(&l->dns);
    int rc = tlsrpt_lookup_qname(domain, &l->qname);
    if (rc == TLSRPT_OK && tlsrpt_diag_new(&l->diag) != TLSRPT_OK)
        rc = TLSRPT_ENOMEM;
    if (rc != TLSRPT_OK) {
        tlsrpt_lookup_result_free(l);
        return rc;
    }
    *out = l;
    return TLSRPT_OK;
}

/* The evaluation of both entry points: the answer (owned by l->dns) and what the query said. Returns the status
 * (stored in l) or TLSRPT_ENOMEM. ETEMPFAIL's ERROR is already in l->diag. */
static int conclude(tlsrpt_lookup_result *l, int dns_status)
{
    const tlsrpt_txt_answer *a = &l->dns;
    int rc = dns_status;
    if (a->out_of_memory)
        return TLSRPT_ENOMEM;
    if (rc == TLSRPT_ETEMPFAIL) {
        l->authenticated = 0; /* no usable answer: nothing was validated */
    } else {
        l->authenticated = a->authenticated;
        if (a->over_limit)
            rc = trpt_dns_answer_too_large("dns-answer-too-large", l->qname, l->diag);
        else if ((rc = trpt_dns_chain_check(a, l->qname, l->diag)) == TLSRPT_OK && dns_status == TLSRPT_ENOTFOUND)
            rc = trpt_diag_add(l->diag, TLSRPT_SEVERITY_ERROR, "dns-nxdomain", TLSRPT_NO_OFFSET, NULL,
                               "%s does not exist (NXDOMAIN): the domain publishes no TLSRPT policy.",
                               l->qname) == TLSRPT_OK
                     ? TLSRPT_ENOTFOUND
                     : TLSRPT_ENOMEM;
        else if (rc == TLSRPT_OK)
            rc = evaluate(l, a);
    }
    if (rc == TLSRPT_ENOMEM)
        return rc;
    if (rc != TLSRPT_OK) {
        tlsrpt_record_free(l->record);
        l->record = NULL;
    }
    l->status = rc;
    return rc;
}

TLSRPT_API int tlsrpt_lookup(tlsrpt_resolver *res, const char *domain, tlsrpt_lookup_result **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!res || !domain)
        return TLSRPT_EINVAL;
    tlsrpt_lookup_result *l = NULL;
    int rc = result_new(domain, &l);
    if (rc != TLSRPT_OK)
        return rc;
    rc = trpt_resolver_query(res, l->qname, &l->dns, l->diag);
    if (rc == TLSRPT_OK || rc == TLSRPT_ENOTFOUND || rc == TLSRPT_ETEMPFAIL)
        rc = conclude(l, rc);
    if (rc == TLSRPT_ENOMEM || rc == TLSRPT_EINVAL) {
        tlsrpt_lookup_result_free(l);
        return rc;
    }
    *out = l;
    return rc;
}

TLSRPT_API int tlsrpt_lookup_evaluate(const char *domain, int dns_status, const tlsrpt_txt_answer *answer,
                                      tlsrpt_lookup_result **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!domain || (dns_status != TLSRPT_OK && dns_status != TLSRPT_ENOTFOUND && dns_status != TLSRPT_ETEMPFAIL))
        return TLSRPT_EINVAL;
    tlsrpt_lookup_result *l = NULL;
    int rc = result_new(domain, &l);
    if (rc != TLSRPT_OK)
        return rc;
    /* An answer over the limits is refused whatever the query said, as for a lookup function. */
    if (answer && (answer->over_limit || answer->out_of_memory))
        dns_status = TLSRPT_OK;
    if (dns_status == TLSRPT_ETEMPFAIL) {
        /* The caller's query failed: nothing of its answer is kept, as for a lookup function. */
        if (trpt_diag_add(l->diag, TLSRPT_SEVERITY_ERROR, "dns-lookup-tempfail", TLSRPT_NO_OFFSET, NULL,
                          "The caller's lookup of %s reported a temporary failure.", l->qname) != TLSRPT_OK)
            rc = TLSRPT_ENOMEM;
    } else if (answer) {
        rc = trpt_txt_answer_copy(&l->dns, answer);
        if (rc == TLSRPT_OK && dns_status == TLSRPT_ENOTFOUND) {
            /* NXDOMAIN: RRs the caller added are not data (as for a lookup function); its chain, AD bit and
             * server are kept. */
            trpt_txt_answer_drop_rrs(&l->dns);
        }
    }
    if (rc == TLSRPT_OK)
        rc = conclude(l, dns_status);
    if (rc == TLSRPT_ENOMEM) {
        tlsrpt_lookup_result_free(l);
        return rc;
    }
    *out = l;
    return rc;
}
