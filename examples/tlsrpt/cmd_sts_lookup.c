/* tlsrpt sts lookup: the MTA-STS checker. Discovers a domain's policy as a sending MTA does (TXT, HTTPS fetch,
 * policy), lists the MX hosts the policy does not cover, checks the domain's TLSRPT record, and says what a sender
 * makes of it all (RFC 8461, RFC 8460).
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "record_view.h"
#include "sts_view.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TIMEOUT_MS 60000u

static const char LOOKUP_HELP[] =
    "Usage: tlsrpt sts lookup [--server ADDR[:PORT]] [--connect-to HOST:PORT:ADDR:PORT]... [--ca-file FILE]\n"
    "                         [--timeout MS] [--fetch-always] [--no-mx] [--no-authorization] [--strict] [--json]\n"
    "                         DOMAIN\n"
    "Discover the MTA-STS policy of DOMAIN as a sending MTA does (RFC 8461): the TXT record at\n"
    "_mta-sts.DOMAIN, the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (certificate always verified,\n"
    "no redirect followed), the policy's syntax; then the MX hosts of DOMAIN the policy does not cover, and the\n"
    "TLSRPT record at _smtp._tls.DOMAIN that receives the failure reports.\n"
    "\n"
    "  --server ADDR[:PORT]     ask this name server instead of the system's ([IPv6]:PORT with a port)\n"
    "  --connect-to HOST:PORT:ADDR:PORT\n"
    "                           fetch https://HOST:PORT/ from ADDR:PORT instead (as curl's option; HOST empty:\n"
    "                           every host; PORT must be 443 or empty); the certificate is still checked for HOST\n"
    "  --ca-file FILE           trust the CA certificates in FILE (PEM) instead of the system's store\n"
    "  --timeout MS             wait at most MS milliseconds for each DNS answer and for the policy fetch,\n"
    "                           1 to 60000 (default 5000 for DNS, 10000 for the fetch)\n"
    "  --fetch-always           fetch the policy even when the TXT record is missing or invalid\n"
    "  --no-mx                  do not look up the MX records\n"
    "  --no-authorization       do not check the authorization records of external TLSRPT destinations\n"
    "  --strict                 warnings (such as an MX host the policy does not cover) fail the check\n"
    "  --json                   print one JSON document instead of text\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: 0 a valid policy, 1 no MTA-STS or an unusable policy, 2 usage or I/O error, 3 temporary\n"
    "failure (DNS, or the policy host could not be reached).\n";

static const char *status_name(int status)
{
    switch (status) {
    case TLSRPT_ENOTFOUND: return "not-found";
    case TLSRPT_EMULTIPLE: return "multiple";
    case TLSRPT_ETEMPFAIL: return "temporary-failure";
    default: return parse_status_name(status);
    }
}

static const char *fetch_name(int fetch)
{
    const char *name = tlsrpt_sts_fetch_name(fetch);
    return name ? name : "other";
}

/* The verdict word of the summary line and of "status" in JSON: the TXT stage's when it failed, "fetch-failed" when
 * no response arrived, else the policy's. */
static const char *verdict_name(const tlsrpt_sts_lookup_result *r)
{
    int txt = tlsrpt_sts_lookup_result_txt_status(r), fetch = tlsrpt_sts_lookup_result_fetch(r);
    if (txt != TLSRPT_OK)
        return status_name(txt);
    if (fetch != TLSRPT_STS_FETCH_OK && fetch != TLSRPT_STS_FETCH_NONE)
        return "fetch-failed";
    return status_name(tlsrpt_sts_lookup_result_status(r));
}

/* --connect-to HOST:PORT:ADDR:PORT, as curl writes it: HOST may be empty (every host), PORT empty or 443, ADDR an IP
 * literal ([IPv6] in brackets). Returns 0 and sets the parts, or -1. */
static int parse_connect_to(const char *arg, char *host, size_t host_size, char *addr, size_t addr_size,
                            uint16_t *port)
{
    const char *c1 = strchr(arg, ':');
    if (c1 == NULL || (size_t)(c1 - arg) >= host_size)
        return -1;
    const char *c2 = strchr(c1 + 1, ':');
    if (c2 == NULL)
        return -1;
    if (c2 > c1 + 1 && !(c2 - c1 - 1 == 3 && strncmp(c1 + 1, "443", 3) == 0))
        return -1; /* the policy is always fetched from port 443 */
    memcpy(host, arg, (size_t)(c1 - arg));
    host[c1 - arg] = '\0';
    if (parse_server_option(c2 + 1, addr, addr_size, port) != 0 || *port == 0)
        return -1;
    return 0;
}

