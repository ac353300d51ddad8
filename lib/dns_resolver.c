/* libtlsrpt — the resolver object: how a query is answered (the name servers through the ldns transport, or the
 * caller's lookup function), and the one dispatch between them. It queries; it does not evaluate.
 * SPDX-License-Identifier: MIT */
#include "dns_internal.h"
#include "ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>
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

int trpt_resolver_query(tlsrpt_resolver *res, const char *qname, tlsrpt_txt_answer *answer, tlsrpt_diag *diag)
{
    if (res->fn) {
        int rc = res->fn(qname, answer, res->userdata);
        if (answer->out_of_memory)
            return TLSRPT_ENOMEM;
        if (answer->over_limit)
            return TLSRPT_OK; /* the evaluation refuses it whatever the function said (dns-answer-too-large) */
        if (rc == TLSRPT_OK || rc == TLSRPT_ENOTFOUND) {
            /* NXDOMAIN: drop the RRs but keep what the function said about DNSSEC, the chain and the server: an
             * authenticated NXDOMAIN is reported as such, as for an answer from the network. */
            if (rc == TLSRPT_ENOTFOUND)
                trpt_txt_answer_drop_rrs(answer);
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
    if (rc == TLSRPT_ENOTFOUND)
        trpt_txt_answer_drop_rrs(answer);
    if (rc == TLSRPT_ETEMPFAIL) {
        int rcode = answer->rcode;
        trpt_txt_answer_clear(answer);
        answer->rcode = rcode;
    }
    return rc;
}

int trpt_resolver_query_txt(tlsrpt_resolver *res, const char *qname, tlsrpt_txt_answer *answer, tlsrpt_diag *diag)
{
    int rc = trpt_resolver_query(res, qname, answer, diag);
    if (rc != TLSRPT_OK && rc != TLSRPT_ENOTFOUND)
        return rc;
    int refused = TLSRPT_OK;
    if (answer->over_limit)
        refused = trpt_dns_answer_too_large("dns-answer-too-large", qname, diag);
    else if ((refused = trpt_dns_chain_check(answer, qname, diag)) == TLSRPT_ENOTFOUND)
        refused = TLSRPT_ETEMPFAIL; /* the 1.0 code of this function for a loop or a chain over the bound */
    if (refused != TLSRPT_OK) {
        int rcode = answer->rcode;
        trpt_txt_answer_clear(answer);
        answer->rcode = rcode;
        return refused;
    }
    return rc;
}
