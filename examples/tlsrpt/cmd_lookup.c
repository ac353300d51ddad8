/* tlsrpt lookup: the record checker. Looks up what a domain really publishes at _smtp._tls.DOMAIN, gives the
 * RFC 8460 verdict, and checks the authorization records of destinations outside the domain's organization.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "record_view.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>


/* lookup --timeout: milliseconds per answer, at most one minute. */
#define MAX_TIMEOUT_MS 60000u

static const char LOOKUP_HELP[] =
    "Usage: tlsrpt lookup [--server ADDR[:PORT]] [--timeout MS] [--no-authorization] [--json] DOMAIN\n"
    "Look up the TLSRPT record of DOMAIN (TXT at _smtp._tls.DOMAIN, RFC 8460) and check it, with the\n"
    "authorization records of destinations outside DOMAIN's organization.\n"
    "\n"
    "  --server ADDR[:PORT]  ask this name server instead of the system's: an IPv4 address, or an IPv6\n"
    "                        address in brackets ([::1]:5353); the port defaults to 53\n"
    "  --timeout MS          wait at most MS milliseconds for each answer, 1 to 60000 (default 5000)\n"
    "  --no-authorization    do not query the authorization records of external destinations\n"
    "  --json                print one JSON document instead of text\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 one valid record, 1 no record, several records, or an invalid or unusable one,\n"
    "2 usage or I/O error, 3 temporary DNS failure (of the lookup or of an authorization check).\n";

/* Splits --server ADDR[:PORT] into the address and the port (0 when not given: the DNS port). An IPv6 address
 * with a port is written in brackets; a bare IPv6 address (two ':' or more) is taken whole, without a port.
 * Whether the address is an IP literal is left to tlsrpt_resolver_set_nameserver(). Returns 0, or -1. */
static int parse_server(const char *arg, char *addr, size_t addr_size, uint16_t *port)
{
    const char *host = arg, *host_end, *port_text = NULL;
    if (arg[0] == '[') {
        host = arg + 1;
        host_end = strchr(host, ']');
        if (host_end == NULL)
            return -1;
        if (host_end[1] == ':')
            port_text = host_end + 2;
        else if (host_end[1] != '\0')
            return -1;
    } else {
        const char *colon = strchr(arg, ':');
        if (colon != NULL && strchr(colon + 1, ':') == NULL) {
            host_end = colon;
            port_text = colon + 1;
        } else {
            host_end = arg + strlen(arg);
        }
    }
    size_t len = (size_t)(host_end - host);
    if (len == 0 || len >= addr_size)
        return -1;
    memcpy(addr, host, len);
    addr[len] = '\0';
    *port = 0;
    if (port_text != NULL) {
        unsigned long v = 0;
        if (*port_text == '\0' || strlen(port_text) > 5)
            return -1;
        for (const char *p = port_text; *p; p++) {
            if (*p < '0' || *p > '9')
                return -1;
            v = v * 10 + (unsigned long)(*p - '0');
        }
        if (v == 0 || v > 65535)
            return -1;
        *port = (uint16_t)v;
    }
    return 0;
}

/* status: the RFC 8460 §3 verdict of the lookup, by its status. */
static const char *lookup_status_name(int status)
{
    switch (status) {
    case TLSRPT_ENOTFOUND: return "not-found";
    case TLSRPT_EMULTIPLE: return "multiple";
    case TLSRPT_ETEMPFAIL: return "temporary-failure";
    default: return parse_status_name(status);
    }
}

static const char *authorization_verdict_name(int verdict)
{
    switch (verdict) {
    case TLSRPT_AUTH_NOT_REQUIRED: return "not-required";
    case TLSRPT_AUTH_AUTHORIZED: return "authorized";
    default: return "not-authorized";
    }
}