/* Everything sts lookup found, gathered before printing. */
struct sts_looked_up {
    const char *domain;
    const tlsrpt_sts_lookup_result *r;
    const tlsrpt_sts_policy *policy; /* the parsed policy (even when unusable), or NULL */
    struct mx_answer mx;
    int mx_checked;
    int *covered;                    /* per MX host */
    tlsrpt_diag *lint;
    const tlsrpt_lookup_result *tlsrpt;
    struct destination_check *checks;
    size_t n_checks;
    tlsrpt_diag *authorization;
    int authorization_tempfail;
    struct finding_counts counts;
};

static void print_text(const struct sts_looked_up *q)
{
    FILE *f = stdout;
    int colour = stream_wants_colour(f);
    const tlsrpt_sts_lookup_result *r = q->r;
    fputs("query: ", f);
    put_escaped_string(f, tlsrpt_sts_lookup_result_txt_qname(r));
    fputc('\n', f);
    for (size_t i = 0; i < tlsrpt_sts_lookup_result_txt_count(r); i++) {
        fputs("txt: ", f);
        put_escaped(f, tlsrpt_sts_lookup_result_txt(r, i), tlsrpt_sts_lookup_result_txt_length(r, i), 0);
        fputc('\n', f);
    }
    if (tlsrpt_sts_lookup_result_record(r)) {
        fputs("id: ", f);
        put_escaped_string(f, tlsrpt_sts_record_id(tlsrpt_sts_lookup_result_record(r)));
        fputc('\n', f);
    }
    int fetch = tlsrpt_sts_lookup_result_fetch(r);
    if (fetch != TLSRPT_STS_FETCH_NONE) {
        fputs("fetch: ", f);
        put_escaped_string(f, tlsrpt_sts_lookup_result_url(r));
        fputc('\n', f);
        if (fetch == TLSRPT_STS_FETCH_OK) {
            fprintf(f, "http: status %d, ", tlsrpt_sts_lookup_result_http_status(r));
            const char *ct = tlsrpt_sts_lookup_result_content_type(r);
            put_escaped_string(f, ct ? ct : "no Content-Type");
            fprintf(f, ", %zu bytes, certificate verified\n", tlsrpt_sts_lookup_result_body_length(r));
        } else {
            fprintf(f, "http: no response (%s)\n", fetch_name(fetch));
        }
    }
    if (q->policy)
        print_sts_policy_summary(f, q->policy);
    if (q->mx_checked) {
        if (q->mx.status == TLSRPT_OK && q->mx.n == 0)
            fputs("mx: none (mail goes to the domain's address records, RFC 5321 section 5.1)\n", f);
        else if (q->mx.status == TLSRPT_ENOTFOUND)
            fputs("mx: the domain does not exist (NXDOMAIN)\n", f);
        else if (q->mx.status == TLSRPT_ETEMPFAIL)
            fprintf(f, "mx: temporary DNS failure: %s\n", q->mx.error ? q->mx.error : "");
        for (size_t i = 0; i < q->mx.n; i++) {
            fprintf(f, "mx: %u ", q->mx.hosts[i].preference);
            put_escaped_string(f, q->mx.hosts[i].host);
            if (q->policy == NULL)
                fputc('\n', f);
            else if (q->covered[i])
                fputs(": covered by the policy\n", f);
            else
                fputs(tlsrpt_sts_policy_mode(q->policy) == TLSRPT_STS_MODE_ENFORCE
                          ? ": NOT covered: senders that enforce the policy will not deliver to it\n"
                          : ": not covered: in mode enforce senders would not deliver to it\n",
                      f);
        }
    }
    if (q->tlsrpt) {
        fputs("tlsrpt: ", f);
        put_escaped_string(f, tlsrpt_lookup_result_qname(q->tlsrpt));
        fprintf(f, ": %s\n", status_name(tlsrpt_lookup_result_status(q->tlsrpt)));
        const tlsrpt_record *rec = tlsrpt_lookup_result_record(q->tlsrpt);
        if (rec) {
            print_record_summary(f, rec);
            for (size_t i = 0; i < q->n_checks; i++)
                if (q->checks[i].verdict != NULL)
                    print_authorization_line(f, tlsrpt_record_rua(rec, i), &q->checks[i]);
        }
    }
    print_findings_with_hints(f, colour, tlsrpt_sts_lookup_result_diag(r), NULL, 0);
    print_findings_with_hints(f, colour, q->lint, NULL, 0);
    if (q->tlsrpt)
        print_findings_with_hints(f, colour, tlsrpt_lookup_result_diag(q->tlsrpt), NULL, 0);
    print_findings_with_hints(f, colour, q->authorization, NULL, 0);
    const char *type = tlsrpt_sts_lookup_result_result_type(r);
    int status = tlsrpt_sts_lookup_result_status(r);
    if (status == TLSRPT_OK)
        fprintf(f, "sender: applies the policy (mode %s)\n", sts_mode_name(tlsrpt_sts_policy_mode(q->policy)));
    else if (type)
        fprintf(f, "sender: cannot apply a policy and reports the failure as %s\n", type);
    else if (tlsrpt_sts_lookup_result_txt_status(r) == TLSRPT_ETEMPFAIL)
        fputs("sender: applies a cached policy if it has one, and tries again later\n", f);
    else
        fputs("sender: the domain has no MTA-STS policy\n", f);
    print_summary_line(f, verdict_name(r), NULL, &q->counts);
}

