/* libtlsrpt — the resolver object, TXT answers from lookup functions, and RFC 8460 §3: which TXT record is the
 * domain's TLSRPT record. SPDX-License-Identifier: MIT */
#include "dns_internal.h"
#include "domain.h"
#include "ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tlsrpt_resolver {
    trpt_nameserver servers[TRPT_DNS_MAX_SERVERS];
    size_t n_servers;
    char *config_error; /* why the system configuration is unusable; NULL when it was read */
    uint32_t timeout_ms;
    unsigned retries;
    uint16_t edns_udp_size;
    tlsrpt_txt_lookup_fn fn;
    void *userdata;
    struct trpt_https_settings *https; /* MTA-STS policy fetches (lib/sts/sts_fetch.c); NULL: the defaults */
};

struct tlsrpt_lookup_result {
    int status;
    char *qname;
    char **txt;
    size_t *txt_len;
    size_t n_txt;
    tlsrpt_record *record;
    int authenticated;
    tlsrpt_diag *diag;
};

/* ---- TXT answers ------------------------------------------------------------------------------------------------ */

void trpt_txt_answer_init(tlsrpt_txt_answer *a)
{
    memset(a, 0, sizeof *a);
    a->rcode = -1;
}

static void rr_free(trpt_txt_rr *rr)
{
    for (size_t i = 0; i < rr->n_strings; i++)
        free(rr->strings[i]);
    free(rr->strings);
    free(rr->lens);
}

void trpt_txt_answer_clear(tlsrpt_txt_answer *a)
{
    for (size_t i = 0; i < a->n_rrs; i++)
        rr_free(&a->rrs[i]);
    free(a->rrs);
    trpt_txt_answer_init(a);
}

TLSRPT_API int tlsrpt_txt_answer_add(tlsrpt_txt_answer *a, const char *const *strings, const size_t *lens, size_t n)
{
    if (!a || (n > 0 && (!strings || !lens)))
        return TLSRPT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!strings[i] && lens[i] > 0)
            return TLSRPT_EINVAL;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] > TLSRPT_MAX_TXT_ANSWER_SIZE - total) {
            a->over_limit = 1;
            return TLSRPT_ELIMIT;
        }
        total += lens[i];
    }
    if (a->n_rrs >= TLSRPT_MAX_TXT_RRS || total > TLSRPT_MAX_TXT_ANSWER_SIZE - a->total_bytes) {
        a->over_limit = 1;
        return TLSRPT_ELIMIT;
    }
    if (a->n_rrs == a->cap_rrs) {
        size_t cap = a->cap_rrs ? a->cap_rrs * 2 : 4;
        trpt_txt_rr *p = realloc(a->rrs, cap * sizeof *p);
        if (!p) {
            a->out_of_memory = 1;
            return TLSRPT_ENOMEM;
        }
        a->rrs = p;
        a->cap_rrs = cap;
    }
    trpt_txt_rr rr = {0};
    if (n > 0) {
        rr.strings = calloc(n, sizeof *rr.strings);
        rr.lens = calloc(n, sizeof *rr.lens);
        if (!rr.strings || !rr.lens)
            goto nomem;
        for (size_t i = 0; i < n; i++) {
            rr.strings[i] = malloc(lens[i] + 1);
            if (!rr.strings[i])
                goto nomem;
            rr.n_strings = i + 1;
            if (lens[i])
                memcpy(rr.strings[i], strings[i], lens[i]);
            rr.strings[i][lens[i]] = '\0';
            rr.lens[i] = lens[i];
        }
    }
    rr.n_strings = n;
    rr.total_len = total;
    a->rrs[a->n_rrs++] = rr;
    a->total_bytes += total;
    return TLSRPT_OK;
nomem:
    rr_free(&rr);
    a->out_of_memory = 1;
    return TLSRPT_ENOMEM;
}