/* Everything lookup found, gathered before printing. */
struct looked_up {
    const char *domain;
    const tlsrpt_lookup_result *result;
    const tlsrpt_record *record;   /* the parsed record (status OK), else NULL */
    char *canonical;               /* its canonical text */
    size_t canonical_len;
    tlsrpt_diag *lint;             /* tlsrpt_record_lint() with the domain */
    tlsrpt_diag *authorization;    /* tlsrpt_check_authorization() findings of every destination */
    struct destination_check *checks; /* one per destination of the record */
    size_t n_checks;
    int authorization_tempfail;    /* an authorization check failed temporarily */
    const char *subject;           /* the single candidate TXT text (parse finding offsets point into it) */
    size_t subject_len;
    struct finding_counts counts;
    int exit_status;
};

static void looked_up_free(struct looked_up *q)
{
    tlsrpt_free(q->canonical);
    tlsrpt_diag_free(q->lint);
    tlsrpt_diag_free(q->authorization);
    for (size_t i = 0; i < q->n_checks; i++)
        free(q->checks[i].name);
    free(q->checks);
}

/* Classifies destination i and, unless `skip_dns`, checks its authorization. Returns TLSRPT_OK or the library
 * error that stops the command (ENOMEM, EINVAL). */
static int check_destination(struct looked_up *q, tlsrpt_resolver *res, size_t i, int skip_dns)
{
    const tlsrpt_uri *u = tlsrpt_record_rua(q->record, i);
    struct destination_check *c = &q->checks[i];
    c->external = -1;
    if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER || tlsrpt_uri_host(u) == NULL)
        return TLSRPT_OK; /* reporters do not deliver there; no host to authorize */
    char *name = NULL;
    int required = 0;
    int rc = tlsrpt_authorization_name(&name, q->domain, u, &required);
    if (rc == TLSRPT_OK || rc == TLSRPT_ELIMIT) {
        c->external = required;
    } else if (rc == TLSRPT_EINVAL) {
        c->external = 1; /* a destination of a parsed record with a host that has no name: an IP address */
    } else {
        return rc;
    }
    if (name != NULL && (c->name = absolute_authorization_name(name)) == NULL)
        return TLSRPT_ENOMEM;
    if (!c->external) {
        c->verdict = authorization_verdict_name(TLSRPT_AUTH_NOT_REQUIRED);
        return TLSRPT_OK;
    }
    if (skip_dns) {
        c->verdict = "not-checked";
        return TLSRPT_OK;
    }
    int verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    rc = tlsrpt_check_authorization(res, q->domain, u, &verdict, q->authorization);
    if (rc == TLSRPT_ETEMPFAIL) {
        c->verdict = "temporary-failure";
        q->authorization_tempfail = 1;
        return TLSRPT_OK;
    }
    if (rc == TLSRPT_OK)
        c->verdict = authorization_verdict_name(verdict);
    return rc;
}

static void print_authorization_line(FILE *f, const tlsrpt_uri *u, const struct destination_check *c)
{
    fputs("authorization: ", f);
    put_escaped_string(f, tlsrpt_uri_string(u));
    fputs(": ", f);
    if (strcmp(c->verdict, "not-required") == 0)
        fputs("not required (same organization)", f);
    else if (strcmp(c->verdict, "authorized") == 0)
        fputs("authorized by ", f);
    else if (strcmp(c->verdict, "not-authorized") == 0)
        fputs("not authorized", f);
    else if (strcmp(c->verdict, "temporary-failure") == 0)
        fputs("temporary DNS failure, check again later", f);
    else
        fputs("not checked (--no-authorization)", f);
    if (c->name != NULL && strcmp(c->verdict, "authorized") == 0) {
        put_escaped_string(f, c->name);
    } else if (c->name != NULL && strcmp(c->verdict, "not-required") != 0) {
        fputs("; expects ", f);
        put_escaped_string(f, c->name);
        fputs(" TXT \"" AUTHORIZATION_VALUE "\"", f);
    }
    fputc('\n', f);
}

