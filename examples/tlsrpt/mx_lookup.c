/* tlsrpt — the MX records of a domain for `tlsrpt sts lookup` (see sts_view.h), asked with ldns, the library's own
 * DNS dependency, the way drill asks them.
 * SPDX-License-Identifier: MIT */
#include "sts_view.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

static int by_preference(const void *a, const void *b)
{
    const struct mx_host *x = a, *y = b;
    if (x->preference != y->preference)
        return x->preference < y->preference ? -1 : 1;
    return strcmp(x->host, y->host);
}

static int fail(struct mx_answer *out, const char *why)
{
    out->status = TLSRPT_ETEMPFAIL;
    out->error = strdup(why);
    return out->error ? 0 : -1;
}

int mx_lookup(const char *domain, const char *server, uint16_t port, uint32_t timeout_ms, struct mx_answer *out)
{
    memset(out, 0, sizeof *out);
    ldns_resolver *res = NULL;
    int rc = 0;
    if (server != NULL) {
        res = ldns_resolver_new();
        ldns_rdf *ns = ldns_rdf_new_frm_str(strchr(server, ':') ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, server);
        if (res == NULL || ns == NULL || ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
            ldns_rdf_deep_free(ns);
            rc = fail(out, "cannot use the name server address");
            goto done;
        }
        ldns_rdf_deep_free(ns);
        ldns_resolver_set_port(res, port ? port : 53);
    } else if (ldns_resolver_new_frm_file(&res, NULL) != LDNS_STATUS_OK) {
        rc = fail(out, "cannot read /etc/resolv.conf");
        goto done;
    }
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    ldns_resolver_set_timeout(res, tv);
    ldns_resolver_set_retry(res, 2);
    ldns_resolver_set_recursive(res, true);
    ldns_rdf *name = ldns_dname_new_frm_str(domain);
    if (name == NULL) {
        rc = fail(out, "not a domain name");
        goto done;
    }
    ldns_pkt *p = ldns_resolver_query(res, name, LDNS_RR_TYPE_MX, LDNS_RR_CLASS_IN, LDNS_RD);
    ldns_rdf_deep_free(name);
    if (p == NULL) {
        rc = fail(out, "no answer from the name server");
        goto done;
    }
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(p);
    if (rcode == LDNS_RCODE_NXDOMAIN) {
        out->status = TLSRPT_ENOTFOUND;
    } else if (rcode != LDNS_RCODE_NOERROR) {
        rc = fail(out, "the name server answered with an error (SERVFAIL, REFUSED, ...)");
    } else {
        ldns_rr_list *mx = ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_MX, LDNS_SECTION_ANSWER);
        size_t n = mx ? ldns_rr_list_rr_count(mx) : 0;
        out->hosts = calloc(n ? n : 1, sizeof *out->hosts);
        if (out->hosts == NULL)
            rc = -1;
        for (size_t i = 0; i < n && rc == 0; i++) {
            ldns_rr *rr = ldns_rr_list_rr(mx, i);
            if (ldns_rr_rd_count(rr) != 2)
                continue;
            char *host = ldns_rdf2str(ldns_rr_rdf(rr, 1));
            if (host == NULL) {
                rc = -1;
                break;
            }
            size_t len = strlen(host);
            if (len > 1 && host[len - 1] == '.')
                host[--len] = '\0';
            for (size_t k = 0; k < len; k++)
                host[k] = (char)tolower((unsigned char)host[k]);
            out->hosts[out->n].preference = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
            out->hosts[out->n++].host = host;
        }
        ldns_rr_list_deep_free(mx);
        qsort(out->hosts, out->n, sizeof *out->hosts, by_preference);
        out->status = TLSRPT_OK;
    }
    ldns_pkt_free(p);
done:
    if (res != NULL)
        ldns_resolver_deep_free(res);
    return rc;
}

void mx_answer_free(struct mx_answer *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->hosts[i].host);
    free(a->hosts);
    free(a->error);
}