TLSRPT_API int tlsrpt_txt_answer_set_authenticated(tlsrpt_txt_answer *a, int authenticated)
{
    if (!a)
        return TLSRPT_EINVAL;
    a->authenticated = authenticated ? 1 : 0;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_txt_answer_new(tlsrpt_txt_answer **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = malloc(sizeof **out);
    if (!*out)
        return TLSRPT_ENOMEM;
    trpt_txt_answer_init(*out);
    return TLSRPT_OK;
}

TLSRPT_API void tlsrpt_txt_answer_free(tlsrpt_txt_answer *a)
{
    if (!a)
        return;
    trpt_txt_answer_clear(a);
    free(a);
}

char *trpt_txt_rr_join(const trpt_txt_rr *rr, size_t *len)
{
    char *out = malloc(rr->total_len + 1);
    if (!out)
        return NULL;
    size_t pos = 0;
    for (size_t i = 0; i < rr->n_strings; i++) {
        if (rr->lens[i])
            memcpy(out + pos, rr->strings[i], rr->lens[i]);
        pos += rr->lens[i];
    }
    out[pos] = '\0';
    *len = pos;
    return out;
}

/* ---- the resolver ----------------------------------------------------------------------------------------------- */

static int resolver_new(tlsrpt_resolver **out, const char *resolv_conf)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    tlsrpt_resolver *res = calloc(1, sizeof *res);
    if (!res)
        return TLSRPT_ENOMEM;
    res->timeout_ms = TLSRPT_RESOLVER_DEFAULT_TIMEOUT_MS;
    res->retries = TLSRPT_RESOLVER_DEFAULT_RETRIES;
    res->edns_udp_size = TRPT_DNS_EDNS_UDP_SIZE;
    /* A missing or unusable resolv.conf is remembered, not fatal: the caller may still set a name server or a
     * lookup function, and lookups through the system configuration report it (there is no diag here). */
    int rc = trpt_ldns_read_config(resolv_conf, res->servers, &res->n_servers, &res->config_error);
    if (rc == TLSRPT_ENOMEM) {
        free(res);
        return TLSRPT_ENOMEM;
    }
    *out = res;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_new(tlsrpt_resolver **out)
{
    return resolver_new(out, NULL);
}

int trpt_resolver_new_from_file(tlsrpt_resolver **out, const char *resolv_conf)
{
    if (!resolv_conf) {
        if (out)
            *out = NULL;
        return TLSRPT_EINVAL;
    }
    return resolver_new(out, resolv_conf);
}

TLSRPT_API void tlsrpt_resolver_free(tlsrpt_resolver *res)
{
    if (!res)
        return;
    free(res->config_error);
    trpt_https_settings_free(res->https);
    free(res);
}

struct trpt_https_settings **trpt_resolver_https_slot(tlsrpt_resolver *res)
{
    return &res->https;
}

TLSRPT_API int tlsrpt_resolver_set_nameserver(tlsrpt_resolver *res, const char *address, uint16_t port)
{
    if (!res || !address)
        return TLSRPT_EINVAL;
    trpt_nameserver ns;
    memset(&ns, 0, sizeof ns);
    uint16_t p = htons(port ? port : 53);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ns.addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ns.addr;
    unsigned char bytes[16];
    int family = trpt_ip_parse(address, strlen(address), bytes);
    if (family == 4) {
        v4->sin_family = AF_INET;
        v4->sin_port = p;
        memcpy(&v4->sin_addr, bytes, 4);
        ns.addr_len = sizeof *v4;
    } else if (family == 6) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = p;
        memcpy(&v6->sin6_addr, bytes, 16);
        ns.addr_len = sizeof *v6;
    } else {
        return TLSRPT_EINVAL;
    }
    res->servers[0] = ns;
    res->n_servers = 1;
    free(res->config_error);
    res->config_error = NULL;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_set_timeout(tlsrpt_resolver *res, uint32_t milliseconds)
{
    if (!res || milliseconds == 0)
        return TLSRPT_EINVAL;
    res->timeout_ms = milliseconds;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_set_retries(tlsrpt_resolver *res, unsigned retries)
{
    if (!res || retries > TLSRPT_MAX_RESOLVER_RETRIES)
        return TLSRPT_EINVAL;
    res->retries = retries;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_set_lookup(tlsrpt_resolver *res, tlsrpt_txt_lookup_fn fn, void *userdata)
{
    if (!res)
        return TLSRPT_EINVAL;
    res->fn = fn;
    res->userdata = fn ? userdata : NULL;
    return TLSRPT_OK;
}

int trpt_resolver_set_edns_udp_size(tlsrpt_resolver *res, uint16_t size)
{
    if (!res || (size != 0 && size < 512))
        return TLSRPT_EINVAL;
    res->edns_udp_size = size;
    return TLSRPT_OK;
}

int trpt_resolver_query_txt(tlsrpt_resolver *res, const char *qname, tlsrpt_txt_answer *answer, tlsrpt_diag *diag)
{
    if (res->fn) {
        int rc = res->fn(qname, answer, res->userdata);
        if (answer->out_of_memory)
            return TLSRPT_ENOMEM;
        if (answer->over_limit) {
            trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-answer-too-large", TLSRPT_NO_OFFSET, NULL,
                          "The lookup function's answer for %s holds more than %u TXT records or %u bytes of TXT "
                          "text.",
                          qname, TLSRPT_MAX_TXT_RRS, TLSRPT_MAX_TXT_ANSWER_SIZE);
            return TLSRPT_ELIMIT;
        }
        if (rc == TLSRPT_OK || rc == TLSRPT_ENOTFOUND) {
            if (rc == TLSRPT_ENOTFOUND) {
                /* Drop the RRs but keep what the function said about DNSSEC: an authenticated NXDOMAIN is reported
                 * as such, as for an answer from the network. */
                int ad = answer->authenticated;
                trpt_txt_answer_clear(answer);
                answer->authenticated = ad;
            }
            return rc;
        }
        trpt_txt_answer_clear(answer);
        if (rc == TLSRPT_ETEMPFAIL)
            trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-lookup-tempfail", TLSRPT_NO_OFFSET, NULL,
                          "The lookup function reported a temporary failure for %s.", qname);
        else
            trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-lookup-callback-error", TLSRPT_NO_OFFSET, NULL,
                          "The lookup function returned %d for %s, which is not OK, ENOTFOUND or ETEMPFAIL; it is "
                          "taken as a temporary failure.",
                          rc, qname);
        return TLSRPT_ETEMPFAIL;
    }
    if (res->config_error) {
        trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, "dns-no-resolver-config", TLSRPT_NO_OFFSET, NULL, "%s",
                      res->config_error);
        return TLSRPT_ETEMPFAIL;
    }
    trpt_dns_transport t = {
        .servers = res->servers,
        .n_servers = res->n_servers,
        .timeout_ms = res->timeout_ms,
        .retries = res->retries,
        .edns_udp_size = res->edns_udp_size,
    };
    int rc = trpt_ldns_query_txt(&t, qname, answer, diag);
    if (rc != TLSRPT_OK) {
        int rcode = answer->rcode, ad = answer->authenticated;
        trpt_txt_answer_clear(answer);
        answer->rcode = rcode;
        answer->authenticated = rc == TLSRPT_ENOTFOUND ? ad : 0;
    }
    return rc;
}

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