static int print_looked_up_text(const struct looked_up *q)
{
    FILE *f = stdout;
    int colour = stream_wants_colour(f);
    const tlsrpt_lookup_result *l = q->result;
    fputs("query: ", f);
    put_escaped_string(f, tlsrpt_lookup_result_qname(l));
    fputc('\n', f);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        fputs("txt: ", f);
        put_escaped(f, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i), 0);
        fputc('\n', f);
    }
    fputs(tlsrpt_lookup_result_authenticated(l) ? "dnssec: authenticated (the resolver set the AD bit)\n"
                                                : "dnssec: not authenticated\n",
          f);
    print_findings(f, colour, tlsrpt_lookup_result_diag(l), q->subject, q->subject_len);
    if (q->record != NULL) {
        int rc = print_record_summary(f, q->record);
        if (rc != TLSRPT_OK)
            return rc;
        for (size_t i = 0; i < q->n_checks; i++)
            if (q->checks[i].verdict != NULL)
                print_authorization_line(f, tlsrpt_record_rua(q->record, i), &q->checks[i]);
        print_findings(f, colour, q->lint, q->canonical, q->canonical_len);
        print_findings(f, colour, q->authorization, NULL, 0);
    }
    print_summary_line(f, lookup_status_name(tlsrpt_lookup_result_status(l)),
                       q->authorization_tempfail ? " (authorization incomplete: temporary DNS failure)" : NULL,
                       &q->counts);
    return TLSRPT_OK;
}

static void print_looked_up_json(const struct looked_up *q)
{
    const tlsrpt_lookup_result *l = q->result;
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_member_string(w, "domain", q->domain);
    json_member_string(w, "qname", tlsrpt_lookup_result_qname(l));
    json_member_string(w, "status", lookup_status_name(tlsrpt_lookup_result_status(l)));
    json_member_bool(w, "valid", q->record != NULL);
    json_member_bool(w, "authenticated", tlsrpt_lookup_result_authenticated(l));
    json_key(w, "txt");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++)
        json_string(w, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i));
    json_end_array(w);
    json_key(w, "record");
    if (q->canonical)
        json_string(w, q->canonical, q->canonical_len);
    else
        json_null(w);
    json_record_fields(w, q->record, q->checks);
    json_member_bool(w, "authorization_complete", !q->authorization_tempfail);
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {tlsrpt_lookup_result_diag(l), q->lint, q->authorization};
    json_findings(w, lists, 3, 0);
    json_counts(w, &q->counts);
    json_end_object(w);
    json_finish(w);
}

/* The single candidate among the TXT records: the text that parse findings' offsets point into. */
static void find_candidate(struct looked_up *q)
{
    const tlsrpt_lookup_result *l = q->result;
    size_t candidates = 0;
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        const char *text = tlsrpt_lookup_result_txt(l, i);
        size_t len = tlsrpt_lookup_result_txt_length(l, i);
        if (tlsrpt_record_is_candidate(text, len)) {
            candidates++;
            q->subject = text;
            q->subject_len = len;
        }
    }
    if (candidates != 1) {
        q->subject = NULL;
        q->subject_len = 0;
    }
}

/* Lints the record and checks each destination. Returns TLSRPT_OK or a library error (ENOMEM). */
static int examine_record(struct looked_up *q, tlsrpt_resolver *res, int skip_dns)
{
    int rc = tlsrpt_record_serialize(q->record, &q->canonical, &q->canonical_len);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_record_lint(q->record, q->domain, q->lint);
    if (rc != TLSRPT_OK)
        return rc;
    q->n_checks = tlsrpt_record_rua_count(q->record);
    q->checks = calloc(q->n_checks ? q->n_checks : 1, sizeof *q->checks);
    if (q->checks == NULL)
        return TLSRPT_ENOMEM;
    for (size_t i = 0; i < q->n_checks && rc == TLSRPT_OK; i++)
        rc = check_destination(q, res, i, skip_dns);
    return rc;
}

