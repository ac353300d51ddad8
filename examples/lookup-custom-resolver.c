/* lookup-custom-resolver: look up TLSRPT records through the caller's own DNS resolver.
 * SPDX-License-Identifier: MIT
 *
 * An MTA usually has a resolver already (a validating one, a cache, an event loop). tlsrpt_resolver_set_lookup()
 * hands every TXT query of a tlsrpt_resolver to a callback, and libtlsrpt applies the RFC 8460 §3 rules to what it
 * answers. Here the callback answers from a fixed table, so the program needs no network.
 *
 * usage: lookup-custom-resolver [DOMAIN...]   (default: every domain of the table, and one that is not there) */
#include <stdio.h>
#include <string.h>
#include <tlsrpt/tlsrpt.h>

/* One TXT resource record: its character-strings (a record longer than 255 bytes comes as several). */
struct txt_rr {
    const char *qname; /* absolute, A-labels, trailing dot: what the callback is asked */
    const char *strings[2];
    size_t n_strings;
};

static const struct txt_rr ZONE[] = {
    {"_smtp._tls.example.com.", {"v=TLSRPTv1; rua=mailto:tlsrpt@example.com,", "https://reports.example.net/v1"}, 2},
    {"_smtp._tls.example.com.", {"google-site-verification=abc"}, 1}, /* not a candidate: ignored */
    {"_smtp._tls.twice.example.", {"v=TLSRPTv1; rua=mailto:a@twice.example"}, 1},
    {"_smtp._tls.twice.example.", {"v=TLSRPTv1; rua=mailto:b@twice.example"}, 1},
    {"_smtp._tls.broken.example.", {"v=TLSRPTv1; rua=ftp://broken.example/"}, 1},
};
#define ZONE_SIZE (sizeof ZONE / sizeof ZONE[0])

/* The callback: add every RR at qname to the answer. Return TLSRPT_OK (with no RR: the name has no TXT records),
 * TLSRPT_ENOTFOUND (NXDOMAIN) or TLSRPT_ETEMPFAIL (the resolver failed; the caller should retry later). */
static int table_lookup(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    int *queries = userdata; /* passed through unchanged: here, a query counter */
    int found = 0;
    ++*queries;
    if (strcmp(qname, "_smtp._tls.servfail.example.") == 0)
        return TLSRPT_ETEMPFAIL;
    for (size_t i = 0; i < ZONE_SIZE; i++) {
        if (strcmp(ZONE[i].qname, qname) != 0)
            continue;
        size_t lens[2];
        for (size_t k = 0; k < ZONE[i].n_strings; k++)
            lens[k] = strlen(ZONE[i].strings[k]);
        int rc = tlsrpt_txt_answer_add(answer, ZONE[i].strings, lens, ZONE[i].n_strings); /* copies */
        if (rc != TLSRPT_OK)
            return rc;
        found = 1;
    }
    /* Say so only when your resolver validated the answer with DNSSEC (the AD bit of a trusted resolver). */
    tlsrpt_txt_answer_set_authenticated(answer, found);
    return found ? TLSRPT_OK : TLSRPT_ENOTFOUND;
}

/* Looks up one domain and prints what libtlsrpt made of the answer. */
static void look_up(tlsrpt_resolver *res, const char *domain)
{
    tlsrpt_lookup_result *l = NULL;
    int rc = tlsrpt_lookup(res, domain, &l); /* equals the result's status; l is NULL only on ENOMEM/EINVAL */
    printf("%s: %s\n", domain, tlsrpt_status_string(rc));
    if (l == NULL)
        return;
    printf("  query %s, %zu TXT record(s)%s\n", tlsrpt_lookup_result_qname(l), tlsrpt_lookup_result_txt_count(l),
           tlsrpt_lookup_result_authenticated(l) ? ", DNSSEC-authenticated" : "");
    const tlsrpt_record *rec = tlsrpt_lookup_result_record(l); /* non-NULL only when the status is TLSRPT_OK */
    for (size_t i = 0; rec != NULL && i < tlsrpt_record_rua_count(rec); i++)
        printf("  destination: %s\n", tlsrpt_uri_string(tlsrpt_record_rua(rec, i)));
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l); /* why a record was ignored, rejected or refused */
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        printf("  [%s] %s\n", tlsrpt_diag_id(d, i), tlsrpt_diag_message(d, i));
    tlsrpt_lookup_result_free(l);
}

int main(int argc, char **argv)
{
    static const char *const defaults[] = {"example.com", "twice.example", "broken.example", "servfail.example",
                                           "absent.example"};
    tlsrpt_resolver *res = NULL;
    int queries = 0;
    if (tlsrpt_resolver_new(&res) != TLSRPT_OK)
        return 2;
    /* From here on, no query of res goes to the network. */
    if (tlsrpt_resolver_set_lookup(res, table_lookup, &queries) != TLSRPT_OK) {
        tlsrpt_resolver_free(res);
        return 2;
    }
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            look_up(res, argv[i]);
    else
        for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
            look_up(res, defaults[i]);
    printf("%d queries answered by the table\n", queries);
    tlsrpt_resolver_free(res);
    return 0;
}