/* Applies RFC 8460 §3 to the answer and fills l. Returns the status or TLSRPT_ENOMEM. */
static int evaluate(tlsrpt_lookup_result *l, const tlsrpt_txt_answer *a)
{
    if (a->n_rrs > 0) {
        l->txt = calloc(a->n_rrs, sizeof *l->txt);
        l->txt_len = calloc(a->n_rrs, sizeof *l->txt_len);
        if (!l->txt || !l->txt_len)
            return TLSRPT_ENOMEM;
    }
    size_t candidates = 0, candidate = 0;
    for (size_t i = 0; i < a->n_rrs; i++) {
        l->txt[i] = trpt_txt_rr_join(&a->rrs[i], &l->txt_len[i]);
        if (!l->txt[i])
            return TLSRPT_ENOMEM;
        l->n_txt = i + 1;
        if (tlsrpt_record_is_candidate(l->txt[i], l->txt_len[i])) {
            candidates++;
            candidate = i;
            continue;
        }
        char prefix[96];
        snprintf(prefix, sizeof prefix, "TXT record %zu at %s is not a TLSRPT record and is ignored: ", i + 1,
                 l->qname);
        if (add_quoted_diag(l->diag, TLSRPT_SEVERITY_INFO, "dns-txt-not-tlsrpt", prefix, l->txt[i], l->txt_len[i],
                            ".") != TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    if (candidates == 0) {
        int rc;
        if (a->n_rrs == 0)
            rc = trpt_diag_add(l->diag, TLSRPT_SEVERITY_ERROR, "dns-no-data", TLSRPT_NO_OFFSET, NULL,
                               "%s exists but has no TXT records: the domain publishes no TLSRPT policy.", l->qname);
        else
            rc = trpt_diag_add(l->diag, TLSRPT_SEVERITY_ERROR, "dns-no-tlsrpt-record", TLSRPT_NO_OFFSET, NULL,
                               "None of the %zu TXT records at %s starts with \"v=TLSRPTv1;\": the domain publishes "
                               "no TLSRPT policy.",
                               a->n_rrs, l->qname);
        return rc == TLSRPT_OK ? TLSRPT_ENOTFOUND : TLSRPT_ENOMEM;
    }
    if (candidates > 1) {
        int rc = trpt_diag_add(l->diag, TLSRPT_SEVERITY_ERROR, "dns-multiple-records", TLSRPT_NO_OFFSET, NULL,
                               "%zu TXT records at %s start with \"v=TLSRPTv1;\"; RFC 8460 section 3 says the domain "
                               "then has no TLSRPT policy.",
                               candidates, l->qname);
        return rc == TLSRPT_OK ? TLSRPT_EMULTIPLE : TLSRPT_ENOMEM;
    }
    int rc = tlsrpt_record_parse(&l->record, l->txt[candidate], l->txt_len[candidate], l->diag);
    return rc;
}

TLSRPT_API int tlsrpt_lookup(tlsrpt_resolver *res, const char *domain, tlsrpt_lookup_result **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!res || !domain)
        return TLSRPT_EINVAL;
    char *alabel = NULL;
    int rc = trpt_domain_to_alabel(domain, 0, &alabel);
    if (rc != TLSRPT_OK)
        return rc;

    tlsrpt_lookup_result *l = calloc(1, sizeof *l);
    trpt_buf q;
    trpt_buf_init(&q);
    trpt_buf_printf(&q, "_smtp._tls.%s.", alabel);
    free(alabel);
    if (!l || trpt_buf_finish(&q, &l->qname, NULL) != TLSRPT_OK || tlsrpt_diag_new(&l->diag) != TLSRPT_OK) {
        if (!l)
            trpt_buf_free(&q);
        tlsrpt_lookup_result_free(l);
        return TLSRPT_ENOMEM;
    }
    /* "_smtp._tls." adds 11 octets: the name must still fit in 253. */
    if (strlen(l->qname) - 1 > TRPT_DOMAIN_MAX_LENGTH) {
        tlsrpt_lookup_result_free(l);
        return TLSRPT_EINVAL;
    }

    tlsrpt_txt_answer answer;
    trpt_txt_answer_init(&answer);
    rc = trpt_resolver_query_txt(res, l->qname, &answer, l->diag);
    if (rc == TLSRPT_OK) {
        l->authenticated = answer.authenticated;
        rc = evaluate(l, &answer);
    } else if (rc == TLSRPT_ENOTFOUND) {
        l->authenticated = answer.authenticated;
        if (trpt_diag_add(l->diag, TLSRPT_SEVERITY_ERROR, "dns-nxdomain", TLSRPT_NO_OFFSET, NULL,
                          "%s does not exist (NXDOMAIN): the domain publishes no TLSRPT policy.",
                          l->qname) != TLSRPT_OK)
            rc = TLSRPT_ENOMEM;
    }
    trpt_txt_answer_clear(&answer);
    if (rc == TLSRPT_ENOMEM || rc == TLSRPT_EINVAL) {
        tlsrpt_lookup_result_free(l);
        return rc;
    }
    if (rc != TLSRPT_OK) {
        tlsrpt_record_free(l->record);
        l->record = NULL;
    }
    l->status = rc;
    *out = l;
    return rc;
}