int cmd_lookup(int argc, char **argv)
{
    static const struct option options[] = {
        {"server", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},
        {"no-authorization", no_argument, NULL, 'n'},
        OPTION_JSON,
        OPTION_HELP,
        OPTIONS_END,
    };
    const char *server = NULL, *timeout_text = NULL;
    uint32_t timeout = 0;
    int skip_dns = 0, ch;
    enum output_format output = OUTPUT_TEXT;
    char address[64];
    uint16_t port = 0;
    /* Option values are checked after the loop, so that --help wins over them. */
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 's': server = optarg; break;
        case 't': timeout_text = optarg; break;
        case 'n': skip_dns = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'h': fputs(LOOKUP_HELP, stdout); return EXIT_OK;
        default: return option_error("lookup", ch, argv);
        }
    }
    if (server != NULL && parse_server(server, address, sizeof address, &port) != 0)
        return usage_error("lookup", "invalid server (ADDR, ADDR:PORT or [IPv6]:PORT):", server);
    if (timeout_text != NULL && parse_uint32_option(timeout_text, 1, MAX_TIMEOUT_MS, &timeout) != 0)
        return usage_error("lookup", "invalid timeout (1 to 60000 milliseconds):", timeout_text);
    if (optind >= argc)
        return usage_error("lookup", "missing DOMAIN", NULL);
    if (argc - optind > 1)
        return usage_error("lookup", "unexpected argument", argv[optind + 1]);
    if (check_domain_argument("lookup", argv[optind]) != EXIT_OK)
        return EXIT_USAGE;

    struct looked_up q = {.domain = argv[optind]};
    tlsrpt_resolver *res = NULL;
    tlsrpt_lookup_result *l = NULL;
    int status = EXIT_OK;
    int rc = tlsrpt_resolver_new(&res);
    if (rc != TLSRPT_OK) {
        status = fail_library("lookup", "resolver", rc);
        goto done;
    }
    if (server != NULL) {
        rc = tlsrpt_resolver_set_nameserver(res, address, port);
        if (rc == TLSRPT_EINVAL) {
            status = usage_error("lookup", "invalid server (ADDR, ADDR:PORT or [IPv6]:PORT):", server);
            goto done;
        }
        if (rc != TLSRPT_OK) {
            status = fail_library("lookup", "resolver", rc);
            goto done;
        }
    }
    if (timeout != 0 && (rc = tlsrpt_resolver_set_timeout(res, timeout)) != TLSRPT_OK) {
        status = fail_library("lookup", "resolver", rc);
        goto done;
    }
    rc = tlsrpt_lookup(res, q.domain, &l);
    if (l == NULL) {
        status = rc == TLSRPT_EINVAL ? domain_usage_error("lookup", q.domain)
                                     : fail_library("lookup", "looking up the record", rc);
        goto done;
    }
    q.result = l;
    q.record = tlsrpt_lookup_result_record(l);
    find_candidate(&q);
    rc = tlsrpt_diag_new(&q.lint);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&q.authorization);
    if (rc == TLSRPT_OK && q.record != NULL)
        rc = examine_record(&q, res, skip_dns);
    if (rc != TLSRPT_OK) {
        status = fail_library("lookup", "checking the record", rc);
        goto done;
    }
    count_findings(tlsrpt_lookup_result_diag(l), &q.counts);
    count_findings(q.lint, &q.counts);
    count_findings(q.authorization, &q.counts);

    int lookup_status = tlsrpt_lookup_result_status(l);
    if (lookup_status == TLSRPT_ETEMPFAIL || (q.record != NULL && q.authorization_tempfail))
        status = EXIT_TEMPFAIL;
    else
        status = q.record != NULL ? EXIT_OK : EXIT_INVALID;
    if (output == OUTPUT_JSON) {
        print_looked_up_json(&q);
    } else if ((rc = print_looked_up_text(&q)) != TLSRPT_OK) {
        status = fail_library("lookup", "printing the record", rc);
    }
done:
    looked_up_free(&q);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
    return status;
}