/* The library's document of the discovery (tlsrpt_sts_lookup_result_to_json), then what the checker added: the MX
 * hosts, the TLSRPT record, the policy's lint, and the counts of every finding. Returns TLSRPT_OK or ENOMEM. */
static int print_json(const struct sts_looked_up *q)
{
    char *doc = NULL;
    size_t doc_len = 0;
    int rc = tlsrpt_sts_lookup_result_to_json(q->r, 0, &doc, &doc_len);
    if (rc != TLSRPT_OK)
        return rc;
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_raw_members(w, doc, doc_len);
    tlsrpt_free(doc);
    json_key(w, "mx");
    if (q->mx_checked) {
        json_begin_object(w);
        json_member_string(w, "status", status_name(q->mx.status));
        json_key(w, "hosts");
        json_begin_array(w);
        for (size_t i = 0; i < q->mx.n; i++) {
            json_begin_object(w);
            json_member_size(w, "preference", q->mx.hosts[i].preference);
            json_member_string(w, "host", q->mx.hosts[i].host);
            json_key(w, "covered");
            if (q->policy)
                json_bool(w, q->covered[i]);
            else
                json_null(w);
            json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
    } else {
        json_null(w);
    }
    json_key(w, "tlsrpt");
    if (q->tlsrpt) {
        const tlsrpt_record *rec = tlsrpt_lookup_result_record(q->tlsrpt);
        json_begin_object(w);
        json_member_string(w, "qname", tlsrpt_lookup_result_qname(q->tlsrpt));
        json_member_string(w, "status", status_name(tlsrpt_lookup_result_status(q->tlsrpt)));
        json_member_bool(w, "valid", rec != NULL);
        json_record_fields(w, rec, q->checks);
        json_member_bool(w, "authorization_complete", !q->authorization_tempfail);
        json_key(w, "findings");
        const tlsrpt_diag *lists[] = {tlsrpt_lookup_result_diag(q->tlsrpt), q->authorization};
        json_findings(w, lists, 2, 0);
        json_end_object(w);
    } else {
        json_null(w);
    }
    json_key(w, "lint");
    const tlsrpt_diag *lint[] = {q->lint};
    json_findings(w, lint, 1, 0);
    json_counts(w, &q->counts);
    json_end_object(w);
    json_finish(w);
    return TLSRPT_OK;
}

/* The MX hosts and their coverage, and the policy's lint with them. Returns TLSRPT_OK or a library error. */
static int examine_mx(struct sts_looked_up *q, const char *server, uint16_t port, uint32_t timeout, int no_tlsrpt)
{
    const char *domain = tlsrpt_sts_lookup_result_domain(q->r);
    if (mx_lookup(domain, server, port, timeout ? timeout : 5000, &q->mx) != 0)
        return TLSRPT_ENOMEM;
    q->mx_checked = 1;
    q->covered = calloc(q->mx.n + 1, sizeof *q->covered);
    const char **hosts = calloc(q->mx.n + 1, sizeof *hosts);
    int rc = q->covered && hosts ? TLSRPT_OK : TLSRPT_ENOMEM;
    for (size_t i = 0; i < q->mx.n && rc == TLSRPT_OK && q->policy; i++) {
        hosts[i] = q->mx.hosts[i].host;
        int m = tlsrpt_sts_policy_matches(q->policy, hosts[i]);
        if (m < 0 && m != TLSRPT_EINVAL)
            rc = m;
        q->covered[i] = m == 1;
    }
    if (rc == TLSRPT_OK && q->policy)
        rc = tlsrpt_sts_policy_lint(q->policy, no_tlsrpt ? TLSRPT_STS_LINT_NO_TLSRPT : 0u,
                                    q->mx.status == TLSRPT_OK && q->mx.n ? hosts : NULL,
                                    q->mx.status == TLSRPT_OK ? q->mx.n : 0, q->lint);
    free(hosts);
    return rc;
}

int cmd_sts_lookup(int argc, char **argv)
{
    static const struct option options[] = {
        {"server", required_argument, NULL, 's'},
        {"connect-to", required_argument, NULL, 'c'},
        {"ca-file", required_argument, NULL, 'a'},
        {"timeout", required_argument, NULL, 't'},
        {"fetch-always", no_argument, NULL, 'f'},
        {"no-mx", no_argument, NULL, 'm'},
        {"no-authorization", no_argument, NULL, 'n'},
        {"strict", no_argument, NULL, 'S'},
        OPTION_JSON,
        OPTION_HELP,
        OPTIONS_END,
    };
    const char *server = NULL, *timeout_text = NULL, *ca_file = NULL;
    const char **connect_to = calloc((size_t)argc + 1, sizeof *connect_to);
    size_t n_connect_to = 0;
    uint32_t timeout = 0;
    int fetch_always = 0, no_mx = 0, no_auth = 0, strict = 0, ch;
    enum output_format output = OUTPUT_TEXT;
    if (connect_to == NULL)
        return fail_library("sts lookup", "options", TLSRPT_ENOMEM);
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 's': server = optarg; break;
        case 'c': connect_to[n_connect_to++] = optarg; break;
        case 'a': ca_file = optarg; break;
        case 't': timeout_text = optarg; break;
        case 'f': fetch_always = 1; break;
        case 'm': no_mx = 1; break;
        case 'n': no_auth = 1; break;
        case 'S': strict = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'h': free(connect_to); fputs(LOOKUP_HELP, stdout); return EXIT_OK;
        default: free(connect_to); return option_error("sts lookup", ch, argv);
        }
    }
    char address[64];
    uint16_t port = 0;
    int status = EXIT_OK, rc;
    struct sts_looked_up q = {0};
    tlsrpt_resolver *res = NULL;
    tlsrpt_sts_lookup_result *r = NULL;
    tlsrpt_lookup_result *tl = NULL;
    if (server != NULL && parse_server_option(server, address, sizeof address, &port) != 0)
        status = usage_error("sts lookup", "invalid server (ADDR, ADDR:PORT or [IPv6]:PORT):", server);
    else if (timeout_text != NULL && parse_uint32_option(timeout_text, 1, MAX_TIMEOUT_MS, &timeout) != 0)
        status = usage_error("sts lookup", "invalid timeout (1 to 60000 milliseconds):", timeout_text);
    else if (optind >= argc)
        status = usage_error("sts lookup", "missing DOMAIN", NULL);
    else if (argc - optind > 1)
        status = usage_error("sts lookup", "unexpected argument", argv[optind + 1]);
    if (status != EXIT_OK)
        goto done;
    q.domain = argv[optind];
    if ((rc = tlsrpt_resolver_new(&res)) != TLSRPT_OK ||
        (server && (rc = tlsrpt_resolver_set_nameserver(res, address, port)) != TLSRPT_OK) ||
        (timeout && (rc = tlsrpt_resolver_set_timeout(res, timeout)) != TLSRPT_OK) ||
        (timeout && (rc = tlsrpt_resolver_set_https_timeout(res, timeout)) != TLSRPT_OK) ||
        (ca_file && (rc = tlsrpt_resolver_set_https_ca_file(res, ca_file)) != TLSRPT_OK)) {
        status = rc == TLSRPT_EINVAL ? usage_error("sts lookup", "invalid server:", server)
                                     : fail_library("sts lookup", "resolver", rc);
        goto done;
    }
    for (size_t i = 0; i < n_connect_to; i++) {
        char host[256], addr[64];
        uint16_t p = 0;
        if (parse_connect_to(connect_to[i], host, sizeof host, addr, sizeof addr, &p) != 0 ||
            (rc = tlsrpt_resolver_set_https_connect_to(res, host, addr, p)) == TLSRPT_EINVAL) {
            status = usage_error("sts lookup", "invalid --connect-to (HOST:443:ADDR:PORT or :443:ADDR:PORT):",
                                 connect_to[i]);
            goto done;
        }
        if (rc != TLSRPT_OK) {
            status = rc == TLSRPT_ELIMIT ? usage_error("sts lookup", "too many --connect-to", NULL)
                                         : fail_library("sts lookup", "resolver", rc);
            goto done;
        }
    }
    rc = tlsrpt_sts_lookup(res, q.domain, fetch_always ? TLSRPT_STS_LOOKUP_FETCH_ALWAYS : 0u, &r);
    if (r == NULL) {
        status = rc == TLSRPT_EINVAL ? usage_error("sts lookup", "not a domain name:", q.domain)
                                     : fail_library("sts lookup", "looking up the policy", rc);
        goto done;
    }
    q.r = r;
    q.policy = tlsrpt_sts_lookup_result_policy(r);
    if ((rc = tlsrpt_diag_new(&q.lint)) != TLSRPT_OK || (rc = tlsrpt_diag_new(&q.authorization)) != TLSRPT_OK) {
        status = fail_library("sts lookup", "diagnostics", rc);
        goto done;
    }
    /* The TLSRPT record that receives the reports, and its destinations' authorization. */
    rc = tlsrpt_lookup(res, tlsrpt_sts_lookup_result_domain(r), &tl);
    if (tl == NULL) {
        status = fail_library("sts lookup", "looking up the TLSRPT record", rc);
        goto done;
    }
    q.tlsrpt = tl;
    const tlsrpt_record *rec = tlsrpt_lookup_result_record(tl);
    if (rec) {
        q.n_checks = tlsrpt_record_rua_count(rec);
        q.checks = calloc(q.n_checks + 1, sizeof *q.checks);
        rc = q.checks ? TLSRPT_OK : TLSRPT_ENOMEM;
        for (size_t i = 0; i < q.n_checks && rc == TLSRPT_OK; i++)
            rc = check_destination(tlsrpt_sts_lookup_result_domain(r), rec, res, i, no_auth, q.authorization,
                                   &q.checks[i], &q.authorization_tempfail);
        if (rc != TLSRPT_OK) {
            status = fail_library("sts lookup", "checking the TLSRPT record", rc);
            goto done;
        }
    }
    if (!no_mx && (rc = examine_mx(&q, server ? address : NULL, port, timeout, rec == NULL)) != TLSRPT_OK) {
        status = fail_library("sts lookup", "checking the MX hosts", rc);
        goto done;
    }
    count_findings(tlsrpt_sts_lookup_result_diag(r), &q.counts);
    count_findings(q.lint, &q.counts);
    count_findings(tlsrpt_lookup_result_diag(tl), &q.counts);
    count_findings(q.authorization, &q.counts);

    int st = tlsrpt_sts_lookup_result_status(r), fetch = tlsrpt_sts_lookup_result_fetch(r);
    if (st == TLSRPT_OK)
        status = strict && q.counts.warnings > 0 ? EXIT_INVALID : EXIT_OK;
    else if (st == TLSRPT_ETEMPFAIL && (fetch == TLSRPT_STS_FETCH_NONE || fetch == TLSRPT_STS_FETCH_CONNECT ||
                                        fetch == TLSRPT_STS_FETCH_TIMEOUT))
        status = EXIT_TEMPFAIL;
    else
        status = EXIT_INVALID;
    if (output == OUTPUT_JSON) {
        if ((rc = print_json(&q)) != TLSRPT_OK)
            status = fail_library("sts lookup", "writing JSON", rc);
    } else {
        print_text(&q);
    }
done:
    if (q.mx_checked)
        mx_answer_free(&q.mx);
    free(q.covered);
    for (size_t i = 0; i < q.n_checks; i++)
        free(q.checks[i].name);
    free(q.checks);
    tlsrpt_diag_free(q.lint);
    tlsrpt_diag_free(q.authorization);
    tlsrpt_lookup_result_free(tl);
    tlsrpt_sts_lookup_result_free(r);
    tlsrpt_resolver_free(res);
    free(connect_to);
    return status;
}
